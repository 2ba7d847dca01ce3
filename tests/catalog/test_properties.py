"""Properties of ``Catalog.validate``: it never crashes, it accepts every valid answer, and the form does not change its verdict."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from georeport import AttributeValue, Datatype, RequestSubmission, Service, ServiceAttribute, ServiceDefinition
from georeport.catalog import Catalog
from georeport.wire.params import build_form, parse_post
from tests.catalog.conftest import EVERY_DATATYPE, TURKU
from tests.params.strategies import attribute_codes, form_texts, submissions
from tests.strategies import aware_datetimes

CATALOG = Catalog([Service("ALL", metadata=True)], [EVERY_DATATYPE], bbox=TURKU)
KEYS = st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=4, unique=True)


def answer(datatype: Datatype, keys: list[str]) -> st.SearchStrategy[Any]:
    """A valid answer of a datatype."""
    one_line = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), min_size=1)
    return {
        Datatype.STRING: one_line,
        Datatype.NUMBER: st.one_of(st.integers().map(str), st.floats(allow_nan=False, allow_infinity=False).map(repr)),
        Datatype.DATETIME: aware_datetimes().map(lambda value: value.isoformat()),
        Datatype.TEXT: form_texts(),
        Datatype.SINGLEVALUELIST: st.sampled_from(keys),
        Datatype.MULTIVALUELIST: st.lists(st.sampled_from(keys), min_size=1, unique=True).map(tuple),
    }[datatype]


@st.composite
def answered(draw: st.DrawFn) -> tuple[Catalog, RequestSubmission]:
    """A random definition and a submission answering every question validly (the required ones at least)."""
    codes = draw(st.lists(attribute_codes(), min_size=1, max_size=5, unique=True))
    attributes, answers = [], {}
    for code in codes:
        datatype = draw(st.sampled_from(Datatype))
        keys = draw(KEYS) if datatype.is_list else []
        required, variable = draw(st.booleans()), draw(st.booleans())
        attributes.append(
            ServiceAttribute(
                code, datatype, variable=variable, required=required, values=[AttributeValue(k) for k in keys]
            )
        )
        if variable and (required or draw(st.booleans())):
            answers[code] = draw(answer(datatype, keys))
    catalog = Catalog([Service("S", metadata=True)], [ServiceDefinition("S", attributes)])
    return catalog, RequestSubmission("S", address_id="A-1", attributes=answers)


@given(submissions())
def test_validate_answers_any_submission_with_400s_and_404s(submission: RequestSubmission) -> None:
    errors = CATALOG.validate(submission)
    assert {error.code for error in errors} <= {"400", "404"}
    assert all(error.description for error in errors)


@given(answered())
def test_every_valid_answer_is_accepted(case: tuple[Catalog, RequestSubmission]) -> None:
    catalog, submission = case
    assert catalog.validate(submission) == []


@given(submissions())
def test_the_form_round_trip_does_not_change_the_verdict(submission: RequestSubmission) -> None:
    assert CATALOG.validate(parse_post(build_form(submission), None)) == CATALOG.validate(submission)
