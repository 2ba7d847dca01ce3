"""``parse_post``, ``build_form`` and ``build_multipart``: real bodies, every rule, every error."""

from __future__ import annotations

from pathlib import Path

import pytest

from georeport import Error, RequestSubmission
from georeport.models import JSONValue
from georeport.wire.params import (
    Dialect,
    InvalidParametersError,
    MediaPart,
    ParameterError,
    ParsedPost,
    build_form,
    build_multipart,
    http_status,
    parse_post,
)

HERE = Path(__file__).parent / "data"
GEO: JSONValue = {"x": 1}
FORM = "application/x-www-form-urlencoded"


def http_request(path: Path) -> tuple[str | None, bytes]:
    """The Content-Type and body of a request saved as text (the file's final newline is not the body's)."""
    head, _, body = path.read_bytes().partition(b"\n\n")
    headers = dict(line.split(": ", 1) for line in head.decode().splitlines()[1:])
    return headers.get("Content-Type"), body.removesuffix(b"\n")


def problems(post: ParsedPost) -> list[tuple[str, str]]:
    return [(error.code, error.description or "") for error in (problem.error for problem in post.problems)]


def refused(body: bytes, content_type: str | None = FORM, **options: object) -> list[tuple[str, str | None]]:
    with pytest.raises(InvalidParametersError) as caught:
        parse_post(body, content_type, **options)  # type: ignore[arg-type]
    return [(error.code, error.description) for error in caught.value.errors]


class TestRealBodies:
    def test_the_standards_example_post(self, data_dir: Path) -> None:
        content_type, body = http_request(data_dir / "authored" / "post_request_form_body.txt")
        post = parse_post(body, content_type)
        assert post == ParsedPost(
            RequestSubmission(
                "PK-101",
                lat=45.51210433,
                long=-122.6587129,
                address_string="Laurelhurst Park playground",
                attributes={"EQUIPTYPE": "201", "HAZARDS": ("SHARP", "LOOSE")},
                email="ana.silva@mail.example",
                device_id="dev-77a1",
                account_id="90210",
                first_name="Ana",
                last_name="Silva",
                phone="5550100199",
                description="The left swing chain is snapped",
                media_url="http://photos.harborview.example/up/9981.jpg",
                jurisdiction_id="harborview.example",
            ),
            "k3y-0042",
        )
        assert post.problems == ()

    def test_a_browser_form_with_non_ascii_text_and_encoded_brackets(self) -> None:
        content_type, body = http_request(HERE / "browser_non_ascii_form.txt")
        post = parse_post(body, content_type)
        assert post.submission.address_string == "Straße des 17. Juni 12, Berlin"
        assert (post.submission.first_name, post.submission.last_name) == ("Zoë", "王")
        assert post.submission.description == "Schaukel kaputt – Kette gerissen 🚧\r\nZweite Zeile"  # noqa: RUF001
        assert post.submission.attributes == {
            "EQUIPTYPE": "201",
            "HAZARDS": ("SHARP", "LOOSE"),
            "NOTES": "ça va ? 1+1=2 & plus",
        }
        assert (post.submission.email, post.submission.phone) == (None, None)  # empty is absent

    def test_repeated_keys_without_brackets_raw_brackets_and_a_code_with_spaces(self) -> None:
        content_type, body = http_request(HERE / "boston_repeated_keys_form.txt")
        post = parse_post(body, content_type)
        assert post.submission.attributes == {
            "HAZARDS": ("SHARP", "LOOSE"),
            "EQUIPTYPE": "202",
            "What is this?": "starfish",
        }
        assert post.submission.email == "a@b.example"  # given twice, the same: fine
        assert post.submission.extensions == {"title": ["Swing", "broken"]}
        assert (post.submission.lat, post.submission.long, post.api_key) == (42.3601, -71.0589, "bos-key")
        assert post.problems == ()

    def test_raw_utf8_bytes_and_literal_spaces(self) -> None:
        content_type, body = http_request(HERE / "raw_utf8_form.txt")
        submission = parse_post(body, content_type).submission
        assert (submission.address_string, submission.description) == ("Köln Domplatte", "Ünïcödé ✓")
        assert submission.attributes == {"EQUIPTYPE": "203"}

    def test_values_that_do_not_fit_are_problems_and_left_out(self) -> None:
        content_type, body = http_request(HERE / "conflicting_keys_form.txt")
        post = parse_post(body, content_type)
        assert problems(post) == [
            ("400", "'phone' must be given once (it was also given as '5550100199') (got '5550100200')"),
            ("400", "'attribute[]' must be a key written attribute[CODE] or attribute[CODE][] (got 'x')"),
            ("400", "'attribute[EQUIPTYPE]x' must be a key written attribute[CODE] or attribute[CODE][] (got '201')"),
            ("400", "'long' must be a number in decimal degrees (got 'north')"),
        ]
        assert (post.submission.lat, post.submission.long, post.submission.phone) == (None, None, "5550100199")
        assert post.submission.attributes == {}

    def test_a_curl_multipart_upload(self) -> None:
        boundary = b"------------------------d74496d66958873e"
        jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\r\n--not-a-boundary\r\n\x00\xff\xd9"
        body = b"".join(
            (
                b"--" + boundary + b"\r\n",
                b'Content-Disposition: form-data; name="api_key"\r\n\r\nk3y-0042\r\n',
                b"--" + boundary + b"\r\n",
                b'Content-Disposition: form-data; name="service_code"\r\n\r\nPK-101\r\n',
                b"--" + boundary + b"\r\n",
                b'Content-Disposition: form-data; name="description"\r\n\r\nChain snapped\r\nsecond line\r\n',
                b"--" + boundary + b"\r\n",
                b'Content-Disposition: form-data; name="attribute[HAZARDS][]"\r\n\r\nSHARP\r\n',
                b"--" + boundary + b"\r\n",
                b'Content-Disposition: form-data; name="media"; filename="swing.jpg"\r\n',
                b"Content-Type: image/jpeg\r\n\r\n" + jpeg + b"\r\n",
                b"--" + boundary + b"--\r\n",
            )
        )
        post = parse_post(body, "multipart/form-data; boundary=" + boundary.decode())
        assert post == ParsedPost(
            RequestSubmission("PK-101", description="Chain snapped\r\nsecond line", attributes={"HAZARDS": ("SHARP",)}),
            "k3y-0042",
            [MediaPart(jpeg, "media", "swing.jpg", "image/jpeg")],
        )

    def test_a_browser_multipart_form_with_no_file_chosen(self) -> None:
        body = (
            b"preamble\r\n------WebKitFormBoundaryx\r\n"
            b'Content-Disposition: form-data; name="service_code"\r\n\r\nPK-101\r\n'
            b"------WebKitFormBoundaryx\r\n"
            b'Content-Disposition: form-data; name="media"; filename=""\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n\r\n"
            b"------WebKitFormBoundaryx\r\n"
            b"Content-Disposition: form-data; name=\"photo\"; filename*=UTF-8''K%C3%B6ln.png\r\n\r\nPNG\r\n"
            b"------WebKitFormBoundaryx--\r\n"
        )
        post = parse_post(body, 'multipart/form-data; boundary="----WebKitFormBoundaryx"')
        assert post.media == (MediaPart(b"PNG", "photo", "Köln.png"),)


