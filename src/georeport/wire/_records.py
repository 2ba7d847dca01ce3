"""Raw records (dicts of wire values) into models, for every reader (private).

XML and JSON readers both reduce a record to a ``dict`` of field name to wire
value (text for XML; any JSON value for JSON) and hand it to ``RecordBuilder``.
So the dialect knowledge (aliases, repairs, what is kept as sent) lives in
this one file, and a record means the same thing in either format.
"""

from __future__ import annotations

import operator
from datetime import datetime, tzinfo
from typing import Any

from georeport.errors import ParseError
from georeport.models import (
    AttributeValue,
    Datatype,
    Discovery,
    Endpoint,
    EndpointType,
    Error,
    JSONValue,
    Service,
    ServiceAttribute,
    ServiceDefinition,
    ServiceRequest,
    ServiceType,
    Status,
    SubmissionReceipt,
    TokenReceipt,
)
from georeport.models._trusted import trusted_service_request
from georeport.wire._repairs import Repairs, record_path
from georeport.wire._values import Coercer

__all__ = [
    "ATTRIBUTE_FIELDS",
    "DISCOVERY_FIELDS",
    "ENDPOINT_FIELDS",
    "ERROR_FIELDS",
    "RECEIPT_FIELDS",
    "REQUEST_FIELDS",
    "SERVICE_FIELDS",
    "TOKEN_FIELDS",
    "RecordBuilder",
    "count_keys",
]

REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
ATTRIBUTE_FIELDS = (
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
)
VALUE_FIELDS = ("key", "name")
RECEIPT_FIELDS = ("service_request_id", "token", "service_notice", "account_id")
TOKEN_FIELDS = ("service_request_id", "token")
ERROR_FIELDS = ("code", "description")
DISCOVERY_FIELDS = ("changeset", "contact", "key_service", "endpoints")
ENDPOINT_FIELDS = ("specification", "url", "changeset", "type", "formats")

_REQUEST_KEYS = frozenset(REQUEST_FIELDS)
_LAT = 90.0
_LONG = 180.0

# Names real servers use for standard fields (georeport-v2.md §9 S14, S15; SF, Köln).
REQUEST_ALIASES = {
    "lon": "long",
    "lng": "long",
    "longitude": "long",
    "latitude": "lat",
    "status_note": "status_notes",
    "address_string": "address",
    "_address": "address",
    "adress_id": "address_id",
    "id": "service_request_id",
}
ERROR_DESCRIPTION_ALIASES = ("message", "msg", "error", "faultstring", "detail", "errorDescription")

# Dialects' statuses projected on open/closed (mySociety, CitySDK detailed_status,
# Accela, Bulk status_description). The value as sent is kept in extensions.
STATUS_ALIASES: dict[str, Status] = {
    **dict.fromkeys(
        [
            "opened",
            "new",
            "submitted",
            "received",
            "acknowledged",
            "in_progress",
            "inprogress",
            "in_process",
            "processing",
            "planned",
            "action_scheduled",
            "scheduled",
            "investigating",
            "for_triage",
            "reopen",
            "reopened",
            "pending",
            "hold",
            "on_hold",
            "assigned",
            "allocated",
            "handling",
            "waiting",
            "open_pending",
            "active",
            "unresolved",
        ],
        Status.OPEN,
    ),
    **dict.fromkeys(
        [
            "fixed",
            "resolved",
            "duplicate",
            "not_councils_responsibility",
            "no_further_action",
            "internal_referral",
            "cancelled",
            "canceled",
            "completed",
            "complete",
            "done",
            "rejected",
            "processed",
            "archived",
            "closed_duplicate",
            "referred",
            "withdrawn",
            "not_actionable",
        ],
        Status.CLOSED,
    ),
}
DATATYPE_ALIASES: dict[str, Datatype] = {
    "textarea": Datatype.TEXT,
    "informational": Datatype.TEXT,
    "picklist": Datatype.SINGLEVALUELIST,
    "select": Datatype.SINGLEVALUELIST,
    "multipicklist": Datatype.MULTIVALUELIST,
    "multiselect": Datatype.MULTIVALUELIST,
    "integer": Datatype.NUMBER,
    "decimal": Datatype.NUMBER,
    "float": Datatype.NUMBER,
    "date": Datatype.DATETIME,
    "character": Datatype.STRING,
}


