"""Hypothesis strategies for the lifecycle: zones with DST, requests, random workflows, legal walks.

Times are drawn as UTC instants near DST changes and shown in a drawn zone
(``astimezone`` sets ``fold``), so histories cross DST changes often and every
datetime is a real instant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from georeport import ServiceRequest
from georeport.lifecycle import (
    Acknowledged,
    Case,
    Channel,
    Closed,
    ClosureReason,
    Event,
    MarkedDuplicate,
    NoteAdded,
    Referred,
    Reopened,
    State,
    StateChanged,
    Workflow,
    default_workflow,
)

DST_ZONES = tuple(
    ZoneInfo(name)
    for name in ("America/Chicago", "Europe/London", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham")
)
ZONES: st.SearchStrategy[tzinfo] = st.one_of(
    st.just(UTC),
    st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes))),
    st.sampled_from(DST_ZONES),
)

# DST changes in 2024 in the zones above: start near them so intervals cross them.
_STARTS = tuple(
    datetime(2024, month, day, hour, tzinfo=UTC)
    for month, day, hour in ((3, 9, 12), (3, 30, 20), (4, 6, 10), (9, 28, 10), (10, 26, 20), (11, 2, 12))
)
STEPS = st.one_of(
    st.just(timedelta(0)),
    st.integers(1, 72 * 60).map(lambda minutes: timedelta(minutes=minutes)),
    st.integers(1, 10**6).map(lambda microseconds: timedelta(microseconds=microseconds)),
)


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    """A UTC instant near a DST change."""
    return draw(st.sampled_from(_STARTS)) + draw(
        st.integers(-2 * 24 * 60, 2 * 24 * 60).map(lambda m: timedelta(minutes=m))
    )


def shown(instant: datetime, zone: tzinfo) -> datetime:
    """``instant`` in ``zone`` (a real instant even in a fold)."""
    return instant.astimezone(zone)


TEXTS = st.one_of(st.sampled_from(["Crew sent.", "Thanks!", "Rückruf erbeten", "道路の穴", ""]), st.text(max_size=30))
JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**53), 2**53), st.floats(allow_nan=False, allow_infinity=False), TEXTS
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(TEXTS, children, max_size=3)),
    max_leaves=8,
)


@st.composite
def requests(draw: st.DrawFn, *, requested: datetime | None = None) -> ServiceRequest:
    """A request as a case holds it: ``requested_datetime`` set, nothing derived."""
    located = draw(st.booleans())
    extensions = draw(st.dictionaries(TEXTS.filter(lambda key: key != "extended_attributes"), JSON_VALUES, max_size=3))
    if draw(st.booleans()):
        extensions["extended_attributes"] = draw(
            st.dictionaries(TEXTS.filter(lambda key: key != "detailed_status"), JSON_VALUES, max_size=2)
        )
    lat = draw(st.floats(-90, 90)) if located else None
    long = draw(st.floats(-180, 180)) if located else None
    return ServiceRequest(
        draw(st.one_of(st.none(), st.text(alphabet="0123456789ABC-", min_size=1, max_size=8))),
        service_code=draw(st.sampled_from(["PK-101", "ST-214", "006"])),
        description=draw(st.one_of(st.none(), TEXTS)),
        requested_datetime=requested or shown(draw(instants()), draw(ZONES)),
        expected_datetime=draw(st.one_of(st.none(), instants())),
        lat=lat,
        long=long,
        extensions=extensions,
    )


# --- random workflows --------------------------------------------------------------------
_REASONS = tuple(ClosureReason)


@st.composite
def workflows(draw: st.DrawFn) -> Workflow:
    """A random sound workflow: a chain from the initial state reaches every state and a closed one."""
    n_open = draw(st.integers(1, 5))
    n_closed = draw(st.integers(1, 4))
    states = [State(name="s0", status="open", paused=draw(st.booleans()))]
    for index in range(1, n_open):
        resolution = draw(st.booleans())
        states.append(
            State(
                name=f"s{index}",
                status="open",
                paused=draw(st.booleans()),
                response=draw(st.booleans()),
                resolution=resolution,
            )
        )
    states += [
        State(
            name=f"c{index}",
            status="closed",
            closure_reason=draw(st.sampled_from(_REASONS)),
            response=draw(st.booleans()),
            detailed_status=draw(st.sampled_from([f"c{index}", f"C_{index}", "PROCESSED"])),
        )
        for index in range(n_closed)
    ]
    order = [states[0].name, *draw(st.permutations([state.name for state in states[1:]]))]
    edges = {(order[i], order[i + 1]) for i in range(len(order) - 1)}
    closed = [state.name for state in states if state.is_closed]
    edges |= {(state.name, draw(st.sampled_from(closed))) for state in states if state.is_open}
    names = [state.name for state in states]
    extra = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)), max_size=12))
    edges |= {(source, target) for source, target in extra if source != target}
    return Workflow(
        name=draw(st.sampled_from(["random", "springfield"])), initial="s0", states=states, transitions=sorted(edges)
    )


WORKFLOWS = st.one_of(st.just(default_workflow()), workflows())


# --- events --------------------------------------------------------------------------------
MOVE_TYPES: tuple[type[Event], ...] = (StateChanged, Acknowledged, Closed, Reopened, Referred, MarkedDuplicate)


def build(kind: type[Event], *, at: datetime, from_state: str, to_state: str, **fields: object) -> Event:
    """An event of ``kind``, filling the fields only some kinds have."""
    if kind is Referred:
        fields.setdefault("to_jurisdiction", "county")
    if kind is MarkedDuplicate:
        fields.setdefault("of", "original-1")
    return kind(at=at, from_state=from_state, to_state=to_state, **fields)  # type: ignore[arg-type]


def expected_kinds(workflow: Workflow, source: str, target: str) -> set[type[Event]]:
    """The event kinds the test expects for a move, written from the rules in the docs (not the code)."""
    a, b = workflow.state(source), workflow.state(target)
    if b.closure_reason is ClosureReason.REFERRED:
        return {Referred}
    if b.closure_reason is ClosureReason.DUPLICATE:
        return {MarkedDuplicate}
    if a.status == "closed" and b.status == "open":
        return {Reopened}
    if a.status == "open" and b.status == "closed":
        return {Closed}
    if a.status == "closed":
        return {StateChanged, Closed}
    return {StateChanged, Acknowledged} if b.response else {StateChanged}


@st.composite
def walks(draw: st.DrawFn, workflow: Workflow, *, max_events: int = 25) -> tuple[Case, list[Event]]:
    """A fresh case under ``workflow`` and a legal history for it (notes and moves)."""
    request = draw(requests())
    case = Case(request, draw(st.sampled_from(Channel)), workflow=workflow)
    now = request.requested_datetime
    assert now is not None
    instant = now.astimezone(UTC)
    state = workflow.initial
    events: list[Event] = []
    for _ in range(draw(st.integers(0, max_events))):
        instant += draw(STEPS)
        at = shown(instant, draw(ZONES))
        common = {
            "by": draw(st.one_of(st.none(), st.sampled_from(["clerk", "crew 7", "system"]))),
            "channel": draw(st.one_of(st.none(), st.sampled_from(Channel))),
        }
        targets = [name for source, name in workflow.transitions if source == state]
        if not targets or draw(st.integers(0, 4)) == 0:
            events.append(NoteAdded(at=at, from_state=state, note=draw(TEXTS.filter(str.strip)), **common))  # type: ignore[arg-type]
            continue
        target = draw(st.sampled_from(targets))
        kind = draw(st.sampled_from(sorted(expected_kinds(workflow, state, target), key=lambda k: k.__name__)))
        note = draw(st.one_of(st.none(), TEXTS))
        events.append(build(kind, at=at, from_state=state, to_state=target, note=note, **common))
        state = target
    return case, events
