"""Unchecked constructors for values a parser has already checked (private).

The wire readers build millions of records; these skip the field validators
and converters that the public constructors run, and nothing else.
"""

from __future__ import annotations

from georeport.models._fields import make_trusted
from georeport.models.service_requests import ServiceRequest

__all__ = ["trusted_service_request"]

trusted_service_request = make_trusted(ServiceRequest)