class TestAttributes:
    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            (b"attribute[A]=1", {"A": "1"}),
            (b"attribute%5BA%5D=1", {"A": "1"}),
            (b"attribute%5ba%5d%5b%5d=1", {"a": ("1",)}),
            (b"attribute[A][]=1&attribute[A][]=2", {"A": ("1", "2")}),
            (b"attribute[A]=1&attribute[A]=2", {"A": ("1", "2")}),
            (b"attribute[A]=1&attribute[A][]=2", {"A": ("1", "2")}),
            (b"attribute[A][]=&attribute[B]=", {}),
            (b"attribute[a+b%2Fc]=x", {"a b/c": "x"}),
            (b"attribute[%5B]=x", {"[": "x"}),
        ],
        ids=["single", "encoded", "lower-case-encoding", "brackets", "repeated", "mixed", "empty", "spaces", "bracket"],
    )
    def test_every_spelling_of_an_answer(self, body: bytes, expected: dict[str, object]) -> None:
        assert parse_post(b"service_code=1&" + body, FORM).submission.attributes == expected


class TestLocation:
    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            (b"lat=95&long=120", ["'lat' must be a latitude between -90 and 90 (got '95')"]),
            (
                b"lat=-122.6&long=45.5",
                ["'lat' and 'long' look swapped: lat must be between -90 and 90 (got lat='-122.6', long='45.5')"],
            ),
            (b"lat=45.5&long=200", ["'long' must be a longitude between -180 and 180 (got '200')"]),
            (
                b"lat=nan&long=inf",
                [
                    "'lat' must be a number in decimal degrees (got 'nan')",
                    "'long' must be a number in decimal degrees (got 'inf')",
                ],
            ),
            (b"lat=45.5", ["'long' must be given together with 'lat' (got None)"]),
            (b"long=45.5", ["'lat' must be given together with 'long' (got None)"]),
        ],
        ids=["out-of-range", "swapped", "long-out-of-range", "not-numbers", "lat-alone", "long-alone"],
    )
    def test_a_point_that_does_not_fit_is_a_problem(self, body: bytes, expected: list[str]) -> None:
        post = parse_post(b"service_code=1&" + body, FORM)
        assert problems(post) == [("400", description) for description in expected]
        assert (post.submission.lat, post.submission.long) == (None, None)

    def test_a_point_given_with_spaces_and_an_exponent_is_read(self) -> None:
        submission = parse_post(b"service_code=1&lat=+4.55e1+&long=-122", FORM).submission
        assert (submission.lat, submission.long) == (45.5, -122.0)


