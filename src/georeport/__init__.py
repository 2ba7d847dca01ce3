"""georeport: typed Open311 GeoReport v2 documents, read and written exactly.

The facade: models, errors, and the ``load``/``dump``/``iter_requests``
entry points. See ``docs/`` for the guides.
"""

from importlib.metadata import PackageNotFoundError, version

from georeport.errors import (
    DialectWarning,
    GeoReportError,
    GeoReportWarning,
    InvalidDocumentError,
    LossyConversionWarning,
    ParseError,
    UnknownDocumentError,
    UnsafeDocumentError,
    ValidationError,
)
from georeport.models import (
    AttributeValue,
    Datatype,
    Discovery,
    Document,
    DocumentKind,
    Endpoint,
    EndpointType,
    Error,
    ErrorList,
    ReceiptList,
    RecordList,
    RequestSubmission,
    Service,
    ServiceAttribute,
    ServiceDefinition,
    ServiceList,
    ServiceRequest,
    ServiceRequestList,
    ServiceType,
    Status,
    SubmissionReceipt,
    TokenList,
    TokenReceipt,
)
from georeport.wire import RequestReader, dump, iter_requests, load

try:
    __version__ = version("open311-georeport")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "AttributeValue",
    "Datatype",
    "DialectWarning",
    "Discovery",
    "Document",
    "DocumentKind",
    "Endpoint",
    "EndpointType",
    "Error",
    "ErrorList",
    "GeoReportError",
    "GeoReportWarning",
    "InvalidDocumentError",
    "LossyConversionWarning",
    "ParseError",
    "ReceiptList",
    "RecordList",
    "RequestReader",
    "RequestSubmission",
    "Service",
    "ServiceAttribute",
    "ServiceDefinition",
    "ServiceList",
    "ServiceRequest",
    "ServiceRequestList",
    "ServiceType",
    "Status",
    "SubmissionReceipt",
    "TokenList",
    "TokenReceipt",
    "UnknownDocumentError",
    "UnsafeDocumentError",
    "ValidationError",
    "__version__",
    "dump",
    "iter_requests",
    "load",
]
