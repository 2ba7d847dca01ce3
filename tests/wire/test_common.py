"""``wire._common``'s shared pieces: ``batched`` and ``write_json_array`` (writers, ``georeport route``), ``sniff_markup``."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from georeport.wire._common import batched, sniff_markup, write_json_array


@given(items=st.lists(st.integers()), size=st.integers(min_value=1, max_value=7))
def test_batches_are_full_but_the_last_and_concatenate_to_the_items(items: list[int], size: int) -> None:
    batches = list(batched(iter(items), size))
    assert [item for batch in batches for item in batch] == items
    assert all(len(batch) == size for batch in batches[:-1])
    assert all(0 < len(batch) <= size for batch in batches)


def test_an_empty_iterable_gives_no_batch() -> None:
    assert list(batched([], 3)) == []


@pytest.mark.parametrize("size", [0, -1])
def test_a_size_below_one_is_refused(size: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(batched([1, 2], size))


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"<service_requests>", "xml"),
        (b"\xef\xbb\xbf  \r\n<?xml", "xml"),
        (b"\t[{", "json"),
        (b"{}", "json"),
        (b"service_request_id,requested_datetime", None),
        (b"", None),
    ],
)
def test_markup_is_told_by_its_first_byte_past_a_bom_and_spaces(head: bytes, expected: str | None) -> None:
    assert sniff_markup(head) == expected


@pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ('{"features":[', "]}")])
@given(values=st.lists(st.integers(), max_size=2100))
def test_a_json_array_is_written_one_item_a_line_and_reads_back(opening: str, closing: str, values: list[int]) -> None:
    stream = io.BytesIO()
    assert write_json_array(stream, (json.dumps(value) for value in values), opening=opening, closing=closing) == len(
        values
    )
    text = stream.getvalue().decode("utf-8")
    assert text.endswith("\n")
    assert len(text.splitlines()) == (len(values) + 2 if values else 1)
    document = json.loads(text)
    assert (document if opening == "[" else document["features"]) == values
