"""The figures a report prints: each fixture is one way a 311 dashboard misleads, and the report gets it right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import numpy as np
import pytest

from georeport.errors import ValidationError
from georeport.sla import BusinessCalendar, Target
from georeport.stats import CaseTable, Flag, Period, StatsOptions, build_report, to_text
from georeport.stats.cases import to_instants

T0 = datetime(2024, 1, 1, 12, tzinfo=UTC)


def _options(**values) -> StatsOptions:
    values.setdefault("min_group_size", 1)
    return StatsOptions(**values)


class TestKaplanMeierMedian:
    def test_open_cases_count_a_closed_only_median_of_5_prints_12(self, case):
        as_of = T0 + timedelta(days=20)
        closes = [1, 2, 3, 4, 6, 7, 8, 12]
        cases = [case(n, close_after=timedelta(days=days)) for n, days in enumerate(closes)]
        cases += [case(100 + n) for n in range(8)]  # still open after 20 days
        assert float(np.median(closes)) == 5.0
        report = build_report(CaseTable.from_cases(cases), _options(as_of=as_of, indicators=("time_to_close_median",)))
        cell = report.cell((), "time_to_close_median")
        assert cell.value == 12.0
        assert (cell.numerator, cell.denominator, cell.n) == (8.0, 16.0, 16)
        assert cell.low is not None
        assert cell.low <= 12.0
        assert "12.0 days" in to_text(report)

    def test_a_median_never_reached_is_no_number(self, case):
        cases = [case(1, close_after=timedelta(days=1))] + [case(10 + n) for n in range(5)]
        report = build_report(
            CaseTable.from_cases(cases), _options(as_of=T0 + timedelta(days=30), indicators=("time_to_close_median",))
        )
        cell = report.cell((), "time_to_close_median")
        assert cell.value is None
        assert cell.has(Flag.NOT_REACHED)
        assert "not reached" in to_text(report)

    def test_paused_time_is_not_counted(self, case):
        cases = [case(n, close_after=timedelta(days=5), pause=(timedelta(days=1), timedelta(days=3))) for n in range(3)]
        report = build_report(
            CaseTable.from_cases(cases), _options(as_of=T0 + timedelta(days=30), indicators=("time_to_close_median",))
        )
        assert report.cell((), "time_to_close_median").value == pytest.approx(3.0)

    def test_business_time_uses_the_calendar(self, case):
        chicago = ZoneInfo("America/Chicago")
        friday = datetime(2024, 3, 8, 16, tzinfo=chicago)
        cases = [case(n, received=friday, close_after=timedelta(hours=66)) for n in range(3)]  # Monday 10:00
        calendar = BusinessCalendar(zone=chicago, hours={"weekdays": "09:00-17:00"})
        report = build_report(
            CaseTable.from_cases(cases),
            _options(
                as_of=friday + timedelta(days=30), calendar=calendar, indicators=("time_to_close_median_business",)
            ),
        )
        assert report.cell((), "time_to_close_median_business").value == pytest.approx(2.0)
        assert report.indicator("time_to_close_median_business").unit == "business hours"

    def test_unanswered_closed_requests_are_censored_at_their_close(self, case):
        cases = [case(n, ack_after=timedelta(days=1), close_after=timedelta(days=2)) for n in range(3)]
        cases += [case(10 + n, close_after=timedelta(hours=1), how="withdrawn") for n in range(3)]
        report = build_report(
            CaseTable.from_cases(cases),
            _options(as_of=T0 + timedelta(days=30), indicators=("time_to_first_response_median", "response_rate")),
        )
        # Censored at one hour, the withdrawn ones leave the curve at 1/2 after day 1: the median is day 1.
        assert report.cell((), "time_to_first_response_median").value == pytest.approx(1.0)
        assert report.cell((), "response_rate").value == pytest.approx(0.5)


class TestOnTime:
    def _recent_window(self, case):
        as_of = datetime(2024, 6, 30, 23, tzinfo=UTC)
        cases = []
        # Old requests, received 60 days ago, still open and long past due.
        cases += [case(n, received=as_of - timedelta(days=60)) for n in range(5)]
        # The recent window: 3 closed fast, 7 still open and not yet due.
        cases += [case(10 + n, received=as_of - timedelta(days=3), close_after=timedelta(hours=5)) for n in range(3)]
        cases += [case(20 + n, received=as_of - timedelta(days=2)) for n in range(6)]
        # One recent request is already late: the target is 10 days, and it was received 12 days ago.
        cases += [case(30, received=as_of - timedelta(days=12))]
        options = _options(
            as_of=as_of,
            period=Period.parse("rolling30"),
            resolution_target=timedelta(days=10),
            indicators=("on_time_closed", "attainment_with_overdue", "cohort_attainment"),
        )
        return build_report(CaseTable.from_cases(cases), options)

    def test_the_most_recent_window_does_not_print_100_for_the_last_two(self, case):
        report = self._recent_window(case)
        recent = report.groups()[-1]
        assert recent[-1][0] == "period"
        naive = report.cell(recent, "on_time_closed")
        assert naive.value == 1.0  # the misleading measure, named as what it is
        with_overdue = report.cell(recent, "attainment_with_overdue")
        assert (with_overdue.numerator, with_overdue.denominator) == (3.0, 9.0)  # 3 closed + 5 old + 1 recent overdue
        cohort = report.cell(recent, "cohort_attainment")
        assert cohort.value is not None
        assert cohort.value < 1.0
        assert cohort.has(Flag.PROVISIONAL)
        assert "100.0%" not in [line for line in to_text(report).splitlines() if "Cohort" in line][-1]

    def test_three_measures_are_three_named_indicators(self, case):
        report = self._recent_window(case)
        titles = [indicator.title for indicator in report.indicators]
        assert titles == ["Closed-in-period on time", "Attainment including overdue", "Cohort attainment"]
        assert all(indicator.formula for indicator in report.indicators)

    def test_a_past_cohort_is_final_and_plain(self, case):
        as_of = T0 + timedelta(days=100)
        cases = [case(n, close_after=timedelta(days=2 if n % 2 else 20)) for n in range(10)]
        report = build_report(
            CaseTable.from_cases(cases),
            _options(as_of=as_of, resolution_target=timedelta(days=10), indicators=("cohort_attainment",)),
        )
        cell = report.cell((), "cohort_attainment")
        assert (cell.value, cell.numerator, cell.denominator) == (0.5, 5.0, 10.0)
        assert not cell.has(Flag.PROVISIONAL)

    def test_duplicate_children_leave_on_time_denominators_and_are_counted(self, case):
        as_of = T0 + timedelta(days=100)
        cases = [case(n, close_after=timedelta(days=1)) for n in range(4)]
        cases += [case(10 + n, close_after=timedelta(days=50), how="duplicate") for n in range(4)]
        indicators = ("received", "incidents", "duplicate_children", "on_time_closed")
        table = CaseTable.from_cases(cases)
        report = build_report(table, _options(as_of=as_of, resolution_target=timedelta(days=10), indicators=indicators))
        assert report.cell((), "on_time_closed").value == 1.0
        assert report.cell((), "duplicate_children").value == 4.0
        assert (report.cell((), "received").value, report.cell((), "incidents").value) == (8.0, 4.0)
        assert any("4 duplicate children are left out" in note for note in report.notes)
        included = build_report(
            table,
            _options(as_of=as_of, resolution_target=timedelta(days=10), indicators=indicators, include_duplicates=True),
        )
        assert included.cell((), "on_time_closed").value == 0.5

    def test_business_day_targets_per_service(self, case):
        panama = ZoneInfo("America/Panama")
        monday = datetime(2024, 3, 4, 9, tzinfo=panama)
        cases = [case(1, received=monday, close_after=timedelta(days=4), service="bache")]
        cases += [case(2, received=monday, close_after=timedelta(days=4), service="basura")]
        calendar = BusinessCalendar(zone=panama, hours={"weekdays": "08:00-16:00"})
        report = build_report(
            CaseTable.from_cases(cases),
            _options(
                as_of=monday + timedelta(days=60),
                by=("service",),
                calendar=calendar,
                resolution_targets={"bache": Target.business_days(5), "basura": Target.business_days(2)},
                indicators=("on_time_closed",),
            ),
        )
        assert report.cell((("service", "bache"),), "on_time_closed").value == 1.0
        assert report.cell((("service", "basura"),), "on_time_closed").value == 0.0

    def test_business_target_needs_a_calendar(self, case):
        with pytest.raises(ValidationError, match="calendar"):
            build_report(
                CaseTable.from_cases([case(1)]),
                _options(as_of=T0 + timedelta(days=1), resolution_target=Target.business_days(3)),
            )


class TestClosure:
    def test_closure_is_not_resolution_and_referrals_are_listed(self, case):
        cases = [case(1, close_after=timedelta(days=1))]
        cases += [case(2, close_after=timedelta(days=1), how="referred", referred_to="County")]
        cases += [case(3, close_after=timedelta(days=1), how="referred", referred_to="State")]
        cases += [case(4, close_after=timedelta(days=1), how="rejected"), case(5)]
        report = build_report(
            CaseTable.from_cases(cases),
            _options(
                as_of=T0 + timedelta(days=5),
                indicators=("closure_rate", "resolution_rate", "closed_referred", "closed_not_actionable", "referrals"),
            ),
        )
        assert report.cell((), "closure_rate").value == pytest.approx(0.8)
        assert report.cell((), "resolution_rate").value == pytest.approx(0.2)
        assert report.cell((), "closed_referred").value == pytest.approx(0.5)
        assert report.cell((("referred_to", "County"),), "referrals").value == 1.0
        assert report.cell((("referred_to", "State"),), "referrals").value == 1.0

    def test_reopen_rate_within_the_window(self, case):
        cases = [case(1, close_after=timedelta(days=1), how="rejected", reopen_after=timedelta(days=5))]
        cases += [case(2, close_after=timedelta(days=1), how="rejected", reopen_after=timedelta(days=60))]
        cases += [case(3, close_after=timedelta(days=1)), case(4, close_after=timedelta(days=1))]
        report = build_report(
            CaseTable.from_cases(cases), _options(as_of=T0 + timedelta(days=200), indicators=("reopen_rate",))
        )
        cell = report.cell((), "reopen_rate")
        assert (cell.numerator, cell.denominator) == (1.0, 4.0)
        assert not cell.has(Flag.PROVISIONAL)
        recent = build_report(
            CaseTable.from_cases(cases), _options(as_of=T0 + timedelta(days=10), indicators=("reopen_rate",))
        )
        assert recent.cell((), "reopen_rate").has(Flag.PROVISIONAL)


class TestGroups:
    def test_small_groups_are_too_few_to_compare(self, case):
        cases = [case(n, agency="Big", close_after=timedelta(days=1)) for n in range(25)]
        cases += [case(100 + n, agency="Small", close_after=timedelta(days=1)) for n in range(3)]
        report = build_report(
            CaseTable.from_cases(cases),
            StatsOptions(as_of=T0 + timedelta(days=5), by=("agency",), indicators=("received", "closure_rate")),
        )
        assert report.cell((("agency", "Small"),), "closure_rate").has(Flag.TOO_FEW)
        assert not report.cell((("agency", "Big"),), "closure_rate").has(Flag.TOO_FEW)
        assert not report.cell((("agency", "Small"),), "received").has(Flag.TOO_FEW)  # counts are counts
        assert "too few to compare" in to_text(report)

    def test_change_is_flagged_only_when_intervals_do_not_overlap(self, case):
        cases = []
        for month, (closed, total) in enumerate([(90, 100), (30, 100), (33, 100)]):
            received = datetime(2024, month + 1, 10, tzinfo=UTC)
            cases += [
                case(month * 1000 + n, received=received, close_after=timedelta(days=1) if n < closed else None)
                for n in range(total)
            ]
        report = build_report(
            CaseTable.from_cases(cases),
            StatsOptions(
                as_of=datetime(2024, 4, 1, tzinfo=UTC), period=Period.parse("month"), indicators=("closure_rate",)
            ),
        )
        flags = [cell.has(Flag.CHANGED) for cell in report.cells]
        assert flags == [False, True, False]

    def test_unknown_dimension(self, case):
        with pytest.raises(ValidationError, match="one of the table's dimensions"):
            build_report(CaseTable.from_cases([case(1)]), _options(as_of=T0, by=("ward",)))


class TestBacklog:
    def test_backlog_at_past_dates_from_history(self, case):
        cases = [
            case(1, received=datetime(2024, 1, 5, tzinfo=UTC), close_after=timedelta(days=40)),  # closes Feb 14
            case(
                2,
                received=datetime(2024, 1, 6, tzinfo=UTC),
                close_after=timedelta(days=2),
                how="rejected",
                reopen_after=timedelta(days=30),
                reclose_after=timedelta(days=70),
            ),  # open again Feb 5 - Mar 16
            case(3, received=datetime(2024, 2, 20, tzinfo=UTC)),
        ]
        report = build_report(
            CaseTable.from_cases(cases),
            _options(as_of=datetime(2024, 3, 31, tzinfo=UTC), period=Period.parse("month"), indicators=("backlog",)),
        )
        series = [(point.period, point.opened, point.closed, point.backlog) for point in report.backlog]
        assert series == [("2024-01", 2, 1, 1), ("2024-02", 1, 1, 2), ("2024-03", 0, 1, 1)]
        # The backlog cells are the series' period-end values.
        assert [(cell.group[0][1], cell.value) for cell in report.cells] == [
            ("2024-01", 1.0),
            ("2024-02", 2.0),
            ("2024-03", 1.0),
        ]

    def test_open_ages_past_due_median_and_oldest(self, case):
        as_of = datetime(2024, 6, 1, tzinfo=UTC)
        cases = [case(n, received=as_of - timedelta(days=days, hours=1)) for n, days in enumerate([1, 7, 8, 45, 120])]
        report = build_report(
            CaseTable.from_cases(cases),
            _options(
                as_of=as_of,
                resolution_target=timedelta(days=30),
                indicators=("open_past_due", "open_age_median", "open_age_oldest"),
            ),
        )
        assert [(bucket.label, bucket.count) for bucket in report.ages] == [
            ("0-7", 2),
            ("8-30", 1),
            ("31-90", 1),
            (">90", 1),
        ]
        assert report.cell((), "open_past_due").numerator == 2.0
        assert report.cell((), "open_age_median").value == pytest.approx(8 + 1 / 24)
        assert report.cell((), "open_age_oldest").value == pytest.approx(120 + 1 / 24)


class TestQuality:
    def test_every_problem_is_counted_with_its_treatment(self, dump_request):
        as_of = datetime(2024, 2, 1, tzinfo=UTC)
        requests = [
            dump_request(1, status="closed", closed=T0 - timedelta(days=1)),  # closed before created
            dump_request(2, status="closed", closed=T0 + timedelta(minutes=2)),  # a quick close
            dump_request(3, status="closed", closed=T0 + timedelta(hours=3)),  # a same-day close: not a problem
            dump_request(4, status="closed"),  # no close time at all
            dump_request(5, status="closed", updated=T0 + timedelta(days=1)),  # proxy
            dump_request(6, source=None),  # unknown channel
            dump_request(7, received=as_of + timedelta(days=1)),  # after the as-of time
            dump_request(8, status="closed", closed=as_of + timedelta(days=1)),  # closed after the as-of time
        ]
        report = build_report(CaseTable.from_requests(requests), _options(as_of=as_of, indicators=("closure_rate",)))
        counts = {row.check: row.count for row in report.quality}
        assert counts["closed_before_created"] == 1
        assert counts["quick_close"] == 1
        assert counts["closed_without_close_time"] == 1
        assert counts["proxy_close_time"] == 1
        assert counts["unknown_channel"] == 1
        assert counts["requested_after_as_of"] == 1
        assert counts["events_after_as_of"] == 1
        assert all(row.treatment for row in report.quality)
        # Nothing dropped silently: 7 requests at the as-of time, 5 of them closed (same-day closes count).
        cell = report.cell((), "closure_rate")
        assert (cell.numerator, cell.denominator) == (5.0, 7.0)
        assert cell.has(Flag.PROXY_CLOSE_TIME)
        assert any("updated_datetime" in note for note in report.notes)

    def test_closed_before_created_is_kept_out_of_timing(self, dump_request):
        requests = [dump_request(1, status="closed", closed=T0 - timedelta(days=1))]
        requests += [dump_request(2 + n, status="closed", closed=T0 + timedelta(days=2)) for n in range(3)]
        report = build_report(
            CaseTable.from_requests(requests),
            _options(as_of=T0 + timedelta(days=10), indicators=("time_to_close_median",)),
        )
        cell = report.cell((), "time_to_close_median")
        assert (cell.value, cell.n) == (2.0, 3)


class TestOptions:
    def test_naive_as_of(self):
        with pytest.raises(ValidationError, match="as_of"):
            StatsOptions(as_of=datetime(2024, 1, 1))

    def test_unknown_indicator(self):
        with pytest.raises(ValidationError, match="indicators"):
            StatsOptions(as_of=T0, indicators=("happiness",))

    @pytest.mark.parametrize("buckets", [(30, 7), (0, 7), (7, 7)])
    def test_bad_buckets(self, buckets):
        with pytest.raises(ValidationError, match="age_buckets"):
            StatsOptions(as_of=T0, age_buckets=buckets)

    def test_empty_table(self):
        table = CaseTable.from_arrays(requested=to_instants([]))
        report = build_report(table, StatsOptions(as_of=T0, indicators=("received", "response_rate")))
        assert report.cell((), "received").value == 0.0
        assert report.cell((), "response_rate").has(Flag.EMPTY)


class TestDuplicatesFollowTheirOriginal:
    def test_an_open_child_closes_with_its_original(self, dump_request):
        as_of = T0 + timedelta(days=60)
        requests = [dump_request(1, status="closed", closed=T0 + timedelta(days=3), description="Completed")]
        requests += [dump_request(2, received=T0 + timedelta(days=1), duplicate_of="1")]  # never closed in the data
        requests += [dump_request(3, received=T0 + timedelta(days=1), duplicate_of="99")]  # original unknown
        report = build_report(
            CaseTable.from_requests(requests),
            _options(as_of=as_of, resolution_target=timedelta(days=10), indicators=("backlog", "open_past_due")),
        )
        counts = {row.check: row.count for row in report.quality}
        assert counts["duplicate_children_following"] == 1
        assert counts["open_duplicate_children"] == 1
        assert report.cell((), "backlog").value == 1.0  # only the child whose original is unknown
        assert report.cell((), "open_past_due").denominator == 0.0  # children are never overdue
        assert any("follow their original" in note for note in report.notes)


class TestPolicyBook:
    def test_each_service_takes_its_policy(self, case):
        from georeport.sla import PolicyBook, SlaPolicy

        panama = ZoneInfo("America/Panama")
        monday = datetime(2024, 3, 4, 9, tzinfo=panama)
        offices = BusinessCalendar(zone=panama, hours={"weekdays": "08:00-16:00"})
        always = BusinessCalendar.always("America/Panama")
        book = PolicyBook(
            default=SlaPolicy(calendar=always, resolution=Target.calendar(timedelta(days=1))),
            policies={(None, "bache"): SlaPolicy(calendar=offices, resolution=Target.business_days(5))},
        )
        cases = [case(n, received=monday, close_after=timedelta(days=4), service="bache") for n in range(2)]
        cases += [case(10 + n, received=monday, close_after=timedelta(days=4), service="basura") for n in range(2)]
        report = build_report(
            CaseTable.from_cases(cases),
            _options(
                as_of=monday + timedelta(days=60),
                by=("service",),
                policies=book,
                indicators=("on_time_closed", "time_to_close_median_business"),
            ),
        )
        assert report.cell((("service", "bache"),), "on_time_closed").value == 1.0
        assert report.cell((("service", "basura"),), "on_time_closed").value == 0.0
        # Monday 09:00 to Friday 09:00: 4 x 8 office hours for potholes, 96 hours around the clock for waste.
        assert report.cell((("service", "bache"),), "time_to_close_median_business").value == pytest.approx(32.0)
        assert report.cell((("service", "basura"),), "time_to_close_median_business").value == pytest.approx(96.0)
        assert "SLA policy book" in report.indicator("on_time_closed").calendar

    def test_the_same_service_takes_each_jurisdictions_policy(self):
        from georeport.lifecycle import Case
        from georeport.models import ServiceRequest
        from georeport.sla import PolicyBook, SlaPolicy

        panama = ZoneInfo("America/Panama")
        monday = datetime(2024, 3, 4, 9, tzinfo=panama)
        offices = BusinessCalendar(zone=panama, hours={"weekdays": "08:00-16:00"})
        always = BusinessCalendar.always("America/Panama")
        book = PolicyBook(
            default=SlaPolicy(calendar=always, resolution=Target.calendar(timedelta(days=30))),
            policies={
                ("colon", "bache"): SlaPolicy(
                    calendar=always,
                    response=Target.calendar(timedelta(hours=1)),
                    resolution=Target.calendar(timedelta(days=2)),
                ),
                ("panama", "bache"): SlaPolicy(
                    calendar=offices, response=Target.business_days(1), resolution=Target.business_days(5)
                ),
            },
        )

        def one(number: int, place: str | None, extension: str = "jurisdiction_id") -> Case:
            request = ServiceRequest(
                service_request_id=str(number),
                service_code="bache",
                requested_datetime=monday,
                extensions={extension: place} if place else {},
            )
            # Answered after 3 hours, closed 4 calendar days (4 x 8 office hours) later.
            return (
                Case(request, "phone")
                .acknowledge(at=monday + timedelta(hours=3))
                .close(at=monday + timedelta(days=4), to_state="resolved")
            )

        cases = [one(n, "colon") for n in range(3)]
        cases += [one(10 + n, "panama", "routed_jurisdiction_id") for n in range(3)]
        cases += [one(20 + n, None) for n in range(3)]  # no jurisdiction: the service's policy... none, so the default
        table = CaseTable.from_cases(cases)
        indicators = ("on_time_closed", "cohort_attainment", "response_on_time", "time_to_close_median_business")
        report = build_report(
            table,
            _options(as_of=monday + timedelta(days=60), by=("jurisdiction",), policies=book, indicators=indicators),
        )

        def value(place: str, name: str) -> float | None:
            return report.cell((("jurisdiction", place),), name).value

        # Colon: 2 calendar days to close, 1 hour to answer: late on both.
        assert value("colon", "on_time_closed") == 0.0
        assert value("colon", "cohort_attainment") == 0.0
        assert value("colon", "response_on_time") == 0.0
        # Panama: 5 business days and one business day: on time on both.
        assert value("panama", "on_time_closed") == 1.0
        assert value("panama", "cohort_attainment") == 1.0
        assert value("panama", "response_on_time") == 1.0
        # No jurisdiction: the default (30 days to close, no response target).
        assert value("unknown", "on_time_closed") == 1.0
        assert report.cell((("jurisdiction", "unknown"),), "response_on_time").denominator == 0.0
        # Business time runs on each jurisdiction's calendar: 96 hours around the clock, 32 office hours.
        assert value("colon", "time_to_close_median_business") == pytest.approx(96.0)
        assert value("panama", "time_to_close_median_business") == pytest.approx(32.0)
        # Looked up by service alone, Panama's cases would have had no specific policy: the default.
        by_service = build_report(
            table, _options(as_of=monday + timedelta(days=60), by=("service",), policies=book, indicators=indicators)
        )
        assert by_service.cell((("service", "bache"),), "on_time_closed").value == pytest.approx(6 / 9)
        assert "bache in colon: 2 days" in report.indicator("on_time_closed").calendar


class TestCurves:
    def test_time_to_first_response_curves_censor_the_unanswered(self, dump_request):
        as_of = T0 + timedelta(days=20)

        def answered(number: int, days: int) -> object:
            return dump_request(
                number,
                status="closed",
                closed=T0 + timedelta(days=10),
                first_response_datetime=(T0 + timedelta(days=days)).isoformat(),
            )

        requests = [answered(n, 1 + n) for n in range(4)]
        requests += [dump_request(10, status="closed", closed=T0 + timedelta(days=2))]  # censored at its close
        requests += [dump_request(20), dump_request(21)]  # open and unanswered: censored at the as-of time
        report = build_report(
            CaseTable.from_requests(requests),
            _options(
                as_of=as_of,
                by=("agency",),
                response_target=timedelta(days=2),
                indicators=("time_to_first_response_median",),
            ),
        )
        (close,) = report.curves("close")
        (response,) = report.curves("first_response")
        assert report.curves() == (close,)
        assert [curve.clock for curve in report.survival] == ["close", "first_response"]
        assert (close.n, close.events, close.censored) == (7, 5, 2)
        assert (response.n, response.events, response.censored) == (7, 4, 3)
        # Answered at days 1-4; the one closed unanswered leaves the risk set after day 2:
        # S(1) = 6/7, S(2) = 5/7, S(3) = 5/7 * 3/4, S(4) = 5/7 * 3/4 * 2/3.
        assert response.times[:4] == pytest.approx((1.0, 2.0, 3.0, 4.0))
        assert response.survival[:4] == pytest.approx((6 / 7, 5 / 7, 15 / 28, 5 / 14))
        assert response.median == pytest.approx(4.0)
        assert response.median == report.cell((("agency", "Roads"),), "time_to_first_response_median").value
        assert response.target == 2.0
        assert close.target is None
        assert all(
            low <= value <= high
            for low, value, high in zip(response.low, response.survival, response.high, strict=True)
        )

    def test_no_response_curves_when_the_data_records_no_responses(self, dump_request):
        requests = [dump_request(n, status="closed", closed=T0 + timedelta(days=1 + n)) for n in range(5)]
        report = build_report(CaseTable.from_requests(requests), _options(as_of=T0 + timedelta(days=10)))
        assert [curve.clock for curve in report.survival] == ["close"]
        assert report.curves("first_response") == ()


class TestResponsesNotRecorded:
    def test_a_dump_without_responses_does_not_read_0_percent(self, dump_request):
        requests = [dump_request(n, status="closed", closed=T0 + timedelta(days=1)) for n in range(5)]
        table = CaseTable.from_requests(requests)
        assert not table.responses_recorded
        report = build_report(
            table,
            _options(
                as_of=T0 + timedelta(days=5), indicators=("received", "response_rate", "time_to_first_response_median")
            ),
        )
        assert [indicator.id for indicator in report.indicators] == ["received"]
        assert any("response_rate, time_to_first_response_median are left out" in note for note in report.notes)
        counts = {row.check: row.count for row in report.quality}
        assert counts["no_response_records"] == 5

    def test_one_recorded_response_keeps_them(self, dump_request):
        requests = [dump_request(1, first_response_datetime=(T0 + timedelta(hours=2)).isoformat()), dump_request(2)]
        table = CaseTable.from_requests(requests)
        report = build_report(table, _options(as_of=T0 + timedelta(days=5), indicators=("response_rate",)))
        assert report.cell((), "response_rate").value == 0.5


def test_an_empty_table_with_periods() -> None:
    table = CaseTable.from_arrays(requested=to_instants([]))
    report = build_report(
        table, StatsOptions(as_of=T0, period=Period.parse("month"), indicators=("received", "backlog", "open_past_due"))
    )
    assert [(cell.indicator, cell.value) for cell in report.cells] == [("received", 0.0), ("backlog", 0.0)]
    assert [point.backlog for point in report.backlog] == [0]


def test_a_close_before_its_request_never_makes_the_backlog_negative(dump_request) -> None:
    requests = [dump_request(1, received=datetime(2024, 2, 10, tzinfo=UTC), status="closed", closed=T0)]
    requests += [dump_request(2, received=datetime(2024, 1, 5, tzinfo=UTC))]
    report = build_report(
        CaseTable.from_requests(requests),
        _options(as_of=datetime(2024, 3, 1, tzinfo=UTC), period=Period.parse("month"), indicators=("backlog",)),
    )
    assert [(point.period, point.opened, point.closed, point.backlog) for point in report.backlog] == [
        ("2024-01", 1, 0, 1),
        ("2024-02", 1, 1, 1),
    ]


class TestSpanish:
    def test_titles_notes_and_period_follow_the_language(self, dump_request):
        requests = [dump_request(n, status="closed", closed=T0 + timedelta(days=1)) for n in range(3)]
        requests += [dump_request(9, updated=T0 + timedelta(days=2), status="closed")]  # a proxy close time
        table = CaseTable.from_requests(requests)
        options = _options(
            as_of=T0 + timedelta(days=5),
            period=Period.parse("month"),
            language="es",
            indicators=("received", "response_rate", "time_to_close_median"),
        )
        report = build_report(table, options)
        assert [indicator.title for indicator in report.indicators] == [
            "Solicitudes recibidas (reportes)",
            "Mediana del tiempo hasta el cierre",
        ]
        assert report.period == "mes por fecha de recepción; los días van de medianoche a medianoche, hora de UTC"
        assert report.notes[0] == (
            "0 duplicados se excluyen de los denominadores de tiempos y de cumplimiento de plazos "
            "(ver la línea 'duplicados')."
        )
        assert "response_rate se omiten en lugar de mostrarse como 0%" in report.notes[1]
        assert report.notes[2].startswith("1 fechas de cierre son updated_datetime")
        # The caller's titles still win, and English stays English.
        mine = build_report(table, attrs.evolve(options, titles={"received": "Reportes"}))
        assert mine.indicators[0].title == "Reportes"
        english = build_report(table, attrs.evolve(options, language="en"))
        assert english.indicators[0].title == "Requests received (reports)"
        assert english.period.startswith("month by received date")
        assert english.notes[0].startswith("0 duplicate children are left out of")

    def test_every_indicator_has_a_spanish_title(self):
        from georeport.stats._words import INDICATOR_TITLES, NOTES
        from georeport.stats.indicators import INDICATORS

        assert set(INDICATOR_TITLES["es"]) == set(INDICATORS)
        assert set(NOTES["es"]) == set(NOTES["en"])

    @pytest.mark.parametrize("kind", ["day", "week", "month", "quarter", "fiscal_year-10", "rolling30"])
    def test_every_period_has_spanish_words(self, kind):
        period = Period.parse(kind, basis="closed")
        text = period.describe("es")
        assert text.endswith("no pertenecen a ningún período")
        assert "fecha de cierre" in text
