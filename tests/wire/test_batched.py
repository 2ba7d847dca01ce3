"""``wire._common.batched``: the one batching helper of the writers and ``georeport route``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from georeport.wire._common import batched


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
