"""Every exception and warning georeport raises, in one tree.

Who is at fault is part of the name: a ``ParseError`` means the bytes we were
given are bad; a ``ValidationError`` means a value breaks the standard; a bug in
georeport surfaces as anything else.

The errors of a domain live in its package, beside the code that raises
them (this module imports nothing of ours, so it only draws them); each
subclasses ``GeoReportError``. In brackets, the module an error lives in,
below ``georeport`` (no bracket: this module)::

    GeoReportError
    ├── ParseError (ValueError)           .format .path .line .column  bad bytes
    │   ├── UnsafeDocumentError            DTDs, entities, size limits
    │   ├── InvalidDocumentError           every problem strict mode found,
    │   │                                  also an ExceptionGroup of ParseError
    │   └── UnexpectedResponseError        [client.errors] also a RemoteError: a body
    │                                      that is not the document asked for
    ├── ValidationError (ValueError)      .field .value .expected      bad value
    │   ├── ParameterError                .status_hint .description    an HTTP parameter [wire.params]
    │   │   ├── InvalidParametersError     [wire.params] groups them
    │   │   └── AttributeValueError       .attribute_code               a submission's answer [catalog]
    │   ├── InvalidPointError             .index .count                 [routing.errors] a point NaN, out of
    │   │                                                               range or lat/long swapped
    │   ├── UnknownServiceError           .index .known                 [routing.errors] a code no jurisdiction has
    │   └── BoundaryError                 .jurisdiction .reason         [routing.errors] a boundary not polygonal,
    │                                                                   invalid or not in lon/lat degrees
    ├── UnknownDocumentError (ValueError) the kind of document cannot be told
    ├── WorkflowError (ValueError)        .reason .state .path .line   a workflow declaration is wrong
    │                                     .problems
    ├── TransitionError                   .event .state .to_state      an event cannot happen now
    │                                     .allowed
    ├── MissingDefinitionError (LookupError) .service_code             [catalog] metadata true, no definition
    ├── RoutingConfigurationError (ValueError)                         [routing.errors] jurisdictions and rules
    │   └── OverlapError                  .pairs                       that make no routing; same-level overlaps
    ├── RoutingError (LookupError)        .point .service_code         [routing.errors] a report not routed
    │   └── NoJurisdictionError                                        no jurisdiction and no fallback
    ├── CalendarError (ValueError)        .reason .path .problems      [sla.errors] a calendar, target or policy
    ├── PausedClockError (ValueError)                                  [sla.errors] due time unknown: pass as_of=
    ├── RemoteError                       .status .errors .request     [client.errors] the server answered a
    │   │                                 .response                    failure
    │   ├── ClientRequestError                                         a 4xx
    │   │   ├── NotFoundError (LookupError)                            a 404
    │   │   └── RateLimitedError          .retry_after                 a 429
    │   ├── ServerFailure                                              a 5xx
    │   └── UnexpectedResponseError (ParseError)                       (drawn above)
    ├── TransportError (OSError)          .request .attempts .connected [client.errors] no answer
    │   └── RequestTimeoutError (TimeoutError)
    ├── TokenPendingError (TimeoutError)  .token .attempts .last_error [client.errors] no id for a token yet
    ├── HarvestLimitError                 .window .limit               [client.errors] a window too full to split
    ├── FederationError                                                [federation.errors]
    │   ├── RegistryError (ValueError)    .path                        the upstreams' declaration is wrong
    │   ├── FederatedIdError (ValueError)                              an id not issued by this front door
    │   ├── UnknownUpstreamError (LookupError)                         no upstream of that name
    │   ├── UnroutableError (LookupError)                              no upstream takes the report
    │   └── UntranslatableError (LookupError)                          the crosswalk has no service upstream
    ├── RefusalError                      .errors .status_hint         [server.backend] a backend's Open311 errors
    └── StoreError (OSError)                                           [server.store] the database cannot be used

    GeoReportWarning (UserWarning)
    ├── DialectWarning                     a lenient parser repaired something
    └── LossyConversionWarning             a value could not be kept exactly

Every error has a ``status_hint``: the HTTP status a GeoReport server would
answer with when the error comes from a client's input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

__all__ = [
    "DialectWarning",
    "GeoReportError",
    "GeoReportWarning",
    "InvalidDocumentError",
    "LossyConversionWarning",
    "ParseError",
    "TransitionError",
    "UnknownDocumentError",
    "UnsafeDocumentError",
    "ValidationError",
    "WorkflowError",
]


def _where(
    format: str | None,  # noqa: A002 - the wire format's name
    path: str | None,
    line: int | None,
    column: int | None,
) -> str:
    """Render a location such as ``xml, line 7, column 3, at $[2].lat``."""
    parts: list[str] = []
    if format:
        parts.append(format)
    if line is not None:
        parts.append(f"line {line}" + (f", column {column}" if column is not None else ""))
    if path:
        parts.append(f"at {path}")
    return ", ".join(parts)


class GeoReportError(Exception):
    """Root of every error georeport raises on purpose."""

    status_hint: int = 400


class ParseError(GeoReportError, ValueError):
    """A document could not be read.

    Attributes:
        reason: what is wrong, without the location.
        format: ``"xml"``, ``"json"``, ``"csv"``... or None when unknown.
        path: where in the document, as ``$[3].requested_datetime``.
        line: 1-based line number, when the parser knows it.
        column: 1-based column, when the parser knows it.
    """

    def __init__(
        self,
        reason: str,
        *,
        format: str | None = None,  # noqa: A002 - mirrors load(format=...)
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.reason = reason
        self.format = format
        self.path = path
        self.line = line
        self.column = column
        where = _where(format, path, line, column)
        super().__init__(f"{reason} ({where})" if where else reason)

    @property
    def field(self) -> str | None:
        """The field name at the end of ``path``, if the path names one."""
        if not self.path:
            return None
        last = self.path.rsplit(".", 1)[-1]
        return None if last.startswith(("$", "[")) else last


class UnsafeDocumentError(ParseError):
    """A document uses a feature refused for safety (a DTD, entities, huge nodes)."""

    status_hint = 413


class InvalidDocumentError(ParseError, ExceptionGroup):
    """Strict mode found problems; ``exceptions`` holds one ``ParseError`` each.

    It is an ``ExceptionGroup``, so ``except* ParseError`` works, and a
    ``ParseError``, so ``except georeport.ParseError`` works too.
    """

    exceptions: tuple[ParseError, ...]

    def __new__(
        cls,
        reason: str,
        problems: Sequence[ParseError],
        *,
        format: str | None = None,  # noqa: A002
    ) -> Self:
        """Group ``problems`` (at least one) under ``reason``."""
        del format
        # ExceptionGroup's constructor, not ValueError's (which comes first in the MRO).
        return ExceptionGroup.__new__(cls, reason, list(problems))

    def __init__(
        self,
        reason: str,
        problems: Sequence[ParseError],
        *,
        format: str | None = None,  # noqa: A002
    ) -> None:
        first = problems[0]
        ParseError.__init__(self, f"{reason}: {len(problems)} problem(s), first: {first}")
        self.reason = reason
        self.format = format
        self.path = first.path
        self.line = first.line
        self.column = first.column

    def derive(self, excs: Sequence[ParseError]) -> InvalidDocumentError:  # type: ignore[override]
        """Keep the type when ``except*`` splits the group."""
        return InvalidDocumentError(self.reason, excs, format=self.format)

    def __str__(self) -> str:
        """List every problem, one a line."""
        lines = [ParseError.__str__(self)]
        lines += [f"  - {problem}" for problem in self.exceptions]
        return "\n".join(lines)


class ValidationError(GeoReportError, ValueError):
    """A value breaks the standard (or a model's constraint).

    Attributes:
        field: the field's name.
        value: the value given.
        expected: what would have been accepted.
    """

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field!r} must be {expected} (got {value!r})")


class UnknownDocumentError(GeoReportError, ValueError):
    """The kind of a document (services, requests, ...) cannot be told; pass ``kind=``."""


def _render_path(keys: Sequence[str | int]) -> str:
    """Render keys as ``states.closed.to[1]``; a key that is not a plain name is quoted."""
    text = ""
    for key in keys:
        if isinstance(key, int):
            text += f"[{key}]"
        else:
            part = key if key.isidentifier() else repr(key)
            text += f".{part}" if text else part
    return text


class WorkflowError(GeoReportError, ValueError):
    """A workflow declaration is wrong: a state, a transition or the file's syntax.

    Every problem found is reported at once: ``problems`` holds one
    ``WorkflowError`` per problem (just ``(self,)`` when there is one), and
    the attributes of the error repeat those of the first problem.

    Attributes:
        reason: what is wrong, without the location.
        state: the state concerned, when there is one.
        path: where in the declaration, as ``states.closed.to[1]``.
        keys: the same place as a tuple of keys and indexes, ``("states", "closed", "to", 1)``.
        line: the 1-based line in the text given, when it can be told.
        problems: every problem found, each a ``WorkflowError``.
    """

    def __init__(
        self,
        reason: str,
        *,
        state: str | None = None,
        keys: Sequence[str | int] = (),
        line: int | None = None,
    ) -> None:
        self.reason = reason
        self.state = state
        self.keys = tuple(keys)
        self.path = _render_path(self.keys) or None
        self.line = line
        self.problems: tuple[WorkflowError, ...] = (self,)
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        if self.state is not None:
            where.append(f"state {self.state!r}")
        head = f"{self.path}: {self.reason}" if self.path else self.reason
        return f"{head} ({', '.join(where)})" if where else head

    def at_line(self, line: int | None) -> Self:
        """The same problem with its line number (used by the text readers)."""
        return type(self)(self.reason, state=self.state, keys=self.keys, line=line)

    @classmethod
    def of(cls, problems: Sequence[WorkflowError]) -> WorkflowError:
        """One error standing for ``problems`` (at least one), listing them all in its message."""
        if len(problems) == 1:
            return problems[0]
        first = problems[0]
        error = cls(first.reason, state=first.state, keys=first.keys, line=first.line)
        error.problems = tuple(problems)
        lines = [f"invalid workflow: {len(problems)} problems"]
        lines += [f"  - {problem}" for problem in problems]
        error.args = ("\n".join(lines),)
        return error


class TransitionError(GeoReportError):
    """An event cannot be applied to a case in its current state; the case is unchanged.

    Raised for a move the workflow does not allow, an event of the wrong kind
    for its move (a ``Closed`` into a referral state), an event that does not
    start where the case is, and an event earlier than the last one.

    Attributes:
        event: the event refused.
        state: the state the case is in.
        to_state: the state the event wanted to reach.
        allowed: the states the case may move to from ``state``, in declaration order.
        reason: what is wrong, in words.
    """

    status_hint = 409

    def __init__(
        self,
        reason: str,
        *,
        event: object,
        state: str,
        to_state: str | None,
        allowed: Sequence[str],
    ) -> None:
        self.reason = reason
        self.event = event
        self.state = state
        self.to_state = to_state
        self.allowed = tuple(allowed)
        choices = ", ".join(repr(name) for name in self.allowed) or "none (a final state)"
        super().__init__(f"{reason}; allowed from {state!r}: {choices}")


class GeoReportWarning(UserWarning):
    """Root of every warning georeport issues."""


class DialectWarning(GeoReportWarning):
    """A lenient reader repaired something the standard does not allow.

    One warning stands for every repair of one kind in one field of a document.

    Attributes:
        code: a stable identifier of the repair, e.g. ``"datetime-without-zone"``.
        field: the field repaired.
        count: how many values were repaired.
        path: where the first one was, as ``$[3].requested_datetime``.
        example: the first value as it arrived.
        detail: what was done with it.
    """

    def __init__(  # noqa: PLR0913 - every attribute is part of the record
        self,
        code: str,
        field: str,
        detail: str,
        *,
        path: str | None = None,
        example: object = None,
        count: int = 1,
    ) -> None:
        self.code = code
        self.field = field
        self.detail = detail
        self.path = path
        self.example = example
        self.count = count
        super().__init__(code, field)

    def __str__(self) -> str:
        """Say what was repaired, how often and where first."""
        where = f", first at {self.path}" if self.path else ""
        return f"{self.field}: {self.detail} [{self.code}] ({self.count} value(s){where}; e.g. {self.example!r})"

    def __repr__(self) -> str:
        """Show the code, field and count."""
        return f"DialectWarning({self.code!r}, {self.field!r}, count={self.count})"


class LossyConversionWarning(GeoReportWarning):
    """A value could not be written exactly in the target format."""