class TestRefusals:
    def test_no_service_code_is_refused_with_every_other_problem(self) -> None:
        assert refused(b"lat=1&phone=1&phone=2&description=") == [
            ("400", "'service_code' must be given (it names the service) (got None)"),
            ("400", "'phone' must be given once (it was also given as '1') (got '2')"),
        ]

    def test_a_body_over_the_limit_is_413(self) -> None:
        assert refused(b"service_code=1", max_size=10) == [("413", "'body' must be at most 10 bytes (got '14 bytes')")]

    def test_too_many_fields_is_413(self) -> None:
        assert refused(b"a=1&b=2&service_code=1", max_fields=2) == [
            ("413", "'body' must be at most 2 parameters (got '3 parameters')")
        ]

    def test_too_many_parts_is_413(self) -> None:
        body, content_type = build_multipart(RequestSubmission("1", description="d", email="e"))
        assert refused(body, content_type, max_parts=2) == [
            ("413", "'body' must be at most 2 parts (got 'more than 2 parts')")
        ]

    def test_a_json_body_is_415(self) -> None:
        assert refused(b'{"service_code": "1"}', "application/json") == [
            (
                "415",
                "'Content-Type' must be application/x-www-form-urlencoded or multipart/form-data (got 'application/json')",
            )
        ]

    def test_bytes_that_are_not_utf8_are_400_naming_the_field(self) -> None:
        assert refused(b"service_code=1&description=caf%E9") == [
            ("400", "'description' must be text in utf-8 (got b'caf\\xe9')")
        ]

    def test_a_declared_latin1_body_is_read_as_latin1(self) -> None:
        post = parse_post(b"service_code=1&description=caf%E9", FORM + "; charset=ISO-8859-1")
        assert post.submission.description == "café"

    def test_multipart_without_a_boundary(self) -> None:
        assert refused(b"", "multipart/form-data") == [
            ("400", "'Content-Type' must be a multipart type with a boundary (got 'multipart/form-data')")
        ]

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            (b"no boundary here", "'body' must be a multipart body with the boundary 'b' (got b'no boundary here')"),
            (
                b"--b\r\nContent-Disposition: form-data; name=x\r\n\r\nv",
                "'body' must be every multipart part closed by a boundary (got b'Content-Disposition: form-data; name=x\\r\\n')",
            ),
            (
                b"--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--",
                "'body' must be every part with 'Content-Disposition: form-data; name=...' (got b'Content-Type: text/plain')",
            ),
            (b"--b junk\r\n", "'body' must be CRLF after a multipart boundary (got b' junk\\r\\n')"),
            (
                b'--b\r\nContent-Disposition: form-data; name="d"\r\n\r\n\xff\r\n--b--',
                "'d' must be text in utf-8 (got b'\\xff')",
            ),
        ],
        ids=["no-boundary", "unclosed", "no-disposition", "junk-after-boundary", "not-utf8"],
    )
    def test_malformed_multipart_is_400(self, body: bytes, expected: str) -> None:
        assert refused(body, "multipart/form-data; boundary=b") == [("400", expected)]

    def test_the_api_key_may_come_in_the_query_string(self) -> None:
        assert parse_post(b"service_code=1", FORM, query="?api_key=k").api_key == "k"


