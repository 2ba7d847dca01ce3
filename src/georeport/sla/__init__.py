"""Service level agreements: business calendars, targets, policies and due times (a domain module).

A ``BusinessCalendar`` says when the clock runs (a zone, weekly hours,
holidays, half-days); a ``Target`` says how long a case may take (calendar
time, business hours or business days); an ``SlaPolicy`` pairs a response
and a resolution target with a calendar, and a ``PolicyBook`` chooses the
policy of a service in a jurisdiction; ``status`` says whether a case is on
track, at risk, breached, met or missed. Every computation has an array twin
(``due``/``due_many``, ``elapsed``/``elapsed_many``, ``status``/``status_many``)
that runs on numpy ``datetime64`` arrays of UTC instants, with the same
results. See ``docs/sla.md``.

This package imports only ``georeport.lifecycle``, ``georeport.models`` and
``georeport.errors``; the ``holidays`` package is imported when a calendar
takes a country's holidays.
"""

from georeport.sla.calendar import WEEKDAYS, BusinessCalendar, HolidaySource, Interval
from georeport.sla.errors import CalendarError, PausedClockError
from georeport.sla.policy import CaseStatus, CaseStatusArrays, PolicyBook, SlaPolicy
from georeport.sla.states import DEFAULT_AT_RISK, SlaState, TargetStatus, TargetStatusArrays, status, status_many
from georeport.sla.targets import Target, TargetKind

__all__ = [
    "DEFAULT_AT_RISK",
    "WEEKDAYS",
    "BusinessCalendar",
    "CalendarError",
    "CaseStatus",
    "CaseStatusArrays",
    "HolidaySource",
    "Interval",
    "PausedClockError",
    "PolicyBook",
    "SlaPolicy",
    "SlaState",
    "Target",
    "TargetKind",
    "TargetStatus",
    "TargetStatusArrays",
    "status",
    "status_many",
]
