"""Diagrams are drawn from the workflow: every state and move appears once; the docs page shows today's."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given

from georeport.lifecycle import Workflow, default_workflow
from tests.lifecycle.strategies import workflows

PAGE = Path(__file__).parents[2] / "docs" / "lifecycle.md"


class TestMermaid:
    @given(workflows())
    def test_every_state_and_move_appears_exactly_once(self, workflow: Workflow) -> None:
        lines = workflow.to_mermaid().splitlines()
        assert lines[0] == "stateDiagram-v2"
        edges = [line.strip() for line in lines if "-->" in line]
        moves = [f"{source} --> {target}" for source, target in workflow.transitions]
        finals = [f"{state.name} --> [*]" for state in workflow.states if not workflow.allowed(state.name)]
        assert edges == [f"[*] --> {workflow.initial}", *moves, *finals]
        declared = [line.strip().split(" : ")[0] for line in lines if " : " in line]
        assert declared == [state.name for state in workflow.states]

    def test_closed_and_paused_states_are_styled(self) -> None:
        text = default_workflow().to_mermaid()
        assert "    class resolved, closed, duplicate, referred, rejected, withdrawn closed_state\n" in text
        assert "    class waiting_on_citizen paused_state\n" in text
        assert "    waiting_on_citizen : open, clock paused, response\n" in text
        assert "    rejected : closed (not_actionable), response\n" in text

    def test_a_detailed_status_other_than_the_name_is_shown(self) -> None:
        workflow = Workflow.from_dict(
            {
                "name": "k",
                "initial": "new",
                "states": {
                    "new": {"status": "open", "detailed_status": "RECEIVED", "to": ["done"]},
                    "done": {"status": "closed", "closure_reason": "resolved", "detailed_status": "PROCESSED"},
                },
            }
        )
        assert "    new : open, published as RECEIVED\n" in workflow.to_mermaid()
        assert '"done" [label="done\\nclosed (resolved), published as PROCESSED"' in workflow.to_dot()

    def test_the_docs_page_shows_the_diagram_the_default_workflow_draws_today(self) -> None:
        blocks = re.findall(r"```mermaid\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.DOTALL)
        assert blocks == [default_workflow().to_mermaid()], "regenerate with print(default_workflow().to_mermaid())"


class TestDot:
    @given(workflows())
    def test_every_state_and_move_appears_exactly_once(self, workflow: Workflow) -> None:
        text = workflow.to_dot()
        assert text.startswith(f'digraph "{workflow.name}" {{\n')
        assert text.endswith("}\n")
        edges = re.findall(r'^    "([^"]+)" -> "([^"]+)";$', text, flags=re.MULTILINE)
        assert edges == [("[*]", workflow.initial), *workflow.transitions]
        nodes = re.findall(r'^    "(\w+)" \[label=', text, flags=re.MULTILINE)
        assert nodes == [state.name for state in workflow.states]

    def test_quotes_in_a_detailed_status_are_escaped(self) -> None:
        workflow = Workflow.from_dict(
            {
                "name": 'say "hi"',
                "initial": "new",
                "states": {
                    "new": {"status": "open", "detailed_status": 'A "B" \\ C', "to": ["done"]},
                    "done": {"status": "closed", "closure_reason": "withdrawn"},
                },
            }
        )
        text = workflow.to_dot()
        assert text.startswith('digraph "say \\"hi\\"" {')
        assert '[label="new\\nopen, published as A \\"B\\" \\\\ C"]' in text

    @pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
    def test_graphviz_renders_the_default_workflow(self) -> None:
        done = subprocess.run(
            ["dot", "-Tsvg"], input=default_workflow().to_dot(), capture_output=True, text=True, check=True
        )
        assert "<svg" in done.stdout
