"""Extension values <-> XML elements (private).

The standard's fields have fixed shapes; what it does not name is kept as a
JSON-like tree (``extensions``). This module maps such trees to XML and back
so that a document survives XML -> model -> XML and JSON -> model -> XML ->
model unchanged:

* a leaf is text; ``<x/>`` is None;
* an element with distinct children is an object; repeated children under one
  name become an ``ElementList`` (so the names survive a round trip);
* values XML cannot tell apart are marked with a ``type`` attribute, as Rails'
  ``to_xml`` does (``integer``, ``float``, ``boolean``, ``string`` for ``""``,
  ``array``, ``object`` for ``{}``), and ``nil="true"``/``xsi:nil`` mean None;
* a key that is not an XML name is written ``<_ key="the key">``.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from georeport.errors import ValidationError
from georeport.models import JSONValue
from georeport.wire._values import format_float

__all__ = [
    "ElementList",
    "MixedText",
    "child_key",
    "element_value",
    "escape_attribute",
    "escape_text",
    "local_name",
    "write_value",
]

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}


class MixedText(str):
    """The plain text of an element that held markup, with the markup kept in ``markup``."""

    __slots__ = ("markup",)
    markup: str

    def __new__(cls, text: str, markup: str) -> MixedText:
        """Text ``text`` read from inner XML ``markup``."""
        made = super().__new__(cls, text)
        made.markup = markup
        return made


class ElementList(list[Any]):
    """A list read from XML that remembers the element name of its items.

    ``item_tag`` None means the items were repeated siblings (``<a>1</a><a>2</a>``);
    otherwise they sat in a container (``<as><a>1</a><a>2</a></as>``). It
    compares equal to a plain list with the same items.
    """

    __slots__ = ("item_tag",)

    def __init__(self, items: list[Any] | tuple[Any, ...] = (), item_tag: str | None = None) -> None:
        super().__init__(items)
        self.item_tag = item_tag

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with the item tag."""
        return (ElementList, (list(self), self.item_tag))


def local_name(tag: str) -> str:
    """The tag without its namespace (``{ns}request`` -> ``request``)."""
    return tag.rpartition("}")[2] if tag[:1] == "{" else tag


def _typed_leaf(text: str, hint: str) -> JSONValue:
    if hint == "integer":
        return int(text)
    if hint in ("float", "decimal", "double"):
        number = float(text)
        if number != number or number in (float("inf"), float("-inf")):  # noqa: PLR0124 - NaN check
            return text.strip()
        return number
    if hint == "boolean":
        return text.strip().lower() in ("true", "1")
    if hint == "string":
        return text
    if hint == "array":
        return ElementList()
    if hint in ("object", "hash"):
        return {}
    return text.strip() or None


def element_value(element: etree._Element) -> JSONValue:
    """The JSON-like value of an element (see the module docstring)."""
    attributes = element.attrib
    hint = None
    if attributes:
        if attributes.get(XSI_NIL) == "true" or attributes.get("nil") == "true":
            return None
        hint = attributes.get("type")
    children = list(element)
    text = element.text or ""
    if not children:
        if hint:
            try:
                return _typed_leaf(text, hint)
            except ValueError:
                return text.strip() or None
        return text.strip() or None
    if text.strip():  # mixed content: markup inside text, e.g. HTML in a description
        inner = (element.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in element)
        return MixedText("".join(str(part) for part in element.itertext()).strip(), inner.strip())
    tags = [child_key(child) for child in children]
    if hint == "array" or (len(children) >= 2 and len(set(tags)) == 1 and children[0].tag != "_"):  # noqa: PLR2004
        return ElementList([element_value(child) for child in children], tags[0])
    result: dict[str, JSONValue] = {}
    for key, child in zip(tags, children, strict=True):
        value = element_value(child)
        if key in result:
            existing = result[key]
            if isinstance(existing, ElementList) and existing.item_tag is None:
                existing.append(value)
            else:
                result[key] = ElementList([existing, value], None)
        else:
            result[key] = value
    return result


def child_key(child: etree._Element) -> str:
    """The key an element stands for: its name, or the ``key`` of a ``<_>`` element."""
    name = local_name(child.tag)
    if name == "_":
        return child.get("key", "_")
    return name


def escape_text(text: str) -> str:
    """Escape text for element content; carriage returns too, so they survive parsing."""
    if _SPECIAL.search(text) is None:
        return text
    return _SPECIAL.sub(_replace, text)


def escape_attribute(text: str) -> str:
    """Escape text for a double-quoted attribute value."""
    if _ATTRIBUTE_SPECIAL.search(text) is None:
        return text
    return _ATTRIBUTE_SPECIAL.sub(_replace, text)


def _replace(match: re.Match[str]) -> str:
    char = match.group()
    escaped = _ESCAPES.get(char)
    if escaped is not None:
        return escaped
    raise ValidationError("text", char, "text XML 1.0 can carry (no control characters or lone surrogates)")


def _open(key: str, extra: str = "") -> tuple[str, str]:
    if _NAME.fullmatch(key) and not key.lower().startswith("xml"):
        return f"<{key}{extra}", key
    return f'<_ key="{escape_attribute(key)}"{extra}', "_"


def _singular(key: str) -> str:
    if key.endswith("ies") and len(key) > 3:  # noqa: PLR2004
        return key[:-3] + "y"
    if key.endswith("s") and len(key) > 1 and _NAME.fullmatch(key[:-1]):
        return key[:-1]
    return "item"


def write_value(parts: list[str], key: str, value: object) -> None:
    """Append ``value`` as XML under ``key`` to ``parts``."""
    if isinstance(value, list) and isinstance(value, ElementList) and value.item_tag is None and len(value) >= 2:  # noqa: PLR2004
        for item in value:
            write_value(parts, key, item)
        return
    if value is None:
        start, name = _open(key)
        parts.append(start + "/>")
        return
    if isinstance(value, bool):
        start, name = _open(key, ' type="boolean"')
        parts.append(f"{start}>{'true' if value else 'false'}</{name}>")
    elif isinstance(value, int):
        start, name = _open(key, ' type="integer"')
        parts.append(f"{start}>{value}</{name}>")
    elif isinstance(value, float):
        start, name = _open(key, ' type="float"')
        parts.append(f"{start}>{format_float(value) if value == value else 'NaN'}</{name}>")  # noqa: PLR0124
    elif isinstance(value, str):
        if value:
            start, name = _open(key)
            parts.append(f"{start}>{escape_text(value)}</{name}>")
        else:
            start, name = _open(key, ' type="string"')
            parts.append(start + "/>")
    elif isinstance(value, dict):
        if not value:
            start, name = _open(key, ' type="object"')
            parts.append(start + "/>")
            return
        start, name = _open(key)
        parts.append(start + ">")
        for child_key, child in value.items():
            write_value(parts, str(child_key), child)
        parts.append(f"</{name}>")
    elif isinstance(value, list | tuple):
        start, name = _open(key, ' type="array"')
        if not value:
            parts.append(start + "/>")
            return
        item_tag = value.item_tag if isinstance(value, ElementList) and value.item_tag else _singular(key)
        parts.append(start + ">")
        for item in value:
            write_value(parts, item_tag, item)
        parts.append(f"</{name}>")
    else:
        raise ValidationError(key, value, "a JSON-like value (str, int, float, bool, None, list, dict)")
