"""Every indicator's written definition: numerator, denominator, clock, calendar, as-of time, exclusions.

This file is the methods section: ``build_report`` prints exactly these
definitions beside the figures, filled in with the options used (the target,
the calendar, the reopen window...). Changing how a figure is computed means
changing its words here too.

Indicator ids are stable: they are the ``indicator`` column of the CSV and
JSON output. Durations are in days (calendar) or business hours; proportions
in [0, 1].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs

from georeport.stats.report import Indicator, IndicatorKind

__all__ = ["DEFAULT_INDICATORS", "INDICATORS", "ISSUE_6_INDICATORS", "define"]

_K = IndicatorKind

_AS_OF_COHORT: Final = (
    "requests received up to the as-of time ({as_of}); later events are ignored, so the figure is "
    "what could be known then"
)
_AS_OF_KM: Final = "requests still open at the as-of time ({as_of}) are censored there (Kaplan-Meier)"
_DUPLICATES: Final = "{duplicates}"
_BAD_TIMES: Final = (
    "requests closed before they were created, and closed ones without a close time, are left out of "
    "timing figures (counted in the data-quality table)"
)

INDICATORS: Final[Mapping[str, Indicator]] = {
    indicator.id: indicator
    for indicator in (
        Indicator(
            id="received",
            title="Requests received (reports)",
            kind=_K.COUNT,
            unit="requests",
            numerator="requests received, duplicates included (each report counts)",
            clock="requested_datetime",
            as_of=_AS_OF_COHORT,
            formula="count(received)",
        ),
        Indicator(
            id="incidents",
            title="Incidents (duplicates collapsed)",
            kind=_K.COUNT,
            unit="requests",
            numerator="requests received that are not duplicate children: one per problem reported",
            clock="requested_datetime",
            as_of=_AS_OF_COHORT,
            exclusions="duplicate children (closed as duplicates, or pointing to an original)",
            formula="count(received) - count(duplicate children)",
        ),
        Indicator(
            id="duplicate_children",
            title="Duplicate children",
            kind=_K.COUNT,
            unit="requests",
            numerator="requests that duplicate another request",
            clock="requested_datetime",
            as_of=_AS_OF_COHORT,
            exclusions="counted here; left out of on-time denominators unless included by option",
            formula="count(duplicate children)",
        ),
        Indicator(
            id="response_rate",
            title="Response rate",
            kind=_K.PROPORTION,
            unit="share",
            numerator="requests with a first response (a response state reached) by the as-of time",
            denominator="requests received",
            clock="first response event",
            as_of=_AS_OF_COHORT,
            formula="responded / received",
        ),
        Indicator(
            id="closure_rate",
            title="Closure rate (any reason)",
            kind=_K.PROPORTION,
            unit="share",
            numerator="requests closed at the as-of time, whatever the reason",
            denominator="requests received",
            clock="the close event",
            as_of=_AS_OF_COHORT,
            exclusions="none: duplicates, referrals and 'no action' closes count as closed, not as resolved",
            formula="closed / received",
        ),
        Indicator(
            id="resolution_rate",
            title="Resolution rate (problem fixed)",
            kind=_K.PROPORTION,
            unit="share",
            numerator="requests closed as resolved at the as-of time",
            denominator="requests received",
            clock="the close event",
            as_of=_AS_OF_COHORT,
            exclusions="closes for any other reason (duplicate, referred, not actionable, withdrawn, unknown) "
            "are not resolutions",
            formula="closed as resolved / received",
        ),
        *(
            Indicator(
                id=f"closed_{reason}",
                title=f"Closed as {reason.replace('_', ' ')}",
                kind=_K.PROPORTION,
                unit="share",
                numerator=f"requests closed with the closure reason '{reason}'",
                denominator="requests closed",
                clock="the close event",
                as_of=_AS_OF_COHORT,
                formula=f"closed as {reason.replace('_', ' ')} / closed",
            )
            for reason in ("resolved", "duplicate", "referred", "not_actionable", "withdrawn", "unknown")
        ),
        Indicator(
            id="referrals",
            title="Referrals by receiving jurisdiction",
            kind=_K.COUNT,
            unit="requests",
            numerator="requests closed as referred to the jurisdiction named in the group",
            clock="the Referred event",
            as_of=_AS_OF_COHORT,
            formula="count(referred to X)",
        ),
        *(
            Indicator(
                id=f"time_to_{clock}_{stat}{suffix}",
                title=f"{'Median' if stat == 'median' else '90th percentile'} time to "
                f"{clock.replace('_', ' ')}{' (business time)' if suffix else ''}",
                kind=_K.DURATION,
                unit="business hours" if suffix else "days",
                numerator=f"the {'median' if stat == 'median' else '90th percentile'} of the time from "
                f"requested_datetime to the {what}, less paused time",
                denominator="requests at risk (the estimate's n); the numerator column holds those observed",
                clock=f"from requested_datetime to the {what}; clock pauses from the lifecycle are subtracted",
                calendar="{calendar}" if suffix else "calendar time (24 hours a day, UTC instants)",
                as_of=_AS_OF_KM,
                exclusions=_BAD_TIMES + "; " + _DUPLICATES,
                formula=f"Kaplan-Meier {'median' if stat == 'median' else '90th percentile'} "
                "(scipy.stats.ecdf), 95% CI by the log-log band",
            )
            for clock, what in (
                ("first_response", "first response"),
                ("close", "close the request is in (final close)"),
                ("first_close", "first close (before any reopening)"),
            )
            for stat in ("median", "p90")
            for suffix in ("", "_business")
        ),
        Indicator(
            id="on_time_closed",
            title="Closed-in-period on time",
            kind=_K.PROPORTION,
            unit="share",
            numerator="requests closed in the period within their resolution target",
            denominator="requests closed in the period",
            clock="from requested_datetime to the close event; the due time moves later by paused time",
            calendar="{target}",
            as_of="closes up to the as-of time ({as_of}); the period is the close date's",
            exclusions=_DUPLICATES + "; " + _BAD_TIMES,
            formula="closed on time / closed",
        ),
        Indicator(
            id="attainment_with_overdue",
            title="Attainment including overdue",
            kind=_K.PROPORTION,
            unit="share",
            numerator="requests closed in the period within their resolution target",
            denominator="requests closed in the period, plus requests open and past due at the period's end "
            "(or at the as-of time, if earlier), whenever received",
            clock="from requested_datetime to the close event; the due time moves later by paused time",
            calendar="{target}",
            as_of="the state at the period's end, or at the as-of time ({as_of}) for the current period",
            exclusions=_DUPLICATES + "; " + _BAD_TIMES,
            formula="closed on time / (closed + open past due)",
        ),
        Indicator(
            id="cohort_attainment",
            title="Cohort attainment",
            kind=_K.PROPORTION,
            unit="share",
            numerator="the share of the period's requests closed within target, estimated by Kaplan-Meier "
            "on time-to-close as a fraction of the time allowed (open requests not yet due are censored)",
            denominator="requests received in the period",
            clock="from requested_datetime to the close event, against the due time moved later by paused time",
            calendar="{target}",
            as_of=_AS_OF_KM + "; provisional until every request of the period is past its due time",
            exclusions=_DUPLICATES + "; " + _BAD_TIMES,
            formula="1 - S(1), S the Kaplan-Meier curve of (close - received) / (due - received)",
        ),
        Indicator(
            id="response_on_time",
            title="Responded within target (cohort)",
            kind=_K.PROPORTION,
            unit="share",
            numerator="the share of the period's requests first responded to within the response target "
            "(Kaplan-Meier, requests not yet responded to and not yet due censored)",
            denominator="requests received in the period",
            clock="from requested_datetime to the first response",
            calendar="{response_target}",
            as_of=_AS_OF_KM + "; provisional until every request of the period is past its response due time",
            exclusions=_DUPLICATES + "; " + _BAD_TIMES,
            formula="1 - S(1), S the Kaplan-Meier curve of (response - received) / (due - received)",
        ),
        Indicator(
            id="reopen_rate",
            title="Reopen rate",
            kind=_K.PROPORTION,
            unit="share",
            numerator="requests reopened within {reopen_days} days of their first close",
            denominator="requests closed at least once by the as-of time",
            clock="from the first close to the first reopening",
            as_of=_AS_OF_COHORT + "; provisional while some were closed less than {reopen_days} days before it",
            formula="reopened within {reopen_days} days / closed",
        ),
        Indicator(
            id="backlog",
            title="Open at the period's end (backlog)",
            kind=_K.COUNT,
            unit="requests",
            numerator="requests open at the end of the period (at the as-of time for the current period, or "
            "without periods), whenever received, reproduced from history",
            clock="open intervals from the lifecycle (a reopened request is open again)",
            as_of="the state at the period's end, or at the as-of time ({as_of})",
            exclusions="duplicate children follow their original's state",
            formula="count(open at the period's end)",
        ),
        Indicator(
            id="open_past_due",
            title="Open past due",
            kind=_K.PROPORTION,
            unit="share",
            numerator="requests open at the as-of time and past their resolution due time",
            denominator="requests open at the as-of time",
            calendar="{target}",
            as_of="the state at the as-of time ({as_of})",
            exclusions=_DUPLICATES,
            formula="open past due / open",
        ),
        Indicator(
            id="open_age_median",
            title="Median age of open requests",
            kind=_K.DURATION,
            unit="days",
            numerator="the median of (as-of time - requested_datetime) over open requests",
            denominator="requests open at the as-of time",
            calendar="calendar time",
            as_of="the state at the as-of time ({as_of})",
            exclusions=_DUPLICATES,
            formula="median(as_of - requested), open requests",
        ),
        Indicator(
            id="open_age_oldest",
            title="Age of the oldest open request",
            kind=_K.DURATION,
            unit="days",
            numerator="the largest (as-of time - requested_datetime) over open requests",
            denominator="requests open at the as-of time",
            calendar="calendar time",
            as_of="the state at the as-of time ({as_of})",
            exclusions=_DUPLICATES,
            formula="max(as_of - requested), open requests",
        ),
        Indicator(
            id="within_30_days",
            title="Closed within 30 calendar days (cohort)",
            kind=_K.PROPORTION,
            unit="share",
            numerator="the share of the period's requests closed within 30 calendar days of receipt "
            "(Kaplan-Meier, open requests younger than 30 days censored)",
            denominator="requests received in the period",
            clock="from requested_datetime to the close event, less paused time",
            calendar="calendar time: 30 x 24 hours",
            as_of=_AS_OF_KM + "; provisional until every request of the period is 30 days old",
            exclusions=_DUPLICATES + "; " + _BAD_TIMES,
            formula="1 - S(30 days), S the Kaplan-Meier still-open curve",
        ),
        Indicator(
            id="within_target",
            title="Closed within the service's business-day target (cohort)",
            kind=_K.PROPORTION,
            unit="share",
            numerator="the share of the period's requests closed by the end of the N-th working day after "
            "receipt, N the service's target (Kaplan-Meier)",
            denominator="requests received in the period with a target",
            clock="from requested_datetime to the close event; the due time moves later by paused time",
            calendar="{target}",
            as_of=_AS_OF_KM + "; provisional until every request of the period is past its due time",
            exclusions=_DUPLICATES + "; " + _BAD_TIMES + "; requests of services without a target",
            formula="1 - S(1), S the Kaplan-Meier curve of (close - received) / (due - received)",
        ),
        Indicator(
            id="open_over_30_days",
            title="Open more than 30 days",
            kind=_K.COUNT,
            unit="requests",
            numerator="requests received in the period, open at the as-of time and received more than "
            "30 calendar days before it",
            clock="as_of - requested_datetime > 30 x 24 hours",
            as_of="the state at the as-of time ({as_of})",
            formula="count(open and older than 30 days)",
        ),
        Indicator(
            id="received_by_channel",
            title="Requests received by intake channel",
            kind=_K.COUNT,
            unit="requests",
            numerator="requests received through the channel named in the group",
            clock="requested_datetime",
            as_of=_AS_OF_COHORT,
            formula="count(received through X)",
        ),
        Indicator(
            id="per_1000_residents",
            title="Requests per 1,000 residents (responsiveness to reports, not need)",
            kind=_K.RATE,
            unit="per 1,000 residents",
            numerator="requests received",
            denominator="residents of the area (supplied)",
            as_of=_AS_OF_COHORT,
            formula="received / population x 1,000",
        ),
    )
}
"""Every indicator this module defines, by id, with placeholders (``{target}``...) not yet filled in."""

ISSUE_6_INDICATORS: Final = (
    "received",
    "response_rate",
    "resolution_rate",
    "time_to_first_response_median",
    "time_to_first_response_p90",
    "time_to_close_median",
    "time_to_close_p90",
    "response_on_time",
    "cohort_attainment",
    "backlog",
    "open_age_median",
    "reopen_rate",
)
"""The statistics issue 6 names: volume, response and resolution rates, median and P90 times, share
within the response and resolution targets, backlog and its age, reopen rate."""

DEFAULT_INDICATORS: Final = (
    "received",
    "incidents",
    "duplicate_children",
    "response_rate",
    "closure_rate",
    "resolution_rate",
    "closed_resolved",
    "closed_duplicate",
    "closed_referred",
    "closed_not_actionable",
    "closed_withdrawn",
    "closed_unknown",
    "time_to_first_response_median",
    "time_to_first_response_p90",
    "time_to_close_median",
    "time_to_close_p90",
    "time_to_first_close_median",
    "time_to_first_response_median_business",
    "time_to_first_response_p90_business",
    "time_to_close_median_business",
    "time_to_close_p90_business",
    "on_time_closed",
    "attainment_with_overdue",
    "cohort_attainment",
    "response_on_time",
    "reopen_rate",
    "backlog",
    "open_past_due",
    "open_age_median",
    "open_age_oldest",
    "referrals",
)
"""What a report has by default (business-time rows only with a calendar; on-time rows only with a target)."""


def define(indicator_id: str, context: Mapping[str, str], *, title: str | None = None) -> Indicator:
    """The indicator ``indicator_id`` with its placeholders filled from ``context`` (and a translated title).

    Raises:
        KeyError: no indicator has that id.
    """
    template = INDICATORS[indicator_id]
    fields = {
        name: getattr(template, name).format_map(_Defaulting(context))
        for name in ("numerator", "denominator", "clock", "calendar", "as_of", "exclusions", "formula")
    }
    return attrs.evolve(template, title=title or template.title, **fields)


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