_ALL_REQUEST_FIELDS = operator.itemgetter(*REQUEST_FIELDS)
_REQUEST_FIELD_COUNT = len(REQUEST_FIELDS)
_fromisoformat = datetime.fromisoformat
_SHORTEST_W3C = len("2010-01-01T00:00Z")


def _w3c(value: object) -> object:
    """A W3C datetime string with its zone as a ``datetime``; anything else unchanged.

    The cheap test of the common shape (``YYYY-MM-DDThh:mm[:ss[.s]]`` then ``Z``
    or ``±hh:mm``) comes first; a value it lets through that is naive or
    invalid is returned unchanged, for the repairing path to report.
    """
    if (
        value.__class__ is str
        and len(value) >= _SHORTEST_W3C
        and value[10] == "T"
        and value[7] == "-"
        and (value[-1] == "Z" or value[-3] == ":")
    ):
        try:
            parsed = _fromisoformat(value)
        except ValueError:
            return value
        if parsed.tzinfo is not None:
            return parsed
    return value


def _decimal(text: str) -> object:
    """Decimal text as a float; anything else unchanged (for the repairing path)."""
    try:
        return float(text)
    except ValueError:
        return text


_BIG = float(2**63)


def count_keys(value: object) -> int:
    """How many object keys a parsed JSON value holds, at any depth.

    A float of 2**63 or more may be an integer a fast decoder turned into a
    float; it counts as a mismatch (-1), which sends the document down the
    exact path, where integers stay exact.
    """
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            total += len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif item.__class__ is float and not -_BIG < item < _BIG:
            return -(1 << 62)
    return total


