"""The Open311 ``<errors>`` document: what a server answers instead of a result."""

from __future__ import annotations

import attrs

from georeport.models._fields import JSONValue, extensions_dict, json_like, optional_str, required_str

__all__ = ["Error"]


def _code(value: str | int) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value  # type: ignore[return-value]


@attrs.frozen
class Error:
    """One ``<error>``: a ``code`` (usually the HTTP status, as a string) and a description.

    Examples:
        >>> Error(404, "Service request not found").code
        '404'
    """

    code: str = attrs.field(converter=_code, validator=required_str)
    description: str | None = attrs.field(default=None, validator=optional_str)
    extensions: dict[str, JSONValue] = attrs.field(
        factory=dict, converter=extensions_dict, validator=json_like, hash=False
    )

    @property
    def http_status(self) -> int | None:
        """The code as an HTTP status, when it is one (100-599)."""
        return int(self.code) if self.code.isdigit() and 100 <= int(self.code) <= 599 else None  # noqa: PLR2004
