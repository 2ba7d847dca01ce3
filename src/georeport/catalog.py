"""Layer 3: the service catalog of one jurisdiction, and what a submission for a service must contain.

A ``Catalog`` holds a jurisdiction's services and their definitions. It looks
services up (by code, group, keyword), lists them in the order published,
says what a submission for a service must contain (``requirements``), and
checks a ``RequestSubmission`` against the definition and the standard
(``validate``), reporting every problem at once as the ``Error`` records a
GeoReport server answers with. The rules of ``validate`` are all here:

* the service exists (404), and so does the jurisdiction when one is named (404);
* a location: ``lat`` and ``long``, ``address_string`` or ``address_id`` (400);
  a point whose swapped twin falls inside the jurisdiction's box, when the
  catalog knows one, is reported as swapped (400);
* every required attribute answered; informational attributes
  (``variable: false``) never required; ``number`` a decimal number,
  ``datetime`` ISO 8601 with a zone, ``string`` one line,
  ``singlevaluelist`` one listed key, ``multivaluelist`` listed keys only
  (a list with no keys listed accepts any); one answer for single-valued
  types; answers to unknown or informational attributes reported unless
  allowed (400);
* ``email`` and ``phone`` shaped like an address and a number;
  ``description`` at most 4,000 characters and without HTML; ``media_url``
  an http(s) URL (400).

Empty answers are absent ones (§1.7). Values the form parser could not put in
the model arrive as ``ParsedPost.problems`` and are reported first; checks on
the same fields are then skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import ClassVar
from urllib.parse import urlsplit

import attrs

from georeport.errors import GeoReportError, ValidationError
from georeport.models import (
    Datatype,
    Error,
    RequestSubmission,
    Service,
    ServiceAttribute,
    ServiceDefinition,
    ServiceList,
)
from georeport.wire.params import BoundingBox, ParameterError, ParsedPost, RequestsQuery

__all__ = [
    "DESCRIPTION_LIMIT",
    "AttributeValueError",
    "Catalog",
    "MissingDefinitionError",
    "Requirements",
]

DESCRIPTION_LIMIT = 4000
"""The most characters a submission's ``description`` may hold."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_PHONE = re.compile(r"(?P<number>\+?[0-9 ().\-/]+?)(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?", re.IGNORECASE)
_HTML = re.compile(
    r"<!--|</?(?:a|abbr|b|big|blockquote|body|br|button|center|code|div|em|font|form|h[1-6]|head|hr|html|i|iframe"
    r"|img|input|li|link|meta|ol|p|pre|script|small|span|strong|style|sub|sup|table|td|th|tr|u|ul)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
"""An HTML comment or a common element's tag: the standard forbids markup in ``description``."""
_PHONE_DIGITS = (7, 15)
_EMAIL_LENGTH = 254
_MAX_KEYS_SHOWN = 12


class MissingDefinitionError(GeoReportError, LookupError):
    """The catalog has no definition for a service whose ``metadata`` says it has one.

    Attributes:
        service_code: the service concerned.
    """

    def __init__(self, service_code: str) -> None:
        self.service_code = service_code
        super().__init__(
            f"the catalog has no service definition for {service_code!r} (its metadata is true): "
            "add the definition from GET services/{code} to the catalog"
        )


class AttributeValueError(ParameterError):
    """An answer to a service attribute the definition does not accept.

    Attributes:
        attribute_code: the attribute's ``code``; ``field`` is ``attribute[code]``.
    """

    def __init__(self, attribute_code: str, value: object, expected: str, *, description: str | None = None) -> None:
        super().__init__(f"attribute[{attribute_code}]", value, expected, description=description)
        self.attribute_code = attribute_code


@attrs.frozen
class Requirements:
    """What a submission for one service must and may contain.

    Examples:
        >>> from georeport import Datatype, Service, ServiceAttribute, ServiceDefinition
        >>> catalog = Catalog([Service("PK-101", "Playground", metadata=True)],
        ...     [ServiceDefinition("PK-101", [ServiceAttribute("KIND", Datatype.TEXT, required=True)])])
        >>> [attribute.code for attribute in catalog.requirements("PK-101").required]
        ['KIND']
    """

    service: Service
    questions: tuple[ServiceAttribute, ...] = ()
    """The attributes a client answers (``variable: true``), in display order."""
    notes: tuple[ServiceAttribute, ...] = ()
    """The informational attributes (``variable: false``): shown, never answered."""

    LOCATION: ClassVar[tuple[tuple[str, ...], ...]] = (("lat", "long"), ("address_string",), ("address_id",))
    """A submission needs at least one of these groups of fields."""

    @property
    def required(self) -> tuple[ServiceAttribute, ...]:
        """The questions that must be answered."""
        return tuple(attribute for attribute in self.questions if attribute.required)


def _services(value: Iterable[Service]) -> tuple[Service, ...]:
    return tuple(value)


def _definitions(value: Mapping[str, ServiceDefinition] | Iterable[ServiceDefinition]) -> dict[str, ServiceDefinition]:
    if isinstance(value, Mapping):
        return dict(value)
    found: dict[str, ServiceDefinition] = {}
    for definition in value:
        if definition.service_code is None:
            raise ValidationError("definitions", definition, "definitions naming their service_code (or a mapping)")
        found[definition.service_code] = definition
    return found


@attrs.frozen
class Catalog:
    """The services of one jurisdiction and their definitions.

    Args:
        services: the service list (a ``ServiceList`` or any iterable of
            ``Service``), in the order it is published.
        definitions: the service definitions, as an iterable (each naming its
            ``service_code``) or a mapping of code to definition.
        jurisdiction_id: the jurisdiction served; a submission naming another
            is refused (404).
        bbox: the jurisdiction's bounding box, used to spot swapped coordinates.

    Raises:
        ValidationError: two services share a code, or a definition names no
            service of the list.

    Examples:
        >>> catalog = Catalog([Service("001", "Cans left out 24x7", group="sanitation", keywords="trash, cans")])
        >>> [service.service_code for service in catalog.by_keyword("Cans")], "001" in catalog
        (['001'], True)
        >>> catalog.validate(RequestSubmission("002", address_string="1 Main St"))
        [Error(code='404', description="'service_code' must be a service this jurisdiction offers (got '002')", extensions={})]
    """

    services: tuple[Service, ...] = attrs.field(converter=_services)
    definitions: dict[str, ServiceDefinition] = attrs.field(factory=dict, converter=_definitions, hash=False)
    jurisdiction_id: str | None = attrs.field(default=None, kw_only=True)
    bbox: BoundingBox | None = attrs.field(default=None, kw_only=True)
    _index: dict[str, Service] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, Service] = {}
        for service in self.services:
            if index.setdefault(service.service_code, service) is not service:
                raise ValidationError("services", service.service_code, "unique service codes")
        for code in self.definitions:
            if code not in index:
                raise ValidationError("definitions", code, "the code of a service in the list")
        object.__setattr__(self, "_index", index)

    # --- look-ups ---------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Service]:
        """The services in the order published (the standard defines no other)."""
        return iter(self.services)

    def __len__(self) -> int:
        """The number of services."""
        return len(self.services)

    def __contains__(self, service_code: object) -> bool:
        """Whether a service has this code."""
        return service_code in self._index

    def __getitem__(self, service_code: str) -> Service:
        """The service with this code.

        Raises:
            KeyError: no service has the code.
        """
        return self._index[service_code]

    def get(self, service_code: str | None) -> Service | None:
        """The service with this code, or None."""
        return self._index.get(service_code) if service_code is not None else None

    def definition(self, service_code: str) -> ServiceDefinition | None:
        """The service's definition, or None when the catalog has none."""
        return self.definitions.get(service_code)

    @property
    def groups(self) -> tuple[str, ...]:
        """Every group named (``group``, and mySociety's ``groups``), in first-seen order."""
        found: dict[str, None] = {}
        for service in self.services:
            found.update(dict.fromkeys(_groups(service)))
        return tuple(found)

    def by_group(self, group: str) -> tuple[Service, ...]:
        """The services in a group (letter case ignored)."""
        wanted = group.strip().casefold()
        return tuple(service for service in self.services if wanted in {g.casefold() for g in _groups(service)})

    def by_keyword(self, keyword: str) -> tuple[Service, ...]:
        """The services that list a keyword (letter case ignored)."""
        wanted = keyword.strip().casefold()
        return tuple(
            service for service in self.services if wanted in {word.casefold() for word in service.keyword_list}
        )

    def search(self, text: str) -> tuple[Service, ...]:
        """The services whose name, description, keywords or group contain ``text`` (letter case ignored)."""
        wanted = text.strip().casefold()
        return tuple(
            service
            for service in self.services
            if any(
                wanted in (part or "").casefold()
                for part in (service.service_name, service.description, service.keywords, *_groups(service))
            )
        )

    def service_list(self) -> ServiceList:
        """The ``GET services`` document, ready for ``georeport.dump``."""
        return ServiceList(self.services)

    def requirements(self, service_code: str) -> Requirements:
        """What a submission for the service must contain.

        Raises:
            KeyError: no service has the code.
            MissingDefinitionError: the service's ``metadata`` is true but the
                catalog holds no definition for it.
        """
        service = self._index[service_code]
        definition = self.definitions.get(service_code)
        if definition is None:
            if service.metadata:
                raise MissingDefinitionError(service_code)
            return Requirements(service)
        ordered = definition.ordered()
        return Requirements(
            service,
            tuple(attribute for attribute in ordered if attribute.variable),
            tuple(attribute for attribute in ordered if not attribute.variable),
        )

    # --- validation -------------------------------------------------------------------------------
    def validate(
        self, submission: RequestSubmission | ParsedPost, *, allow_unknown_attributes: bool = False
    ) -> list[Error]:
        """Every problem of a submission, as the errors a GeoReport server answers with.

        An empty list means the submission may be sent (client) or accepted
        (server). Answer with ``params.http_status(errors)`` and
        ``georeport.dump(ErrorList(errors), fmt)``.

        Args:
            submission: a ``RequestSubmission``, or a ``ParsedPost`` whose
                ``problems`` are reported first.
            allow_unknown_attributes: accept (and ignore) answers to attributes
                the definition does not ask, as mySociety's adapter does.

        Raises:
            MissingDefinitionError: the service needs a definition the catalog lacks.
        """
        return [
            problem.error for problem in self.problems(submission, allow_unknown_attributes=allow_unknown_attributes)
        ]

    def problems(
        self, submission: RequestSubmission | ParsedPost, *, allow_unknown_attributes: bool = False
    ) -> list[ParameterError]:
        """``validate``'s findings as exceptions with ``field``, ``value`` and ``status_hint`` (to mark a form)."""
        found = list(submission.problems) if isinstance(submission, ParsedPost) else []
        post = submission.submission if isinstance(submission, ParsedPost) else submission
        troubled = {problem.field for problem in found}
        if self.jurisdiction_id and post.jurisdiction_id and post.jurisdiction_id != self.jurisdiction_id:
            expected = f"{self.jurisdiction_id!r}, the jurisdiction served here"
            found.append(ParameterError("jurisdiction_id", post.jurisdiction_id, expected, status_hint=404))
        service = self.get(post.service_code)
        if service is None:
            expected = "a service this jurisdiction offers"
            found.append(ParameterError("service_code", post.service_code, expected, status_hint=404))
        if not troubled & {"lat", "long"}:
            found.extend(self._location(post))
        if service is not None:
            found.extend(self._answers(service.service_code, post, troubled, allow_unknown=allow_unknown_attributes))
        found.extend(_contact(post))
        return found

    def validate_query(self, query: RequestsQuery) -> list[Error]:
        """The errors of a ``GET requests`` query against the catalog: unknown service codes (404 each).

        The standard is silent; like uReport, georeport answers 404 rather
        than an empty list, so a mistyped code is not mistaken for "no requests".
        """
        problems: list[ParameterError] = []
        if self.jurisdiction_id and query.jurisdiction_id and query.jurisdiction_id != self.jurisdiction_id:
            expected = f"{self.jurisdiction_id!r}, the jurisdiction served here"
            problems.append(ParameterError("jurisdiction_id", query.jurisdiction_id, expected, status_hint=404))
        if not query.service_request_id:
            expected = "a service this jurisdiction offers"
            problems.extend(
                ParameterError("service_code", code, expected, status_hint=404)
                for code in query.service_code
                if code not in self._index
            )
        return [problem.error for problem in problems]

    def _location(self, post: RequestSubmission) -> list[ParameterError]:
        if post.lat is None or post.long is None:
            if post.address_string or post.address_id:
                return []
            description = "a location is required: 'lat' and 'long', 'address_string' or 'address_id'"
            return [ParameterError("location", None, "given", description=description)]
        lat, long = post.lat, post.long
        box = self.bbox
        if box is not None and not box.contains(lat, long) and -90 <= long <= 90 and box.contains(long, lat):  # noqa: PLR2004
            description = (
                "'lat' and 'long' look swapped: the point is outside the jurisdiction, "
                f"the swapped one inside (got lat={lat!r}, long={long!r})"
            )
            return [ParameterError("lat", (lat, long), "inside the jurisdiction", description=description)]
        return []

    def _answers(
        self, service_code: str, post: RequestSubmission, troubled: set[str], *, allow_unknown: bool
    ) -> list[ParameterError]:
        requirements = self.requirements(service_code)
        found: list[ParameterError] = []
        for attribute in requirements.questions:
            answer = _values(post.attributes.get(attribute.code))
            if f"attribute[{attribute.code}]" in troubled:
                continue
            if not answer:
                if attribute.required:
                    question = f" ({attribute.description})" if attribute.description else ""
                    description = f"'attribute[{attribute.code}]' is required{question}"
                    found.append(AttributeValueError(attribute.code, None, "given", description=description))
                continue
            found.extend(_answer_problems(attribute, answer))
        if allow_unknown:
            return found
        asked = {attribute.code for attribute in requirements.questions}
        notes = {attribute.code for attribute in requirements.notes}
        for code, sent in post.attributes.items():
            values = _values(sent)
            if code in asked or not values or f"attribute[{code}]" in troubled:
                continue
            shown: object = values[0] if len(values) == 1 else values
            if code in notes:
                found.append(AttributeValueError(code, shown, "left out (the attribute is informational)"))
            else:
                found.append(AttributeValueError(code, shown, f"a question of service {service_code!r}"))
        return found


