"""Federated ids: stable, reversible, opaque, and tampering refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from georeport.errors import ValidationError
from georeport.federation import FederatedId, FederatedIdError, IdCodec, IdKind

upstreams = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40).filter(
    lambda s: len(s.encode()) <= 255
)
ids = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=80)
kinds = st.sampled_from(IdKind)
codecs = st.sampled_from([IdCodec(), IdCodec(b"k1"), IdCodec(b"another secret")])


class TestIdCodec:
    @given(codecs, upstreams, ids, kinds)
    def test_decode_reverses_encode(self, codec: IdCodec, upstream: str, upstream_id: str, kind: IdKind) -> None:
        text = codec.encode(upstream, upstream_id, kind=kind)
        assert codec.decode(text) == FederatedId(upstream, upstream_id, kind)
        assert set(text) <= set("abcdefghijklmnopqrstuvwxyz234567")

    @given(upstreams, ids)
    def test_encoding_is_stable(self, upstream: str, upstream_id: str) -> None:
        assert IdCodec(b"s").encode(upstream, upstream_id) == IdCodec(b"s").encode(upstream, upstream_id)

    @given(codecs, upstreams, ids, st.data())
    def test_any_changed_character_is_refused(
        self, codec: IdCodec, upstream: str, upstream_id: str, data: st.DataObject
    ) -> None:
        text = codec.encode(upstream, upstream_id)
        index = data.draw(st.integers(0, len(text) - 1))
        other = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz234567").filter(lambda c: c != text[index]))
        with pytest.raises(FederatedIdError):
            codec.decode(text[:index] + other + text[index + 1 :])

    @given(st.text(max_size=60))
    def test_arbitrary_text_decodes_or_raises_federated_id_error(self, text: str) -> None:
        try:
            found = IdCodec().decode(text)
        except FederatedIdError:
            return
        assert IdCodec().encode(found.upstream, found.upstream_id, kind=found.kind) == text

    def test_another_secret_refuses_the_id(self) -> None:
        text = IdCodec(b"one").encode("town", "1")
        with pytest.raises(FederatedIdError, match="check does not match"):
            IdCodec(b"two").decode(text)

    def test_the_kind_is_checked_when_asked(self) -> None:
        token = IdCodec().encode("town", "88017", kind=IdKind.TOKEN)
        with pytest.raises(FederatedIdError, match="it is a token, not a request"):
            IdCodec().decode(token, kind=IdKind.REQUEST)

    @pytest.mark.parametrize(("upstream", "upstream_id"), [("", "1"), ("town", ""), ("x" * 256, "1")])
    def test_empty_or_long_parts_are_refused(self, upstream: str, upstream_id: str) -> None:
        with pytest.raises(ValidationError):
            IdCodec().encode(upstream, upstream_id)

    def test_upper_case_and_padding_are_refused(self) -> None:
        text = IdCodec().encode("town", "1")
        for bad in (text.upper(), text + "===="):
            with pytest.raises(FederatedIdError):
                IdCodec().decode(bad)


class TestBase32:
    @given(st.binary(max_size=300))
    def test_is_rfc_4648_base32_lower_case_without_padding(self, data: bytes) -> None:
        import base64

        from georeport.federation.ids import b32decode, b32encode

        text = b32encode(data)
        assert text == base64.b32encode(data).decode("ascii").rstrip("=").lower()
        assert b32decode(text) == (data or None)

    @given(st.text("abcdefghijklmnopqrstuvwxyz234567", min_size=1, max_size=40))
    def test_decode_accepts_only_canonical_text(self, text: str) -> None:
        from georeport.federation.ids import b32decode, b32encode

        data = b32decode(text)
        if data is not None:
            assert b32encode(data) == text
