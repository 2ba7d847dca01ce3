"""Properties of the models: constructors refuse what the standard does not allow, naming the field."""

from __future__ import annotations

import math
import unicodedata
from datetime import datetime, timedelta, tzinfo
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from georeport import (
    Datatype,
    Endpoint,
    EndpointType,
    RequestSubmission,
    Service,
    ServiceAttribute,
    ServiceRequest,
    ServiceType,
    Status,
    ValidationError,
)
from tests.strategies import (
    CURATED_TEXTS,
    aware_datetimes,
    extensions,
    identifiers,
    request_submissions,
    service_requests,
)

DATETIME_FIELDS = ("requested_datetime", "updated_datetime", "expected_datetime")
LIMITS = {"lat": 90.0, "long": 180.0}


class NoOffset(tzinfo):
    """A zone that knows no offset: a datetime carrying it is naive (``utcoffset()`` is None)."""

    def utcoffset(self, _dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, _dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, _dt: datetime | None) -> str | None:
        return None


naive_datetimes = st.one_of(
    st.datetimes(datetime(1900, 1, 1), datetime(2100, 12, 31)),
    st.datetimes(datetime(1900, 1, 1), datetime(2100, 12, 31)).map(lambda value: value.replace(tzinfo=NoOffset())),
)


def out_of_range(limit: float) -> st.SearchStrategy[float | int]:
    """Numbers outside ``[-limit, limit]``: floats (infinities too), NaN and integers."""
    return st.one_of(
        st.floats(min_value=limit, exclude_min=True),
        st.floats(max_value=-limit, exclude_max=True),
        st.just(math.nan),
        st.integers(min_value=int(limit) + 1),
        st.integers(max_value=-int(limit) - 1),
        st.sampled_from([10**400, -(2**1024)]),  # beyond float
    )


def as_given(value: float) -> float:
    """The coordinate a refusal carries: the value as the converter stores it (a float when it fits one)."""
    try:
        return float(value)
    except OverflowError:
        return value


def in_range(limit: float) -> st.SearchStrategy[float | int]:
    return st.floats(-limit, limit) | st.integers(-int(limit), int(limit))


def arguments(*pairs: Any) -> dict[str, Any]:
    """Keyword arguments from ``name, value, name, value...`` (fields chosen by hypothesis)."""
    return dict(zip(pairs[::2], pairs[1::2], strict=True))


def check_refusal(info: pytest.ExceptionInfo[ValidationError], field: str, value: object) -> None:
    """The error names the field, carries the value and says it in the message."""
    assert field == info.value.field
    assert f"{field!r}" in str(info.value)
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(info.value.value)  # type: ignore[arg-type]
    else:
        assert value == info.value.value
    assert isinstance(info.value, ValueError)


class TestDatetimes:
    @given(field=st.sampled_from(DATETIME_FIELDS), value=naive_datetimes)
    def test_naive_datetimes_are_refused_naming_the_field(self, field: str, value: datetime) -> None:
        with pytest.raises(ValidationError) as info:
            ServiceRequest("1", **arguments(field, value))
        check_refusal(info, field, value)

    @given(field=st.sampled_from(DATETIME_FIELDS), value=aware_datetimes(unambiguous=False, whole_minutes=False))
    def test_aware_datetimes_are_kept_as_given(self, field: str, value: datetime) -> None:
        assert value is getattr(ServiceRequest("1", **arguments(field, value)), field)

    @given(field=st.sampled_from(DATETIME_FIELDS), value=st.sampled_from(["2010-04-14T06:37:38Z", 1271227058, 0.5]))
    def test_datetimes_must_be_datetimes(self, field: str, value: object) -> None:
        with pytest.raises(ValidationError) as info:
            ServiceRequest("1", **arguments(field, value))
        check_refusal(info, field, value)