def _groups(service: Service) -> list[str]:
    found = [service.group] if service.group else []
    extra = service.extensions.get("groups")
    if isinstance(extra, list):
        found += [group for group in extra if isinstance(group, str) and group]
    return found


def _values(answer: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if answer is None:
        return ()
    items: tuple[str, ...] = (answer,) if isinstance(answer, str) else answer
    return tuple(item for item in items if item)


def _answer_problems(attribute: ServiceAttribute, values: tuple[str, ...]) -> list[ParameterError]:
    code, datatype = attribute.code, attribute.datatype
    if datatype is not Datatype.MULTIVALUELIST and len(values) > 1:
        return [AttributeValueError(code, values, "one value")]
    if datatype.is_list:
        keys = attribute.keys
        if not keys:
            return []  # no keys listed: the options are managed elsewhere
        shown = ", ".join(repr(key) for key in keys[:_MAX_KEYS_SHOWN])
        if len(keys) > _MAX_KEYS_SHOWN:
            shown += f" (and {len(keys) - _MAX_KEYS_SHOWN} more)"
        expected = f"one of {shown}" if datatype is Datatype.SINGLEVALUELIST else f"among {shown}"
        return [AttributeValueError(code, value, expected) for value in values if value not in keys]
    value = values[0]
    if datatype is Datatype.NUMBER and not _NUMBER.fullmatch(value.strip()):
        return [AttributeValueError(code, value, "a number, such as 12 or 12.5")]
    if datatype is Datatype.DATETIME and not _is_zoned_datetime(value):
        return [AttributeValueError(code, value, "an ISO 8601 datetime with a zone, such as 2010-01-01T00:00:00Z")]
    if datatype is Datatype.STRING and ("\n" in value or "\r" in value):
        return [AttributeValueError(code, value, "one line of text (a string attribute takes no line breaks)")]
    return []


def _is_zoned_datetime(value: str) -> bool:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return False
    return parsed.utcoffset() is not None


def _contact(post: RequestSubmission) -> list[ParameterError]:
    found: list[ParameterError] = []
    if post.email and (len(post.email) > _EMAIL_LENGTH or not _EMAIL.fullmatch(post.email)):
        found.append(ParameterError("email", post.email, "an e-mail address such as name@example.org"))
    if post.phone:
        match = _PHONE.fullmatch(post.phone.strip())
        digits = sum(ch.isdigit() for ch in match["number"]) if match else 0
        if not _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]:
            found.append(
                ParameterError("phone", post.phone, "a phone number of 7 to 15 digits, such as +1 555 010 0199")
            )
    if post.description:
        if len(post.description) > DESCRIPTION_LIMIT:
            description = (
                f"'description' must be at most {DESCRIPTION_LIMIT} characters (got {len(post.description)} characters)"
            )
            found.append(ParameterError("description", len(post.description), "shorter", description=description))
        markup = _HTML.search(post.description)
        if markup:
            found.append(ParameterError("description", markup[0], "plain text without HTML"))
    if post.media_url:
        parts = urlsplit(post.media_url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            found.append(ParameterError("media_url", post.media_url, "an http or https URL"))
    return found
