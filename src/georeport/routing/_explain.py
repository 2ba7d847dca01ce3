"""The words of a decision: every candidate with why it was kept or dropped, and the one-line explanation.

Worked out only when ``Decision.candidates`` or ``Decision.explanation`` is
read, from the router's precomputed ranks; ``Router.route`` never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from georeport.routing._ranks import LEVELS, NONE
from georeport.routing.decisions import Candidate, CandidateStatus, Decision, DecisionCode

if TYPE_CHECKING:
    from georeport.routing.router import Router

__all__ = ["candidates", "explain", "swap_hint", "why_not"]


def why_not(router: Router, loser: int, winner: int, column: int) -> str:
    """Why ``loser`` lost to ``winner`` for the service of ``column``: the rule, the border tie, or locality."""
    n = router._n
    mine, theirs = int(router._keys[loser, column]), int(router._keys[winner, column])
    rules = len(router.rules)
    my_rank, their_rank = mine // n // (2 * LEVELS), theirs // n // (2 * LEVELS)
    name = router.jurisdictions[winner].name
    if my_rank != their_rank:
        if their_rank < rules:
            return f"rule {router.rules[their_rank].label!r} puts {name} first"
        return f"rule {router.rules[my_rank].label!r} lifts it, but a higher rule puts {name} first"
    if mine // n == theirs // n:
        return f"ties with {name}, which is declared first (border rule)"
    if router._is_free[loser] and not router._is_free[winner]:
        return f"answers anywhere, but {name} covers the point"
    return f"{name} is more local"


def candidates(router: Router, decision: Decision) -> tuple[Candidate, ...]:
    """Every jurisdiction the decision weighed, chosen first, each with its status and reason."""
    service = decision.service_code
    column = router._service_index.get(service, len(router.services))
    winner = decision.index
    found: list[tuple[tuple[int, int], Candidate]] = []

    def add(index: int, status: CandidateStatus, reason: str) -> None:
        order = {CandidateStatus.CHOSEN: 0, CandidateStatus.OUTRANKED: 1}.get(
            status, 2 if status == CandidateStatus.NO_SERVICE else 3
        )
        key = int(router._keys[index, column])
        found.append(
            ((order, key if key != NONE else index), Candidate(router.jurisdictions[index], index, status, reason))
        )

    handled = set()
    for index in (*decision.covering, *router._free.tolist()):
        member = router.jurisdictions[index]
        if not member.handles(service):
            if index in decision.covering:
                add(index, CandidateStatus.NO_SERVICE, f"covers the point but does not handle {service!r}")
            continue
        handled.add(index)
        if index == winner and not decision.is_fallback:
            rule = router.rule_for(index, service)
            why = f"rule {rule.label!r}" if rule else ("answers anywhere" if member.boundary is None else "most local")
            add(index, CandidateStatus.CHOSEN, why)
        else:
            add(index, CandidateStatus.OUTRANKED, why_not(router, index, winner, column))
    for index in decision.nearby:
        add(index, CandidateStatus.OUTSIDE, "the point is outside its boundary (inside its bounding box)")
    if decision.is_fallback:
        add(winner, CandidateStatus.CHOSEN, f"the declared fallback: nothing here handles {service!r}")
    found.sort(key=lambda pair: pair[0])
    return tuple(candidate for _, candidate in found)


def swap_hint(router: Router, decision: Decision) -> str:
    """A note when the point with lat and long swapped would not have gone to the fallback."""
    if decision.lat is None or decision.long is None or not -90.0 <= decision.long <= 90.0:  # noqa: PLR2004
        return ""
    swapped = router.route(decision.long, decision.lat, decision.service_code)
    if swapped.is_fallback:
        return ""
    return f" Were lat and long swapped? ({decision.long}, {decision.lat}) would go to {swapped.jurisdiction.name}."


def explain(router: Router, decision: Decision) -> str:
    """The decision in one sentence: who takes the service here, and why (``Decision.explanation``)."""
    chosen = decision.jurisdiction
    service = decision.service_code
    head = f"{chosen.describe()} takes {service!r}"
    where = " here" if decision.lat is not None else " (no location given)"
    code = decision.code
    if code is DecisionCode.FALLBACK:
        if service not in router._service_index:
            return f"{head}{where}: no jurisdiction declares the service code, so the fallback takes it."
        if decision.lat is None:
            return f"{head}{where}: no agency handles it without a location, so the fallback takes it."
        if not decision.covering:
            return (
                f"{head}{where}: the point is outside every boundary, "
                f"and no agency without a boundary handles it, so the fallback takes it.{swap_hint(router, decision)}"
            )
        return (
            f"{head}{where}: none of the {len(decision.covering)} jurisdiction(s) covering the point "
            f"handles it, nor any agency without a boundary, so the fallback takes it.{swap_hint(router, decision)}"
        )
    others = [c for c in decision.candidates if c.status is CandidateStatus.OUTRANKED]
    over = f", over {', '.join(c.jurisdiction.name for c in others)}" if others else ""
    if code is DecisionCode.RULE:
        rule = decision.rule
        label = rule.label if rule else "?"
        return f"{head}{where} by rule {label!r}{over}."
    if code is DecisionCode.BORDER:
        tied = [c.jurisdiction.name for c in others if "ties with" in c.reason]
        return (
            f"{head}{where}: the point is on the shared border of {chosen.name} and {', '.join(tied)} "
            f"(same rank); the one declared first, {chosen.name}, wins."
        )
    if code is DecisionCode.SERVICE:
        if decision.lat is None:
            return f"{head}{where}: it handles the service wherever the report comes from."
        if not decision.covering:
            return f"{head}{where}: the point is outside every boundary; it handles the service wherever the report comes from."
        return (
            f"{head}{where}: none of the {len(decision.covering)} jurisdiction(s) covering the point "
            "handles it; it handles the service wherever the report comes from."
        )
    return (
        f"{head}{where}: of the {len(decision.covering)} jurisdictions covering the point, "
        f"{chosen.name} is the most local that handles it."
    )