class TestCoordinates:
    @given(data=st.data(), field=st.sampled_from(sorted(LIMITS)))
    def test_out_of_range_and_nan_coordinates_are_refused_naming_the_field(self, data: Any, field: str) -> None:
        value = data.draw(out_of_range(LIMITS[field]))
        with pytest.raises(ValidationError) as info:
            ServiceRequest("1", **arguments(field, value))
        check_refusal(info, field, as_given(value))

    @given(data=st.data(), field=st.sampled_from(sorted(LIMITS)))
    def test_submissions_refuse_out_of_range_and_nan_coordinates_naming_the_field(self, data: Any, field: str) -> None:
        value = data.draw(out_of_range(LIMITS[field]))
        other = "long" if field == "lat" else "lat"
        with pytest.raises(ValidationError) as info:
            RequestSubmission("001", **arguments(field, value, other, 0.0))
        check_refusal(info, field, as_given(value))

    @pytest.mark.parametrize("model", [ServiceRequest, RequestSubmission])
    @pytest.mark.parametrize("field", ["lat", "long"])
    @pytest.mark.parametrize("value", [10**400, -(2**1024)])
    def test_coordinates_beyond_float_range_are_refused_naming_the_field(
        self, model: Any, field: str, value: int
    ) -> None:
        """Regression (bug 12): an int too large for a float raised OverflowError, not ValidationError."""
        with pytest.raises(ValidationError) as info:
            model("001", **arguments("lat", 0.0, "long", 0.0) | arguments(field, value))
        check_refusal(info, field, value)

    @given(lat=in_range(90.0), long=in_range(180.0))
    def test_coordinates_in_range_are_kept_as_floats(self, lat: float, long: float) -> None:
        request = ServiceRequest("1", lat=lat, long=long)
        assert (float(lat), float(long)) == (request.lat, request.long)
        assert type(request.lat) is float
        assert type(request.long) is float
        assert (float(long), float(lat)) == request.__geo_interface__["coordinates"]

    @given(field=st.sampled_from(sorted(LIMITS)), value=st.sampled_from([True, False, "37.76", [37.76]]))
    def test_coordinates_that_are_not_numbers_are_refused(self, field: str, value: object) -> None:
        with pytest.raises(ValidationError) as info:
            ServiceRequest("1", **arguments(field, value))
        check_refusal(info, field, value)

    @given(lat=st.none() | in_range(90.0), long=st.none() | in_range(180.0))
    def test_submissions_take_lat_and_long_together_or_neither(self, lat: float | None, long: float | None) -> None:
        if (lat is None) == (long is None):
            RequestSubmission("001", lat=lat, long=long)
        else:
            with pytest.raises(ValidationError) as info:
                RequestSubmission("001", lat=lat, long=long)
            assert info.value.field == "lat"


class TestStrategies:
    """The strategies build valid models (a strategy that cannot is a test bug, not a src bug)."""

    @given(request=service_requests(), submission=request_submissions())
    def test_generated_models_pass_the_validators_again(
        self, request: ServiceRequest, submission: RequestSubmission
    ) -> None:
        assert request == attrs.evolve(request)  # evolve runs the converters and validators
        assert submission == attrs.evolve(submission)

    @given(code=identifiers())
    def test_identifiers_are_stripped_and_not_empty(self, code: str) -> None:
        assert code == code.strip()
        assert code
        assert code.lower() != "null"

    @pytest.mark.parametrize("text", CURATED_TEXTS)
    def test_curated_texts_follow_the_text_rules(self, text: str) -> None:
        assert text == text.strip()
        assert text
        assert not any(unicodedata.category(char) in ("Cc", "Cs") and char not in "\t\n\r" for char in text)


class TestEnums:
    @given(
        status=st.sampled_from(Status),
        service_type=st.sampled_from(ServiceType),
        datatype=st.sampled_from(Datatype),
        endpoint_type=st.sampled_from(EndpointType),
    )
    def test_enum_fields_take_the_member_or_its_text(
        self, status: Status, service_type: ServiceType, datatype: Datatype, endpoint_type: EndpointType
    ) -> None:
        assert status is ServiceRequest("1", status=status.value).status
        assert service_type is Service("001", type=service_type.value).type
        assert datatype is ServiceAttribute("CODE", datatype.value).datatype
        assert endpoint_type is Endpoint(type=endpoint_type.value).type

    @given(
        case=st.sampled_from(
            [
                (ServiceRequest, "1", "status", Status),
                (Service, "001", "type", ServiceType),
                (ServiceAttribute, "CODE", "datatype", Datatype),
                (Endpoint, None, "type", EndpointType),
            ]
        ),
        text=st.text(max_size=12) | st.sampled_from(["Open", "in_progress", "REALTIME", "Picklist", "none"]),
    )
    def test_unknown_enum_text_is_refused_naming_the_field_and_the_choices(
        self, case: tuple[Any, ...], text: str
    ) -> None:
        model, first, field, enum = case
        assume(text not in {member.value for member in enum})
        required = {} if first is None else {model.__attrs_attrs__[0].name: first}
        with pytest.raises(ValidationError) as info:
            model(**required, **{field: text})
        check_refusal(info, field, text)
        assert all(repr(member.value) in info.value.expected for member in enum)


class TestExtensions:
    @given(
        value=st.sampled_from([math.nan, math.inf, -math.inf]),
        wrap=st.sampled_from([lambda v: v, lambda v: [v], lambda v: {"deep": [1, {"x": v}]}]),
        model=st.sampled_from([lambda e: ServiceRequest("1", extensions=e), lambda e: Service("001", extensions=e)]),
    )
    def test_non_finite_numbers_in_extensions_are_refused(self, value: float, wrap: Any, model: Any) -> None:
        with pytest.raises(ValidationError) as info:
            model({"x": wrap(value)})
        assert info.value.field == "extensions"

    @given(extensions=extensions())
    def test_json_like_extensions_are_kept_as_given_in_order(self, extensions: dict[str, Any]) -> None:
        request = ServiceRequest("1", extensions=extensions)
        assert extensions == request.extensions
        assert list(extensions) == list(request.extensions)
