"""The case table: close times from close events, never from a later note; dumps' Bulk fields; as-of views."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from georeport.errors import ValidationError
from georeport.lifecycle import Channel, ClosureReason
from georeport.stats import CaseTable, Categories, StatsOptions, build_report, channel_of, closure_reason_of, to_json
from georeport.stats.cases import CLOSED_UNKNOWN_REASON, OPEN, REASONS, to_instants

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)
AS_OF = datetime(2024, 3, 1, tzinfo=UTC)


def _report_json(table: CaseTable) -> str:
    options = StatsOptions(as_of=AS_OF, by=("agency",), resolution_target=timedelta(days=5), min_group_size=1)
    return to_json(build_report(table, options))


class TestFromCases:
    def test_times_come_from_the_history(self, case):
        built = case(1, ack_after=timedelta(hours=3), close_after=timedelta(days=2))
        table = CaseTable.from_cases([built])
        assert table.requested[0] == np.datetime64("2024-01-01T12:00", "ns")
        assert table.first_response[0] == np.datetime64("2024-01-01T15:00", "ns")
        assert table.closed[0] == np.datetime64("2024-01-03T12:00", "ns")
        assert table.reason[0] == REASONS.index(ClosureReason.RESOLVED)
        assert not table.proxy[0]

    def test_a_note_after_closing_changes_no_figure(self, case):
        cases = [case(n, close_after=timedelta(days=n % 7 + 1), ack_after=timedelta(hours=1)) for n in range(30)]
        noted = [c.add_note("thanks for reporting", at=T0 + timedelta(days=40)) for c in cases]
        assert noted[0].updated_datetime == T0 + timedelta(days=40)
        assert _report_json(CaseTable.from_cases(cases)) == _report_json(CaseTable.from_cases(noted))

    def test_reopened_case_has_two_open_intervals(self, case):
        built = case(1, close_after=timedelta(days=2), reopen_after=timedelta(days=3), reclose_after=timedelta(days=6))
        table = CaseTable.from_cases([built])
        assert table.span_case.tolist() == [0, 0]
        assert table.first_closed[0] == np.datetime64("2024-01-03T12:00", "ns")
        assert table.reopened[0] == np.datetime64("2024-01-04T12:00", "ns")
        assert table.closed[0] == np.datetime64("2024-01-07T12:00", "ns")
        assert table.reopenings[0] == 1

    def test_referral_and_duplicate(self, case):
        table = CaseTable.from_cases(
            [
                case(1, close_after=timedelta(days=1), how="referred", referred_to="Province"),
                case(2, close_after=timedelta(days=1), how="duplicate", duplicate_of="1"),
            ]
        )
        assert table.dimensions["referred_to"].labels == ("Province",)
        assert table.is_duplicate.tolist() == [False, True]
        assert table.duplicate_of.tolist() == ["", "1"]

    def test_pauses_are_kept(self, case):
        table = CaseTable.from_cases([case(1, pause=(timedelta(hours=1), timedelta(days=2)))])
        assert table.pause_case.tolist() == [0]
        assert table.pause_end[0] - table.pause_start[0] == np.timedelta64(47 * 3600, "s")


class TestFromRequests:
    def test_close_time_from_closed_datetime_not_updated(self, dump_request):
        closed = T0 + timedelta(days=2)
        table = CaseTable.from_requests(
            [
                dump_request(
                    1, status="closed", closed=closed, updated=closed + timedelta(days=9), description="Completed"
                )
            ]
        )
        assert table.closed[0] == np.datetime64("2024-01-03T12:00", "ns")
        assert not table.proxy[0]
        assert table.reason[0] == REASONS.index(ClosureReason.RESOLVED)

    def test_a_later_updated_datetime_changes_no_figure(self, dump_request):
        def requests(later: timedelta) -> list:
            return [
                dump_request(
                    n, status="closed", closed=T0 + timedelta(days=n % 5), updated=T0 + timedelta(days=n % 5) + later
                )
                for n in range(25)
            ]

        first = _report_json(CaseTable.from_requests(requests(timedelta(0))))
        assert first == _report_json(CaseTable.from_requests(requests(timedelta(days=30))))

    def test_updated_datetime_is_a_flagged_proxy_only_when_nothing_else_exists(self, dump_request):
        table = CaseTable.from_requests([dump_request(1, status="closed", updated=T0 + timedelta(days=3))])
        assert table.proxy.tolist() == [True]
        assert table.closed[0] == np.datetime64("2024-01-04T12:00", "ns")

    def test_closed_without_any_time(self, dump_request):
        table = CaseTable.from_requests([dump_request(1, status="closed")])
        assert table.close_unknown.tolist() == [True]
        assert table.reason[0] == CLOSED_UNKNOWN_REASON

    def test_closed_date_and_zone_less_times(self, dump_request):
        table = CaseTable.from_requests(
            [dump_request(1, status="closed", closed_date="2024-01-05", source=None)], timezone=UTC
        )
        assert table.closed[0] == np.datetime64("2024-01-05T00:00", "ns")
        assert table.dimensions["channel"].codes.tolist() == [-1]

    def test_service_subtype_is_a_dimension(self, dump_request):
        table = CaseTable.from_requests([dump_request(1, service_subtype="asphalt"), dump_request(2)])
        assert table.dimensions["service_subtype"].labels == ("asphalt",)
        assert "service_subtype" not in CaseTable.from_requests([dump_request(3)]).dimensions

    def test_jurisdiction_is_a_dimension(self, dump_request, case):
        table = CaseTable.from_requests([dump_request(1, jurisdiction_id="city.gov"), dump_request(2)])
        assert table.dimensions["jurisdiction"].codes.tolist() == [0, -1]
        assert "jurisdiction" not in CaseTable.from_cases([case(1)]).dimensions

    def test_the_routed_jurisdiction_is_the_jurisdiction(self, dump_request):
        # what `georeport route` adds; a declared jurisdiction_id comes first
        table = CaseTable.from_requests(
            [
                dump_request(1, routed_jurisdiction_id="elk-falls"),
                dump_request(2, jurisdiction_id="city.gov", routed_jurisdiction_id="elk-falls"),
                dump_request(3),
            ]
        )
        jurisdiction = table.dimensions["jurisdiction"]
        assert [jurisdiction.labels[code] if code >= 0 else None for code in jurisdiction.codes] == [
            "elk-falls",
            "city.gov",
            None,
        ]

    def test_open_request_ignores_a_close_time(self, dump_request):
        table = CaseTable.from_requests([dump_request(1, status="open", closed=T0 + timedelta(days=1))])
        assert table.reason.tolist() == [OPEN]
        assert np.isnat(table.closed[0])

    def test_bad_close_time_names_the_request(self, dump_request):
        with pytest.raises(ValidationError, match="closed_datetime") as caught:
            CaseTable.from_requests([dump_request(7, status="closed", closed="yesterday")])
        assert "request '7'" in "".join(caught.value.__notes__)

    def test_missing_requested_datetime_is_refused(self, dump_request):
        request = dump_request(1)
        import attrs

        with pytest.raises(ValidationError, match="requested_datetime"):
            CaseTable.from_requests([attrs.evolve(request, requested_datetime=None)])


class TestWords:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Phone", Channel.PHONE),
            ("Mobile App", Channel.MOBILE_APP),
            ("Twitter", Channel.SOCIAL_MEDIA),
            ("e-mail", Channel.EMAIL),
            ("Walk In", Channel.WALK_IN),
            ("Presencial", Channel.WALK_IN),
            ("fax machine", Channel.OTHER),
            ("web", Channel.WEB),
            ("", None),
            (None, None),
        ],
    )
    def test_channel_of(self, text, expected):
        assert channel_of(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Closed - Duplicate", ClosureReason.DUPLICATE),
            ("Transferred to County", ClosureReason.REFERRED),
            ("Cancelled by citizen", ClosureReason.WITHDRAWN),
            ("No action required", ClosureReason.NOT_ACTIONABLE),
            ("Completed", ClosureReason.RESOLVED),
            ("Resuelto", ClosureReason.RESOLVED),
            ("Closed", None),
            (None, None),
        ],
    )
    def test_closure_reason_of(self, text, expected):
        assert closure_reason_of(text) == expected


class TestAsOf:
    def test_later_requests_and_events_are_undone(self, case):
        table = CaseTable.from_cases(
            [
                case(1, close_after=timedelta(days=10), ack_after=timedelta(days=5)),
                case(2, received=T0 + timedelta(days=30)),
            ]
        )
        then = table.at(np.datetime64("2024-01-04T00:00", "ns"))
        assert len(then) == 1
        assert then.reason.tolist() == [OPEN]
        assert np.isnat(then.closed[0])
        assert np.isnat(then.first_response[0])
        assert np.isnat(then.span_end[0])

    def test_a_reopened_case_is_closed_between_its_intervals(self, case):
        built = case(1, close_after=timedelta(days=2), reopen_after=timedelta(days=3), reclose_after=timedelta(days=6))
        table = CaseTable.from_cases([built])
        between = table.at(np.datetime64("2024-01-04T00:00", "ns"))
        assert between.reason.tolist() == [REASONS.index(ClosureReason.RESOLVED)]
        assert between.reopenings.tolist() == [0]
        reopened = table.at(np.datetime64("2024-01-05T00:00", "ns"))
        assert reopened.reason.tolist() == [OPEN]


class TestArrays:
    def test_from_arrays_agrees_with_from_cases(self, case):
        cases = [
            case(
                n,
                received=T0 + timedelta(hours=n),
                close_after=timedelta(days=n % 4 + 1) if n % 3 else None,
                ack_after=timedelta(hours=2),
                agency="Parks" if n % 2 else "Roads",
            )
            for n in range(40)
        ]
        from_cases = CaseTable.from_cases(cases)
        from_arrays = CaseTable.from_arrays(
            requested=from_cases.requested,
            closed=from_cases.closed,
            first_response=from_cases.first_response,
            reason=from_cases.reason,
            dimensions={"agency": from_cases.dimensions["agency"], "channel": from_cases.dimensions["channel"]},
        )
        options = StatsOptions(as_of=AS_OF, by=("agency",), resolution_target=timedelta(days=2), min_group_size=1)
        assert to_json(build_report(from_cases, options)) == to_json(build_report(from_arrays, options))

    def test_lengths_must_agree(self):
        with pytest.raises(ValidationError, match="closed"):
            CaseTable.from_arrays(requested=to_instants([T0, T0]), closed=to_instants([T0]))

    def test_categories(self):
        column = Categories.of(["b", None, "a", "b"])
        assert column.labels == ("a", "b")
        assert [column.label(code) for code in column.codes.tolist()] == ["b", "unknown", "a", "b"]

    def test_naive_datetimes_are_refused(self):
        with pytest.raises(ValidationError, match="timezone-aware"):
            to_instants([datetime(2024, 1, 1)])
