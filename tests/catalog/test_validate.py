"""``Catalog.validate``: every rule, each asserting the exact errors a server answers with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import georeport
from georeport import Error, ErrorList, RequestSubmission
from georeport.catalog import AttributeValueError, Catalog, MissingDefinitionError
from georeport.wire.params import RequestsQuery, build_form, http_status, parse_post

VALID = {"NAME": "Ana's bike", "KIND": "2"}
"""The required answers of the ``ALL`` service."""


def submit(**fields: Any) -> RequestSubmission:
    fields.setdefault("service_code", "ALL")
    fields.setdefault("address_string", "Aurakatu 1, Turku")
    attributes = {**VALID, **fields.pop("attributes", {})}
    return RequestSubmission(
        attributes={code: answer for code, answer in attributes.items() if answer is not None}, **fields
    )


def found(catalog: Catalog, submission: Any, **options: Any) -> list[tuple[str, str | None]]:
    return [(error.code, error.description) for error in catalog.validate(submission, **options)]


class TestTheStandard:
    def test_a_complete_submission_has_no_errors(self, every_datatype: Catalog) -> None:
        assert every_datatype.validate(submit()) == []

    def test_the_standards_example_post_is_valid(self, harborview: Catalog, data_dir: Path) -> None:
        body = (data_dir / "authored" / "post_request_form_body.txt").read_bytes().partition(b"\n\n")[2].strip()
        assert harborview.validate(parse_post(body, None)) == []

    def test_an_unknown_service_is_404_and_the_rest_is_still_checked(self, every_datatype: Catalog) -> None:
        assert found(every_datatype, submit(service_code="NOPE", email="x")) == [
            ("404", "'service_code' must be a service this jurisdiction offers (got 'NOPE')"),
            ("400", "'email' must be an e-mail address such as name@example.org (got 'x')"),
        ]

    def test_another_jurisdiction_is_404(self, every_datatype: Catalog) -> None:
        assert found(every_datatype, submit(jurisdiction_id="helsinki.fi")) == [
            ("404", "'jurisdiction_id' must be 'turku.fi', the jurisdiction served here (got 'helsinki.fi')")
        ]
        assert every_datatype.validate(submit(jurisdiction_id="turku.fi")) == []

    @pytest.mark.parametrize(
        "location",
        [{"lat": 60.45, "long": 22.27}, {"address_string": "Aurakatu 1"}, {"address_id": "A-17"}],
        ids=["point", "address", "address-id"],
    )
    def test_any_one_location_is_enough(self, every_datatype: Catalog, location: dict[str, Any]) -> None:
        assert every_datatype.validate(submit(**{"address_string": None, **location})) == []

    def test_no_location_is_400(self, every_datatype: Catalog) -> None:
        assert found(every_datatype, submit(address_string=None)) == [
            ("400", "a location is required: 'lat' and 'long', 'address_string' or 'address_id'")
        ]

    def test_a_point_that_is_swapped_into_the_jurisdiction_is_flagged(self, every_datatype: Catalog) -> None:
        assert found(every_datatype, submit(lat=22.27, long=60.45)) == [
            (
                "400",
                (
                    "'lat' and 'long' look swapped: the point is outside the jurisdiction, "
                    "the swapped one inside (got lat=22.27, long=60.45)"
                ),
            )
        ]

    def test_a_point_outside_the_box_that_is_not_a_swap_is_not_flagged(self, every_datatype: Catalog) -> None:
        assert every_datatype.validate(submit(lat=60.17, long=24.94)) == []

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            (b"lat=95&long=120", [("400", "'lat' must be a latitude between -90 and 90 (got '95')")]),
            (
                b"lat=-122.6&long=45.5",
                [
                    (
                        "400",
                        "'lat' and 'long' look swapped: lat must be between -90 and 90 (got lat='-122.6', long='45.5')",
                    )
                ],
            ),
            (b"lat=10&long=-190", [("400", "'long' must be a longitude between -180 and 180 (got '-190')")]),
        ],
        ids=["lat-out-of-range", "lat-over-90-long-under-90", "long-out-of-range"],
    )
    def test_coordinates_out_of_range_arrive_from_the_form(
        self, every_datatype: Catalog, body: bytes, expected: list[tuple[str, str]]
    ) -> None:
        """A ``RequestSubmission`` cannot hold them; the form parser reports them and validate passes them on."""
        post = parse_post(b"service_code=ALL&attribute[NAME]=x&attribute[KIND]=1&" + body, None)
        assert found(every_datatype, post) == expected

    def test_every_problem_at_once_form_problems_first(self, every_datatype: Catalog) -> None:
        post = parse_post(b"service_code=ALL&lat=x&long=1&phone=12&attribute[COUNT]=many&attribute[KIND]=9", None)
        assert found(every_datatype, post) == [
            ("400", "'lat' must be a number in decimal degrees (got 'x')"),
            ("400", "'attribute[NAME]' is required (Whose is it?)"),
            ("400", "'attribute[COUNT]' must be a number, such as 12 or 12.5 (got 'many')"),
            ("400", "'attribute[KIND]' must be one of '1', '2' (got '9')"),
            ("400", "'phone' must be a phone number of 7 to 15 digits, such as +1 555 010 0199 (got '12')"),
        ]


class TestAttributes:
    @pytest.mark.parametrize(
        ("answers", "expected"),
        [
            ({"NAME": None}, ["'attribute[NAME]' is required (Whose is it?)"]),
            ({"NAME": ""}, ["'attribute[NAME]' is required (Whose is it?)"]),
            ({"NAME": ()}, ["'attribute[NAME]' is required (Whose is it?)"]),
            (
                {"NAME": "two\nlines"},
                [
                    "'attribute[NAME]' must be one line of text (a string attribute takes no line breaks) (got 'two\\nlines')"
                ],
            ),
            ({"NAME": ("a", "b")}, ["'attribute[NAME]' must be one value (got ('a', 'b'))"]),
            ({"COUNT": "12,5"}, ["'attribute[COUNT]' must be a number, such as 12 or 12.5 (got '12,5')"]),
            ({"COUNT": "1_000"}, ["'attribute[COUNT]' must be a number, such as 12 or 12.5 (got '1_000')"]),
            ({"COUNT": "nan"}, ["'attribute[COUNT]' must be a number, such as 12 or 12.5 (got 'nan')"]),
            (
                {"WHEN": "2010-01-01"},
                [
                    "'attribute[WHEN]' must be an ISO 8601 datetime with a zone, such as 2010-01-01T00:00:00Z (got '2010-01-01')"
                ],
            ),
            (
                {"WHEN": "2010-01-01T10:00:00"},
                [
                    "'attribute[WHEN]' must be an ISO 8601 datetime with a zone, such as 2010-01-01T00:00:00Z (got '2010-01-01T10:00:00')"
                ],
            ),
            (
                {"WHEN": "next week"},
                [
                    "'attribute[WHEN]' must be an ISO 8601 datetime with a zone, such as 2010-01-01T00:00:00Z (got 'next week')"
                ],
            ),
            ({"KIND": "Car"}, ["'attribute[KIND]' must be one of '1', '2' (got 'Car')"]),
            ({"KIND": ("1", "2")}, ["'attribute[KIND]' must be one value (got ('1', '2'))"]),
            (
                {"HAZ": ("A", "C", "D")},
                [
                    "'attribute[HAZ]' must be among 'A', 'B' (got 'C')",
                    "'attribute[HAZ]' must be among 'A', 'B' (got 'D')",
                ],
            ),
            ({"HAZ": "C"}, ["'attribute[HAZ]' must be among 'A', 'B' (got 'C')"]),
            ({"COLOUR": "red"}, ["'attribute[COLOUR]' must be a question of service 'ALL' (got 'red')"]),
            ({"INFO": "ok"}, ["'attribute[INFO]' must be left out (the attribute is informational) (got 'ok')"]),
        ],
        ids=[
            "required-missing",
            "required-empty",
            "required-empty-tuple",
            "string-line-break",
            "string-two-values",
            "number-comma",
            "number-underscore",
            "number-nan",
            "datetime-date-only",
            "datetime-no-zone",
            "datetime-words",
            "single-name-not-key",
            "single-two-values",
            "multi-unknown-keys",
            "multi-as-text",
            "unknown-attribute",
            "informational-answered",
        ],
    )
    def test_each_datatype_rule(self, every_datatype: Catalog, answers: dict[str, Any], expected: list[str]) -> None:
        assert found(every_datatype, submit(attributes=answers)) == [("400", description) for description in expected]

    @pytest.mark.parametrize(
        "answers",
        [
            {"COUNT": "12"},
            {"COUNT": "-12.5"},
            {"COUNT": " 1e3 "},
            {"COUNT": ".5"},
            {"WHEN": "2010-01-01T00:00:00Z"},
            {"WHEN": "2010-01-01T00:00:00.5-08:00"},
            {"WHEN": "2010-01-01 00:00+01:00"},
            {"NOTES": "line one\r\nline two"},
            {"KIND": ("1",)},
            {"HAZ": ("A", "B")},
            {"HAZ": "A"},
            {"ANY": "whatever the CRM says"},
        ],
        ids=[
            "int",
            "negative-decimal",
            "exponent",
            "leading-dot",
            "utc",
            "fraction-offset",
            "space",
            "text-lines",
            "one-tuple",
            "multi",
            "multi-text",
            "list-without-keys",
        ],
    )
    def test_accepted_answers(self, every_datatype: Catalog, answers: dict[str, Any]) -> None:
        assert every_datatype.validate(submit(attributes=answers)) == []

    def test_unknown_and_informational_answers_can_be_allowed(self, every_datatype: Catalog) -> None:
        submission = submit(attributes={"COLOUR": "red", "INFO": "ok"})
        assert every_datatype.validate(submission, allow_unknown_attributes=True) == []

    def test_informational_attributes_are_never_required(self, washington: Catalog) -> None:
        submission = RequestSubmission(
            "S0301", address_string="1350 Pennsylvania Ave NW", attributes={"WHISPOLO": "STREE001"}
        )
        assert washington.validate(submission) == []

    def test_a_service_without_a_definition_takes_no_answers(self, harborview: Catalog) -> None:
        submission = RequestSubmission("ST-214", address_id="A-1", attributes={"X": "1"})
        assert found(harborview, submission) == [
            ("400", "'attribute[X]' must be a question of service 'ST-214' (got '1')")
        ]

    def test_a_definition_the_catalog_lacks_is_a_programming_error(self, harborview: Catalog) -> None:
        with pytest.raises(MissingDefinitionError):
            harborview.validate(RequestSubmission("WA-330", address_id="A-1"))

    def test_problems_carry_the_field_and_the_attribute_code(self, every_datatype: Catalog) -> None:
        (problem,) = every_datatype.problems(submit(attributes={"KIND": "9"}))
        assert isinstance(problem, AttributeValueError)
        assert (problem.field, problem.attribute_code, problem.value, problem.status_hint) == (
            "attribute[KIND]",
            "KIND",
            "9",
            400,
        )

    def test_a_long_key_list_is_cut_in_the_description(self) -> None:
        from georeport import AttributeValue, Datatype, Service, ServiceAttribute, ServiceDefinition

        keys = [AttributeValue(str(n)) for n in range(20)]
        catalog = Catalog(
            [Service("S")], [ServiceDefinition("S", [ServiceAttribute("K", Datatype.SINGLEVALUELIST, values=keys)])]
        )
        (error,) = catalog.validate(RequestSubmission("S", address_id="1", attributes={"K": "x"}))
        assert error.description == (
            "'attribute[K]' must be one of '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11' (and 8 more) (got 'x')"
        )


class TestContact:
    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            ({"email": "ana.silva"}, "'email' must be an e-mail address such as name@example.org (got 'ana.silva')"),
            (
                {"email": "ana@localhost"},
                "'email' must be an e-mail address such as name@example.org (got 'ana@localhost')",
            ),
            ({"email": "a b@c.org"}, "'email' must be an e-mail address such as name@example.org (got 'a b@c.org')"),
            (
                {"phone": "12345"},
                "'phone' must be a phone number of 7 to 15 digits, such as +1 555 010 0199 (got '12345')",
            ),
            (
                {"phone": "call me"},
                "'phone' must be a phone number of 7 to 15 digits, such as +1 555 010 0199 (got 'call me')",
            ),
            (
                {"phone": "1234567890123456"},
                "'phone' must be a phone number of 7 to 15 digits, such as +1 555 010 0199 (got '1234567890123456')",
            ),
            (
                {"media_url": "ftp://x.example/a.jpg"},
                "'media_url' must be an http or https URL (got 'ftp://x.example/a.jpg')",
            ),
            ({"media_url": "photo.jpg"}, "'media_url' must be an http or https URL (got 'photo.jpg')"),
            ({"description": "It is <b>broken</b>"}, "'description' must be plain text without HTML (got '<b>')"),
            (
                {"description": "See <a href='x'>here</a>"},
                "'description' must be plain text without HTML (got \"<a href='x'>\")",
            ),
            ({"description": "<!-- x -->"}, "'description' must be plain text without HTML (got '<!--')"),
            ({"description": "x" * 4001}, "'description' must be at most 4000 characters (got 4001 characters)"),
        ],
        ids=[
            "email-no-at",
            "email-no-dot",
            "email-space",
            "phone-short",
            "phone-words",
            "phone-long",
            "media-ftp",
            "media-relative",
            "html",
            "html-link",
            "html-comment",
            "too-long",
        ],
    )
    def test_shapes_and_limits(self, every_datatype: Catalog, fields: dict[str, str], expected: str) -> None:
        assert found(every_datatype, submit(**fields)) == [("400", expected)]

    @pytest.mark.parametrize(
        "fields",
        [
            {"email": "zoë.müller@stadt.köln.de"},
            {"phone": "+1 (555) 010-0199"},
            {"phone": "555.010.0199 ext. 12"},
            {"phone": "030/123 4567"},
            {"description": "x" * 4000},
            {"description": "I <3 this park; 2 < 3 and 5 > 4; <unknown> is not HTML"},
            {"media_url": "https://photos.example/up/9981.jpg"},
        ],
        ids=["email-idn", "phone-us", "phone-extension", "phone-berlin", "exactly-4000", "not-html", "media-https"],
    )
    def test_accepted_shapes(self, every_datatype: Catalog, fields: dict[str, str]) -> None:
        assert every_datatype.validate(submit(**fields)) == []


class TestServer:
    def test_answer_an_errors_document(self, harborview: Catalog) -> None:
        post = parse_post(build_form(RequestSubmission("PK-101", attributes={"EQUIPTYPE": "999"})), None)
        errors = harborview.validate(post)
        assert http_status(errors) == 400
        assert georeport.dump(ErrorList(errors), "json") == (
            b"[{\"code\":\"400\",\"description\":\"a location is required: 'lat' and 'long', 'address_string' or 'address_id'\"},"
            b"{\"code\":\"400\",\"description\":\"'attribute[EQUIPTYPE]' must be one of '201', '202', '203' (got '999')\"}]"
        )

    def test_unknown_codes_in_a_requests_query_are_404(self, harborview: Catalog) -> None:
        query = RequestsQuery(service_code=["PK-101", "XX-1"], jurisdiction_id="other.example")
        assert harborview.validate_query(query) == [
            Error(
                "404",
                "'jurisdiction_id' must be 'harborview.example', the jurisdiction served here (got 'other.example')",
            ),
            Error("404", "'service_code' must be a service this jurisdiction offers (got 'XX-1')"),
        ]
        assert harborview.validate_query(RequestsQuery(service_request_id=["1"], service_code=["XX-1"])) == []