class TestBuilding:
    def test_the_standards_example_reads_back_from_what_georeport_writes(self, data_dir: Path) -> None:
        content_type, body = http_request(data_dir / "authored" / "post_request_form_body.txt")
        post = parse_post(body, content_type)
        written = build_form(post.submission, api_key=post.api_key)
        assert written.startswith(b"api_key=k3y-0042&jurisdiction_id=harborview.example&service_code=PK-101&lat=")
        assert written.endswith(b"&attribute%5BHAZARDS%5D%5B%5D=SHARP&attribute%5BHAZARDS%5D%5B%5D=LOOSE")
        assert parse_post(written, FORM) == post

    def test_a_dialect_without_brackets_repeats_the_key(self) -> None:
        body = build_form(
            RequestSubmission("1", attributes={"H": ("a", "b")}), dialect=Dialect(multivalue_brackets=False)
        )
        assert body == b"service_code=1&attribute%5BH%5D=a&attribute%5BH%5D=b"

    def test_extensions_are_written_as_parameters(self) -> None:
        extensions: dict[str, JSONValue] = {"title": "T", "tags": ["a", "b"], "n": 2, "ok": True, "x": None}
        submission = RequestSubmission("1", extensions=extensions)
        assert build_form(submission) == b"service_code=1&title=T&tags=a&tags=b&n=2&ok=true"

    @pytest.mark.parametrize(
        ("submission", "expected"),
        [
            (
                RequestSubmission("1", attributes={"a]b": "x"}),
                "'attributes' must be attribute codes that are non-empty and hold no ']' (got 'a]b')",
            ),
            (
                RequestSubmission("1", extensions={"email": "x"}),
                "'extensions' must be names the standard does not use for a form field (got 'email')",
            ),
            (
                RequestSubmission("1", extensions={"geo": GEO}),
                "\"extensions['geo']\" must be text, a number, a boolean or a list of them (got {'x': 1})",
            ),
        ],
        ids=["bracket-in-code", "standard-name", "mapping"],
    )
    def test_what_a_form_cannot_carry_is_refused(self, submission: RequestSubmission, expected: str) -> None:
        with pytest.raises(ParameterError) as caught:
            build_form(submission)
        assert str(caught.value) == expected

    def test_multipart_refuses_a_bare_part_that_would_read_back_as_text(self) -> None:
        with pytest.raises(ParameterError, match="'media' must be a filename, or the name 'media' or 'media\\[\\]'"):
            build_multipart(RequestSubmission("1"), media=[MediaPart(b"x", "photo")])

    def test_multipart_refuses_line_breaks_in_names(self) -> None:
        with pytest.raises(ValueError, match="'filename' must be a name without line breaks"):
            build_multipart(RequestSubmission("1"), media=[MediaPart(b"x", filename="a\nb")])

    def test_multipart_refuses_a_given_boundary_found_in_the_content(self) -> None:
        with pytest.raises(ValueError, match="'boundary' must be a boundary that does not occur in the content"):
            build_multipart(RequestSubmission("1", description="--sep--"), boundary="sep")

    def test_multipart_with_a_given_boundary_is_exact(self) -> None:
        body, content_type = build_multipart(
            RequestSubmission("1"),
            api_key="k",
            media=[MediaPart(b"\x00", filename='a "b".jpg', content_type="image/jpeg")],
            boundary="B",
        )
        assert content_type == 'multipart/form-data; boundary="B"'
        assert body == (
            b'--B\r\nContent-Disposition: form-data; name="api_key"\r\n\r\nk\r\n'
            b'--B\r\nContent-Disposition: form-data; name="service_code"\r\n\r\n1\r\n'
            b'--B\r\nContent-Disposition: form-data; name="media"; filename="a \\"b\\".jpg"\r\n'
            b"Content-Type: image/jpeg\r\n\r\n\x00\r\n--B--\r\n"
        )


class TestProblems:
    def test_the_group_is_an_exception_group_of_parameter_errors(self) -> None:
        with pytest.raises(InvalidParametersError) as caught:
            parse_post(b"phone=1&phone=2", FORM)
        group = caught.value
        assert isinstance(group, ExceptionGroup)
        assert isinstance(group, ParameterError)
        assert [problem.field for problem in group.exceptions] == ["service_code", "phone"]
        assert group.status_hint == 400
        assert str(group).splitlines()[0] == "2 invalid parameter(s), answer with HTTP 400:"

    def test_splitting_keeps_the_type_and_the_status(self) -> None:
        group = InvalidParametersError([ParameterError("a", 1, "x"), ParameterError("b", 2, "y", status_hint=404)])
        matched, rest = group.split(lambda exc: not isinstance(exc, ExceptionGroup) and exc.status_hint == 404)  # type: ignore[attr-defined]
        assert isinstance(matched, InvalidParametersError)
        assert matched.status_hint == 404
        assert isinstance(rest, InvalidParametersError)
        assert rest.errors == (Error("400", "'a' must be x (got 1)"),)

    @pytest.mark.parametrize(
        ("codes", "status"),
        [(["400", "404"], 404), (["404", "403"], 403), (["413"], 413), (["422", "400"], 400), (["E12"], 400)],
    )
    def test_http_status_picks_the_most_telling_code(self, codes: list[str], status: int) -> None:
        assert http_status(Error(code, "x") for code in codes) == status
