"""Diagrams drawn from a workflow itself: Mermaid ``stateDiagram-v2`` and Graphviz DOT text.

The diagrams are generated from the declared states and transitions, never
drawn by hand, so a page that embeds one can check it is still true (as h11
generates its state diagrams from its transition table). Both outputs are
deterministic: states and moves in declaration order.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from georeport.lifecycle.states import State
    from georeport.lifecycle.workflow import Workflow

__all__ = ["describe", "to_dot", "to_mermaid"]

_INDENT = "    "


def describe(state: State) -> str:
    """A state's roles in a few words: ``open, clock paused, response`` or ``closed (duplicate), response``."""
    parts = [f"closed ({state.closure_reason})" if state.closure_reason else "open"]
    if state.paused:
        parts.append("clock paused")
    if state.response:
        parts.append("response")
    if state.resolution and state.is_open:
        parts.append("resolution")
    if state.detailed_status != state.name:
        parts.append(f"published as {state.detailed_status}")
    return re.sub(r"\s+", " ", ", ".join(parts))


def _finals(workflow: Workflow) -> list[str]:
    return [state.name for state in workflow.states if not workflow.allowed(state.name)]


def to_mermaid(workflow: Workflow) -> str:
    """The workflow as Mermaid ``stateDiagram-v2`` text, ending with a newline.

    Each state is described by its roles; closed states are shaded, states
    that pause the clock have a dashed border; the start points at the
    initial state and final states (no way out) point at the end.

    Examples:
        >>> from georeport.lifecycle import State, Workflow
        >>> tiny = Workflow(name="tiny", initial="new", transitions=[("new", "done")], states=[
        ...     State(name="new", status="open"), State(name="done", status="closed", closure_reason="resolved")])
        >>> print(to_mermaid(tiny), end="")
        stateDiagram-v2
            classDef closed_state fill:#e8e8e8,stroke:#555555
            classDef paused_state stroke-dasharray:5 5
            new : open
            done : closed (resolved)
            [*] --> new
            new --> done
            done --> [*]
            class done closed_state
    """
    lines = [
        "stateDiagram-v2",
        f"{_INDENT}classDef closed_state fill:#e8e8e8,stroke:#555555",
        f"{_INDENT}classDef paused_state stroke-dasharray:5 5",
    ]
    lines += [f"{_INDENT}{state.name} : {describe(state)}" for state in workflow.states]
    lines.append(f"{_INDENT}[*] --> {workflow.initial}")
    lines += [f"{_INDENT}{source} --> {target}" for source, target in workflow.transitions]
    lines += [f"{_INDENT}{name} --> [*]" for name in _finals(workflow)]
    closed = [state.name for state in workflow.states if state.is_closed]
    paused = [state.name for state in workflow.states if state.paused]
    if closed:
        lines.append(f"{_INDENT}class {', '.join(closed)} closed_state")
    if paused:
        lines.append(f"{_INDENT}class {', '.join(paused)} paused_state")
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\\", "\\\\").replace('"', '\\"'))


def _quote(text: str) -> str:
    return f'"{_escape(text)}"'


def to_dot(workflow: Workflow) -> str:
    r"""The workflow as a Graphviz DOT digraph, ending with a newline (render with ``dot -Tsvg``).

    Examples:
        >>> from georeport.lifecycle import State, Workflow
        >>> tiny = Workflow(name="tiny", initial="new", transitions=[("new", "done")], states=[
        ...     State(name="new", status="open"), State(name="done", status="closed", closure_reason="resolved")])
        >>> print(to_dot(tiny), end="")
        digraph "tiny" {
            node [shape=box, style=rounded];
            "[*]" [shape=point, label=""];
            "new" [label="new\nopen"];
            "done" [label="done\nclosed (resolved)", style="rounded,filled", fillcolor="#e8e8e8"];
            "[*]" -> "new";
            "new" -> "done";
        }
    """
    lines = [f"digraph {_quote(workflow.name)} {{", f"{_INDENT}node [shape=box, style=rounded];"]
    lines.append(f'{_INDENT}"[*]" [shape=point, label=""];')
    for state in workflow.states:
        label = f'"{_escape(state.name)}\\n{_escape(describe(state))}"'
        style = []
        if state.is_closed:
            style.append("filled")
        if state.paused:
            style.append("dashed")
        extra = f', style="rounded,{",".join(style)}"' if style else ""
        extra += ', fillcolor="#e8e8e8"' if state.is_closed else ""
        lines.append(f"{_INDENT}{_quote(state.name)} [label={label}{extra}];")
    lines.append(f'{_INDENT}"[*]" -> {_quote(workflow.initial)};')
    lines += [f"{_INDENT}{_quote(source)} -> {_quote(target)};" for source, target in workflow.transitions]
    lines.append("}")
    return "\n".join(lines) + "\n"