def _listify(value: object) -> list[Any]:
    """A container's items: a list as is, one item as a list of one, nothing as empty."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


class RecordBuilder(Coercer):
    """Builds models from raw records, one document (or stream) at a time.

    ``keys_seen`` counts the JSON object keys the records held, which the JSON
    reader compares with the keys in the text to detect duplicate keys.
    """

    __slots__ = ("keys_seen",)

    def __init__(self, repairs: Repairs, *, textual: bool, default_timezone: tzinfo | None) -> None:
        super().__init__(repairs, textual=textual, default_timezone=default_timezone)
        self.keys_seen = 0

    # --- helpers -----------------------------------------------------------------
    def _split(
        self,
        raw: dict[str, Any],
        known: frozenset[str],
        aliases: dict[str, str] | None,
        index: int | None,
        line: int | None,
    ) -> tuple[dict[str, Any], dict[str, JSONValue]]:
        """Separate standard fields (aliases resolved) from extensions, keeping order."""
        fields: dict[str, Any] = {}
        extensions: dict[str, JSONValue] = {}
        for key, value in raw.items():
            if key in known:
                fields[key] = value
            elif not isinstance(key, str):  # pragma: no cover - JSON keys are strings
                extensions[str(key)] = value
            else:
                extensions[key] = value
        if aliases:
            for alias, target in aliases.items():
                if alias in extensions and fields.get(target) is None:
                    value = extensions.pop(alias)
                    self._repair(
                        "field-alias",
                        target,
                        f"sent as {alias!r}",
                        value if isinstance(value, str | int | float) else alias,
                        index,
                        line,
                    )
                    fields[target] = value
        return fields, extensions

    def _text(
        self, value: Any, field: str, index: int | None, line: int | None, ext: dict[str, JSONValue]
    ) -> str | None:
        if value.__class__ is str:
            return value.strip() or None
        if value is None:
            return None
        return self.text(value, field, index, line, ext)

    def _id(self, value: Any, field: str, index: int | None, line: int | None, ext: dict[str, JSONValue]) -> str | None:
        if value.__class__ is str and value != "null":
            return value.strip() or None
        if value is None:
            return None
        return self.identifier(value, field, index, line, ext)

    def _required(self, value: object, field: str, index: int | None, line: int | None) -> None:
        if value is None:
            self._repair(
                "missing-required", field, "a field the standard requires is missing or empty", None, index, line
            )

    # --- service requests ----------------------------------------------------------
    def service_request(self, raw: dict[str, Any], index: int | None, line: int | None = None) -> ServiceRequest:
        """One ``<request>`` of a requests document, as a dict of wire values.

        Aliases are resolved and unknown fields become extensions here; the
        values themselves are read by ``request_row``.
        """
        if raw.__class__ is not dict:
            return self._not_a_record(raw, "request", index, line)  # type: ignore[no-any-return]
        self.keys_seen += len(raw)
        ext: dict[str, JSONValue]
        if _REQUEST_KEYS.issuperset(raw):
            fields, ext = raw, {}
        else:
            fields, ext = self._split(raw, _REQUEST_KEYS, REQUEST_ALIASES, index, line)
        if len(fields) == _REQUEST_FIELD_COUNT and not ext:  # every standard field, nothing else: one call
            return self.request_row(_ALL_REQUEST_FIELDS(fields), ext, index, line)
        get = fields.get
        return self.request_row(tuple([get(name) for name in REQUEST_FIELDS]), ext, index, line)

    def service_requests(self, records: list[Any]) -> list[ServiceRequest]:
        """Every record of a requests list, as ``service_request`` reads each.

        A record holding exactly the 17 standard fields (the common case) goes
        straight to ``request_row``, skipping the alias and extension handling
        it does not need.
        """
        general = self.service_request
        if type(self).service_request is not RecordBuilder.service_request:  # a dialect's own reading
            return [general(raw, index) for index, raw in enumerate(records)]
        build = self.request_row
        complete = _ALL_REQUEST_FIELDS
        count = _REQUEST_FIELD_COUNT
        built: list[ServiceRequest] = []
        append = built.append
        for index, raw in enumerate(records):
            if raw.__class__ is dict and len(raw) == count:
                try:
                    row = complete(raw)
                except KeyError:  # as many fields, but not the standard's
                    pass
                else:
                    self.keys_seen += count
                    append(build(row, {}, index, None))
                    continue
            append(general(raw, index))
        return built

    def request_row(
        self, row: tuple[Any, ...], ext: dict[str, JSONValue], index: int | None, line: int | None
    ) -> ServiceRequest:
        """A request from its 17 wire values in ``REQUEST_FIELDS`` order (None where absent).

        ``ext`` holds the record's other fields; repairs that lose a value add
        ``<field>_original`` to it. Each value is first tried in the form the
        standard gives (a stripped string, a W3C datetime, a float) inline, and
        only a value in another form costs a call to the repairing path.
        """
        (
            sid, status, notes, name, code, description, agency, notice, requested_raw,
            updated_raw, expected_raw, address, address_id, zipcode, lat, long, media,
        ) = row  # fmt: skip
        sid = (
            (sid.strip() or None)
            if sid.__class__ is str and sid != "null"
            else self._id(sid, "service_request_id", index, line, ext)
        )
        if status == "open":
            status = Status.OPEN
        elif status == "closed":
            status = Status.CLOSED
        else:
            status = self.choice(status, Status, "status", index, line, ext, aliases=STATUS_ALIASES)
        notes = (
            (notes.strip() or None)
            if notes.__class__ is str
            else None
            if notes is None
            else self.text(notes, "status_notes", index, line, ext)
        )
        name = (
            (name.strip() or None)
            if name.__class__ is str
            else None
            if name is None
            else self.text(name, "service_name", index, line, ext)
        )
        code = (
            (code.strip() or None)
            if code.__class__ is str and code != "null"
            else self._id(code, "service_code", index, line, ext)
        )
        description = (
            (description.strip() or None)
            if description.__class__ is str
            else None
            if description is None
            else self.text(description, "description", index, line, ext)
        )
        agency = (
            (agency.strip() or None)
            if agency.__class__ is str
            else None
            if agency is None
            else self._agency(agency, index, line, ext)
        )
        notice = (
            (notice.strip() or None)
            if notice.__class__ is str
            else None
            if notice is None
            else self.text(notice, "service_notice", index, line, ext)
        )
        requested = requested_raw if requested_raw is None else _w3c(requested_raw)
        if requested is not None and requested.__class__ is not datetime:
            requested = self.timestamp(requested_raw, "requested_datetime", index, line, ext)
        updated = updated_raw if updated_raw is None else _w3c(updated_raw)
        if updated is not None and updated.__class__ is not datetime:
            updated = self.timestamp(updated_raw, "updated_datetime", index, line, ext)
        expected = expected_raw if expected_raw is None else _w3c(expected_raw)
        if expected is not None and expected.__class__ is not datetime:
            expected = self.timestamp(expected_raw, "expected_datetime", index, line, ext)
        address = (
            (address.strip() or None)
            if address.__class__ is str
            else None
            if address is None
            else self.text(address, "address", index, line, ext)
        )
        address_id = (
            (address_id.strip() or None)
            if address_id.__class__ is str and address_id != "null"
            else self._id(address_id, "address_id", index, line, ext)
        )
        zipcode = (
            (zipcode.strip() or None)
            if zipcode.__class__ is str and zipcode != "null"
            else self._id(zipcode, "zipcode", index, line, ext)
        )
        lat_raw, long_raw = lat, long
        if lat.__class__ is str and self.textual:  # XML: decimal text is the standard's form
            lat = _decimal(lat)
        if lat is not None and (lat.__class__ is not float or not -_LAT <= lat <= _LAT):
            lat = self.number(lat_raw, "lat", index, line, ext, limit=_LAT)
        if long.__class__ is str and self.textual:
            long = _decimal(long)
        if long is not None and (long.__class__ is not float or not -_LONG <= long <= _LONG):
            long = self.number(long_raw, "long", index, line, ext, limit=_LONG)
        if media.__class__ is str:
            media = media.strip() or None
        elif media is not None:
            media = (
                self._media_url(media, index, line, ext)
                if isinstance(media, list | dict)
                else self.text(media, "media_url", index, line, ext)
            )
        if self.repairs.strict:
            self._required(sid, "service_request_id", index, line)
            self._required(status, "status", index, line)
            self._required(code, "service_code", index, line)
            self._required(requested, "requested_datetime", index, line)
            if (lat is None) != (long is None):
                self._repair("half-location", "lat", "lat and long must come together", (lat, long), index, line)
        if ext:
            self.keys_seen += count_keys(list(ext.values()))
        return trusted_service_request(
            sid,
            status,
            notes,
            name,
            code,
            description,
            agency,
            notice,
            requested,
            updated,
            expected,
            address,
            address_id,
            zipcode,
            lat,
            long,
            media,
            ext,
        )

    def _media_url(self, value: Any, index: int | None, line: int | None, ext: dict[str, JSONValue]) -> str | None:
        """``media_url`` sent as a list (of URLs, or of ``{url: ...}`` objects): the first URL."""
        items = value if isinstance(value, list) else [value]
        urls: list[str] = []
        for item in items:
            url = item.get("url") or item.get("media_url") if isinstance(item, dict) else item
            if isinstance(url, str) and url.strip():
                urls.append(url.strip())
        self._lost(
            "media-url-list",
            "media_url",
            "several media where one URL belongs; the first URL kept",
            value,
            index,
            line,
            ext,
        )
        return urls[0] if urls else None

    def _agency(self, value: Any, index: int | None, line: int | None, ext: dict[str, JSONValue]) -> str | None:
        """``agency_responsible``, also as FixMyStreet's nested ``<recipient>`` list."""
        recipients: list[Any] | None = None
        if isinstance(value, dict) and set(value) == {"recipient"}:
            recipients = _listify(value["recipient"])
        elif isinstance(value, list) and getattr(value, "item_tag", None) == "recipient":
            recipients = value
        if recipients is not None and all(isinstance(name, str) for name in recipients):
            self._repair(
                "agency-recipients",
                "agency_responsible",
                "a list of recipients, joined with ', '",
                value,
                index,
                line,
            )
            return ", ".join(name.strip() for name in recipients) or None
        return self._text(value, "agency_responsible", index, line, ext)

    def _not_a_record(self, raw: object, what: str, index: int | None, line: int | None) -> Any:
        msg = f"a {what} record must be an object, got {type(raw).__name__}: {raw!r:.60}"
        raise ParseError(msg, format=self.format, path=record_path(index), line=line)

    # --- services ------------------------------------------------------------------
    def service(self, raw: dict[str, Any], index: int | None, line: int | None = None) -> Service:
        """One ``<service>`` of the service list."""
        if not isinstance(raw, dict):
            return self._not_a_record(raw, "service", index, line)
        self.keys_seen += count_keys(raw)
        fields, ext = self._split(raw, frozenset(SERVICE_FIELDS), None, index, line)
        get = fields.get
        code = self._id(get("service_code"), "service_code", index, line, ext)
        if code is None:
            self._repair("missing-required", "service_code", "a service without a service_code", None, index, line)
            code = ""
        metadata = self.boolean(get("metadata"), "metadata", index, line, ext)
        if metadata is None:
            self._repair(
                "missing-required", "metadata", "missing; read as false (no service definition)", None, index, line
            )
        service_type = self.choice(get("type"), ServiceType, "type", index, line, ext)
        name = self._text(get("service_name"), "service_name", index, line, ext)
        if self.repairs.strict:
            self._required(name, "service_name", index, line)
            self._required(service_type, "type", index, line)
        keywords = get("keywords")
        if isinstance(keywords, list) and all(isinstance(word, str) for word in keywords):
            self._repair("keywords-as-list", "keywords", "a list of keywords, joined with ', '", keywords, index, line)
            keywords = ", ".join(word.strip() for word in keywords if word.strip())
        return Service(
            code,
            name,
            self._text(get("description"), "description", index, line, ext),
            bool(metadata),
            service_type,
            self._text(keywords, "keywords", index, line, ext),
            self._text(get("group"), "group", index, line, ext),
            ext,
        )

    # --- service definitions ----------------------------------------------------------
    def definition(
        self,
        raw: dict[str, Any],
        *,
        line: int | None = None,
        item_lines: list[int | None] | None = None,
        warnings: tuple[Warning, ...] = (),
    ) -> ServiceDefinition:
        """A ``<service_definition>`` (with or without the ``<attributes>`` wrapper)."""
        self.keys_seen += len(raw)
        fields, ext = self._split(raw, frozenset(("service_code", "attributes", "attribute")), None, None, line)
        code = self._id(fields.get("service_code"), "service_code", None, line, ext)
        if code is None and self.repairs.strict:
            self._required(code, "service_code", None, line)
        if "attribute" in fields:
            self._repair(
                "definition-without-wrapper",
                "attributes",
                "attributes not inside an <attributes> container (the legacy shape)",
                "attribute",
                None,
                line,
            )
            items = _listify(fields.get("attributes")) + _listify(fields["attribute"])
        else:
            items = _attribute_items(fields.get("attributes"))
        lines = item_lines or []
        attributes = tuple(
            self.attribute(item, position, lines[position] if position < len(lines) else None)
            for position, item in enumerate(items)
        )
        return ServiceDefinition(code, attributes, ext, warnings)

    def attribute(self, raw: Any, index: int, line: int | None = None) -> ServiceAttribute:
        """One ``<attribute>``; ``index`` is its position in the definition."""
        if not isinstance(raw, dict):
            return self._not_a_record(raw, "attribute", index, line)  # type: ignore[no-any-return]
        self.keys_seen += len(raw)
        fields, ext = self._split(raw, frozenset(ATTRIBUTE_FIELDS), None, index, line)
        get = fields.get
        code = self._id(get("code"), "code", index, line, ext)
        if code is None:
            self._repair("missing-required", "code", "an attribute without a code", None, index, line)
            code = ""
        datatype = self.choice(get("datatype"), Datatype, "datatype", index, line, ext, aliases=DATATYPE_ALIASES)
        if datatype is None:
            datatype = Datatype.STRING
        variable = self.boolean(get("variable"), "variable", index, line, ext)
        required = self.boolean(get("required"), "required", index, line, ext)
        if self.repairs.strict:
            self._required(variable, "variable", index, line)
            self._required(required, "required", index, line)
        values = tuple(self._value(item, index, ext) for item in _value_items(get("values")))
        if isinstance(get("values"), int | float) and not isinstance(get("values"), bool):
            self._lost(
                "values-not-a-list",
                "values",
                "a number where a list of values belongs",
                get("values"),
                index,
                line,
                ext,
            )
        return ServiceAttribute(
            code,
            datatype,
            True if variable is None else variable,
            bool(required),
            self._text(get("datatype_description"), "datatype_description", index, line, ext),
            self.integer(get("order"), "order", index, line, ext),
            self._text(get("description"), "description", index, line, ext),
            values,
            ext,
        )

    def _value(self, raw: Any, index: int, attribute_ext: dict[str, JSONValue]) -> AttributeValue:
        if not isinstance(raw, dict):
            return self._not_a_record(raw, "value", index, None)  # type: ignore[no-any-return]
        self.keys_seen += len(raw)
        fields, ext = self._split(raw, frozenset(VALUE_FIELDS), None, index, None)
        key = self._id(fields.get("key"), "key", index, None, ext)
        if key is None:
            self._repair("missing-required", "key", "a value without a key", None, index, None)
            key = ""
        del attribute_ext
        return AttributeValue(key, self._text(fields.get("name"), "name", index, None, ext), ext)

    # --- receipts, tokens, errors ----------------------------------------------------------
    def receipt(self, raw: dict[str, Any], index: int | None, line: int | None = None) -> SubmissionReceipt:
        """One ``<request>`` of a POST reply."""
        if not isinstance(raw, dict):
            return self._not_a_record(raw, "receipt", index, line)
        self.keys_seen += count_keys(raw)
        fields, ext = self._split(raw, frozenset(RECEIPT_FIELDS), None, index, line)
        get = fields.get
        sid = self._id(get("service_request_id"), "service_request_id", index, line, ext)
        token = self._id(get("token"), "token", index, line, ext)
        if sid is not None and token is not None:
            self._repair(
                "id-and-token", "token", "a POST reply must not carry both an id and a token", token, index, line
            )
        return SubmissionReceipt(
            sid,
            token,
            self._text(get("service_notice"), "service_notice", index, line, ext),
            self._id(get("account_id"), "account_id", index, line, ext),
            ext,
        )

    def token(self, raw: dict[str, Any], index: int | None, line: int | None = None) -> TokenReceipt:
        """One ``<request>`` of a ``GET tokens/{token}`` reply."""
        if not isinstance(raw, dict):
            return self._not_a_record(raw, "token", index, line)
        self.keys_seen += count_keys(raw)
        fields, ext = self._split(raw, frozenset(TOKEN_FIELDS), None, index, line)
        return TokenReceipt(
            self._id(fields.get("service_request_id"), "service_request_id", index, line, ext),
            self._id(fields.get("token"), "token", index, line, ext),
            ext,
        )

    def error(self, raw: Any, index: int | None, line: int | None = None, *, status: int | None = None) -> Error:
        """One ``<error>``; a missing code becomes the HTTP status (or 400), aliases are read."""
        if isinstance(raw, str):
            self._repair("error-as-text", "description", "an error given as bare text", raw, index, line)
            raw = {"description": raw}
        if not isinstance(raw, dict):
            return self._not_a_record(raw, "error", index, line)  # type: ignore[no-any-return]
        self.keys_seen += count_keys(raw)
        fields, ext = self._split(raw, frozenset(ERROR_FIELDS), None, index, line)
        description = self._text(fields.get("description"), "description", index, line, ext)
        if description is None:
            for alias in ERROR_DESCRIPTION_ALIASES:
                if ext.get(alias) is not None:
                    value = ext.pop(alias)
                    self._repair("field-alias", "description", f"sent as {alias!r}", value, index, line)
                    description = self._text(value, "description", index, line, ext)
                    break
        code = self._id(fields.get("code"), "code", index, line, ext)
        if code is None:
            fallback = str(status or 400)
            self._repair(
                "error-without-code", "code", f"an error without a code, read as {fallback}", None, index, line
            )
            code = fallback
        return Error(code, description, ext)

    # --- discovery -------------------------------------------------------------------------
    def discovery(
        self,
        raw: dict[str, Any],
        *,
        line: int | None = None,
        item_lines: list[int | None] | None = None,
        warnings: tuple[Warning, ...] = (),
    ) -> Discovery:
        """A ``<discovery>`` document."""
        self.keys_seen += len(raw)
        fields, ext = self._split(raw, frozenset(DISCOVERY_FIELDS), None, None, line)
        get = fields.get
        endpoints_raw = get("endpoints")
        if isinstance(endpoints_raw, dict) and set(endpoints_raw) == {"endpoint"}:
            endpoints_raw = endpoints_raw["endpoint"]
        elif isinstance(endpoints_raw, dict):
            self._repair(
                "object-as-list",
                "endpoints",
                "an object where a list belongs, read as a list of one",
                "{...}",
                None,
                line,
            )
        lines = item_lines or []
        endpoints = tuple(
            self.endpoint(item, position, lines[position] if position < len(lines) else None)
            for position, item in enumerate(_listify(endpoints_raw))
        )
        return Discovery(
            self._text(get("changeset"), "changeset", None, line, ext),
            self._text(get("contact"), "contact", None, line, ext),
            self._text(get("key_service"), "key_service", None, line, ext),
            endpoints,
            ext,
            warnings,
        )

    def endpoint(self, raw: Any, index: int, line: int | None = None) -> Endpoint:
        """One ``<endpoint>`` of a discovery document."""
        if not isinstance(raw, dict):
            return self._not_a_record(raw, "endpoint", index, line)  # type: ignore[no-any-return]
        self.keys_seen += len(raw)
        fields, ext = self._split(raw, frozenset(ENDPOINT_FIELDS), None, index, line)
        get = fields.get
        formats_raw = get("formats")
        if isinstance(formats_raw, dict) and set(formats_raw) == {"format"}:
            formats_raw = formats_raw["format"]
        formats = tuple(
            text
            for item in _listify(formats_raw)
            if (text := self._text(item, "formats", index, line, ext)) is not None
        )
        return Endpoint(
            self._text(get("specification"), "specification", index, line, ext),
            self._text(get("url"), "url", index, line, ext),
            self._text(get("changeset"), "changeset", index, line, ext),
            self.choice(get("type"), EndpointType, "type", index, line, ext),
            formats,
            ext,
        )


def _attribute_items(value: object) -> list[Any]:
    """The attributes inside an ``attributes`` value (XML gives ``{"attribute": [...]}``)."""
    if isinstance(value, dict) and set(value) == {"attribute"}:
        return _listify(value.get("attribute"))
    return _listify(value)


def _value_items(value: object) -> list[Any]:
    """The options inside a ``values`` value (XML gives ``{"value": [...]}``)."""
    if isinstance(value, dict) and set(value) == {"value"}:
        return _listify(value.get("value"))
    if isinstance(value, int | float | str):
        return []
    return _listify(value)
