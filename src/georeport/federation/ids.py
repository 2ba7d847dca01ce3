"""Federated request ids and tokens: opaque, stable, and reversible to (upstream, upstream id).

The encoding, version 1, is written down here and nowhere else::

    payload = version (1 byte, 0x01)
            + kind (1 byte: 0x00 a service_request_id, 0x01 a token)
            + length of the upstream id (1 byte, 1..255)
            + the upstream id (UTF-8)
            + the upstream's own id or token (UTF-8, the rest)
    tag     = BLAKE2b(payload, digest_size=5, key=secret or b"georeport-federated-id")
    text    = base32(payload + tag), lower case, without "=" padding

So the same (upstream, id) always gives the same text (stable), the text
needs no table to be turned back (reversible), holds only ``a-z`` and
``2-7`` (safe in a URL path), and says nothing readable (opaque). A changed
character fails the 40-bit tag, so a tampered or mistyped id is refused with
``FederatedIdError``; with a ``secret`` the tag is a MAC, and ids cannot be
forged by someone who read this page. Change the secret and every issued
id stops working: keep it.
"""

from __future__ import annotations

import hashlib
import hmac
from enum import IntEnum

import attrs

from georeport.errors import ValidationError
from georeport.federation.errors import FederatedIdError

__all__ = ["FederatedId", "IdCodec", "IdKind", "b32decode", "b32encode"]

VERSION = 1
_TAG = 5
_DEFAULT_KEY = b"georeport-federated-id"
_LETTERS = "abcdefghijklmnopqrstuvwxyz234567"
_ALPHABET = frozenset(_LETTERS)
_PAIRS = [first + second for first in _LETTERS for second in _LETTERS]
"""Every 10-bit value as its two base32 letters."""
_TO_INT_DIGITS = str.maketrans(_LETTERS, "0123456789abcdefghijklmnopqrstuv")
"""Our letters to the digits ``int(text, 32)`` reads."""


def b32encode(data: bytes) -> str:
    """RFC 4648 base32 of ``data``, lower case, without padding (the standard library's is pure Python and slow)."""
    bits = len(data) * 8
    pad = -bits % 10
    number = int.from_bytes(data, "big") << pad
    count = (bits + pad) // 10
    text = "".join([_PAIRS[(number >> (10 * i)) & 1023] for i in range(count - 1, -1, -1)])
    return text[: -(-bits // 5)]


def b32decode(text: str) -> bytes | None:
    """The bytes whose ``b32encode`` is exactly ``text``; None for any other text (wrong length, stray bits)."""
    if not text or not set(text) <= _ALPHABET:
        return None
    bits = len(text) * 5
    size, extra = divmod(bits, 8)
    if extra >= 5 or -(-size * 8 // 5) != len(text):  # noqa: PLR2004 - a whole letter of padding is not base32
        return None
    number = int(text.translate(_TO_INT_DIGITS), 32)
    if number & ((1 << extra) - 1):
        return None  # the unused low bits of the last letter must be zero: one text per id
    return (number >> extra).to_bytes(size, "big")


class IdKind(IntEnum):
    """What a federated id stands for."""

    REQUEST = 0
    """A ``service_request_id``."""
    TOKEN = 1
    """A ``token`` (a batch server's receipt)."""


@attrs.frozen
class FederatedId:
    """What a federated id means: the upstream, the id there, and its kind."""

    upstream: str
    upstream_id: str
    kind: IdKind = IdKind.REQUEST


@attrs.frozen
class IdCodec:
    """Encodes and decodes federated ids; ``secret`` (bytes, kept) makes them unforgeable.

    Examples:
        >>> codec = IdCodec()
        >>> text = codec.encode("city-a", "4102290")
        >>> text
        'aeaamy3jor4s2yjugeydemrzgcxzzesln4'
        >>> codec.decode(text)
        FederatedId(upstream='city-a', upstream_id='4102290', kind=<IdKind.REQUEST: 0>)
        >>> codec.decode(text[:-1] + "a")
        Traceback (most recent call last):
        ...
        georeport.federation.errors.FederatedIdError: 'aeaamy3jor4s2yjugeydemrzgcxzzeslna' is not a federated id issued here: its check does not match (altered or mistyped)
    """

    secret: bytes | None = attrs.field(default=None, repr=False)

    @secret.validator
    def _check_secret(self, _attribute: object, value: object) -> None:
        if value is not None and (not isinstance(value, bytes) or not 1 <= len(value) <= 64):  # noqa: PLR2004
            raise ValidationError("secret", "<hidden>", "None or 1 to 64 bytes")

    def _tag(self, payload: bytes) -> bytes:
        return hashlib.blake2b(payload, digest_size=_TAG, key=self.secret or _DEFAULT_KEY).digest()

    def encode(self, upstream: str, upstream_id: str, *, kind: IdKind = IdKind.REQUEST) -> str:
        """The federated text for ``upstream_id`` at ``upstream``.

        Raises:
            ValidationError: an empty upstream or id, or an upstream id over 255 bytes.
        """
        given: object = upstream
        name = given.encode("utf-8") if isinstance(given, str) else b""
        if not 1 <= len(name) <= 255:  # noqa: PLR2004
            raise ValidationError("upstream", upstream, "a non-empty string of at most 255 bytes")
        identifier: object = upstream_id
        if not isinstance(identifier, str) or not identifier:
            raise ValidationError("upstream_id", upstream_id, "a non-empty string")
        payload = bytes((VERSION, int(kind), len(name))) + name + upstream_id.encode("utf-8")
        return b32encode(payload + self._tag(payload))

    def decode(self, text: str, *, kind: IdKind | None = None) -> FederatedId:
        """What ``text`` stands for; ``kind`` refuses the other kind (a token where an id belongs).

        Raises:
            FederatedIdError: not base32, too short, an unknown version, a check
                that does not match, bytes that are not UTF-8, or the wrong kind.
        """
        given: object = text
        if not isinstance(given, str) or not given or not set(given) <= _ALPHABET:
            raise FederatedIdError(text, "it is not lower-case base32 (a-z, 2-7)")
        raw = b32decode(given)
        if raw is None:
            raise FederatedIdError(text, "it is not the base32 of whole bytes (altered or cut)")
        if len(raw) < 4 + _TAG or raw[0] != VERSION:
            raise FederatedIdError(text, "it is too short or of an unknown version")
        payload, tag = raw[:-_TAG], raw[-_TAG:]
        if not hmac.compare_digest(self._tag(payload), tag):
            raise FederatedIdError(text, "its check does not match (altered or mistyped)")
        length = payload[2]
        if payload[1] not in (0, 1) or len(payload) <= 3 + length:
            raise FederatedIdError(text, "its parts do not fit together")
        try:
            upstream = payload[3 : 3 + length].decode("utf-8")
            upstream_id = payload[3 + length :].decode("utf-8")
        except UnicodeDecodeError:
            raise FederatedIdError(text, "its parts are not UTF-8") from None
        found = FederatedId(upstream, upstream_id, IdKind(payload[1]))
        if kind is not None and found.kind is not kind:
            raise FederatedIdError(text, f"it is a {found.kind.name.lower()}, not a {kind.name.lower()}")
        return found
