"""Layer 1: the typed models of every GeoReport v2 document.

attrs classes, frozen and slotted, with the standard's field names. Nothing
here does I/O or knows a wire format.
"""

from georeport.models._fields import JSONValue
from georeport.models.api_errors import Error
from georeport.models.discovery import Discovery, Endpoint, EndpointType
from georeport.models.documents import (
    Document,
    DocumentKind,
    ErrorList,
    ReceiptList,
    RecordList,
    ServiceList,
    ServiceRequestList,
    TokenList,
)
from georeport.models.service_requests import (
    RequestSubmission,
    ServiceRequest,
    Status,
    SubmissionReceipt,
    TokenReceipt,
)
from georeport.models.services import (
    AttributeValue,
    Datatype,
    Service,
    ServiceAttribute,
    ServiceDefinition,
    ServiceType,
)

__all__ = [
    "AttributeValue",
    "Datatype",
    "Discovery",
    "Document",
    "DocumentKind",
    "Endpoint",
    "EndpointType",
    "Error",
    "ErrorList",
    "JSONValue",
    "ReceiptList",
    "RecordList",
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
]
