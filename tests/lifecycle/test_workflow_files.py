"""Workflow files (TOML and JSON text): a sound file loads; a wrong one names the state, the key and the line."""

from __future__ import annotations

import json
import textwrap

import pytest

from georeport.lifecycle import ClosureReason, Workflow, WorkflowError

SPRINGFIELD_TOML = textwrap.dedent(
    """\
    # Springfield's public works workflow
    name = "springfield"
    initial = "received"

    [states.received]
    status = "open"
    detailed_status = "RECEIVED"
    to = ["in_process", "rejected"]

    [states.in_process]
    status = "open"
    detailed_status = "IN_PROCESS"
    response = true
    to = [
        "processed",
        "rejected",
    ]

    [states.processed]
    status = "closed"
    closure_reason = "resolved"
    detailed_status = "PROCESSED"
    response = true

    [states.rejected]
    status = "closed"
    closure_reason = "not_actionable"
    detailed_status = "REJECTED"
    response = true
    """
)


def problems(error: WorkflowError) -> list[tuple[str | None, str | None, int | None]]:
    return [(problem.path, problem.state, problem.line) for problem in error.problems]


def toml_with(old: str, new: str) -> str:
    assert old in SPRINGFIELD_TOML
    return SPRINGFIELD_TOML.replace(old, new, 1)


class TestSoundFiles:
    def test_a_klarschiff_style_workflow_loads_from_toml(self) -> None:
        workflow = Workflow.from_toml(SPRINGFIELD_TOML)
        assert [(state.name, state.detailed_status) for state in workflow.states] == [
            ("received", "RECEIVED"),
            ("in_process", "IN_PROCESS"),
            ("processed", "PROCESSED"),
            ("rejected", "REJECTED"),
        ]
        assert workflow.state("rejected").closure_reason is ClosureReason.NOT_ACTIONABLE
        assert workflow.allowed("in_process") == ("processed", "rejected")

    def test_the_same_workflow_loads_from_json_text_and_bytes_with_a_bom(self) -> None:
        workflow = Workflow.from_toml(SPRINGFIELD_TOML)
        text = json.dumps(workflow.to_dict(), indent=2)
        assert Workflow.from_json(text) == workflow
        assert Workflow.from_json(b"\xef\xbb\xbf" + text.encode()) == workflow


def line_of(text: str, snippet: str) -> int:
    """The 1-based line of the first line of ``text`` holding ``snippet``."""
    return next(number for number, line in enumerate(text.splitlines(), start=1) if snippet in line)


class TestTomlErrors:
    @pytest.mark.parametrize(
        ("old", "new", "expected", "fragment"),
        [
            pytest.param(
                'to = ["in_process", "rejected"]',
                'to = ["in_proces", "rejected"]',
                [
                    ("states.received.to[0]", "received", '"in_proces"'),
                    ("states.in_process", "in_process", "[states.in_process]"),
                    ("states.processed", "processed", "[states.processed]"),
                ],
                "unknown state 'in_proces'; did you mean 'in_process'?",
                id="unknown-target",
            ),
            pytest.param(
                '    "rejected",\n]',
                '    "rejectd",\n]',
                [("states.in_process.to[1]", "in_process", '"rejectd"')],
                "unknown state 'rejectd'; did you mean 'rejected'?",
                id="unknown-target-in-a-multiline-list",
            ),
            pytest.param(
                'status = "closed"\nclosure_reason = "resolved"',
                'status = "closed"',
                [("states.processed.closure_reason", "processed", "[states.processed]")],
                "a closed state needs a closure_reason",
                id="closed-without-reason-points-at-its-table",
            ),
            pytest.param(
                '[states.rejected]\nstatus = "closed"',
                '[states.rejected]\nstaus = "closed"',
                [("states.rejected.staus", "rejected", "staus"), ("states.rejected", "rejected", "[states.rejected]")],
                "unknown key 'staus' (the keys are 'status', 'detailed_status', 'closure_reason', 'paused', 'response', 'resolution', 'to'); did you mean 'status'?",
                id="misspelt-status",
            ),
            pytest.param(
                'initial = "received"',
                'initial = "recieved"',
                [("initial", None, "initial =")],
                "the initial state 'recieved' is not declared; did you mean 'received'?",
                id="unknown-initial",
            ),
            pytest.param(
                'initial = "received"\n',
                "",
                [("initial", None, None)],
                "the workflow has no 'initial'",
                id="no-initial",
            ),
            pytest.param(
                'to = ["in_process", "rejected"]',
                'to = ["rejected"]',
                [
                    ("states.in_process", "in_process", "[states.in_process]"),
                    ("states.processed", "processed", "[states.processed]"),
                ],
                "unreachable: no transition leads here from the initial state 'received'",
                id="unreachable",
            ),
            pytest.param(
                '    "processed",\n    "rejected",',
                '    "in_process",\n    "rejected",',
                [
                    ("states.in_process.to[0]", "in_process", '    "in_process",'),
                    ("states.processed", "processed", "[states.processed]"),
                ],
                "a state cannot move to itself",
                id="self-loop",
            ),
            pytest.param(
                'response = true\nto = [\n    "processed",\n    "rejected",\n]',
                "response = true",
                [
                    ("states.processed", "processed", "[states.processed]"),
                    ("states.in_process.to", "in_process", "[states.in_process]"),
                ],
                "a case here could never close",
                id="never-closes-points-at-its-table",
            ),
            pytest.param(
                'detailed_status = "IN_PROCESS"\nresponse = true',
                'detailed_status = "IN_PROCESS"\nresponse = "yes"',
                [("states.in_process.response", "in_process", 'response = "yes"')],
                "response must be true or false (got 'yes')",
                id="flag-not-a-boolean",
            ),
            pytest.param(
                'status = "closed"\nclosure_reason = "not_actionable"',
                'status = "closed"\nclosure_reason = "not actionable"',
                [("states.rejected.closure_reason", "rejected", '"not actionable"')],
                "the closure_reason must be one of 'resolved', 'duplicate', 'referred', 'not_actionable', 'withdrawn' (got 'not actionable')",
                id="closure-reason-not-in-the-set",
            ),
            pytest.param(
                'name = "springfield"',
                'name = "springfield"\nversion = 2',
                [("version", None, "version")],
                "unknown key 'version'",
                id="unknown-top-key",
            ),
        ],
    )
    def test_a_wrong_file_names_the_path_the_state_and_the_line(
        self, old: str, new: str, expected: list[tuple[str, str | None, str | None]], fragment: str
    ) -> None:
        text = toml_with(old, new)
        with pytest.raises(WorkflowError) as caught:
            Workflow.from_toml(text)
        lines = [(path, state, line_of(text, snippet) if snippet else None) for path, state, snippet in expected]
        assert problems(caught.value) == lines
        assert fragment in str(caught.value)

    def test_a_syntax_error_names_the_line(self) -> None:
        with pytest.raises(WorkflowError) as caught:
            Workflow.from_toml(
                toml_with(
                    'status = "open"\ndetailed_status = "RECEIVED"', 'status = open\ndetailed_status = "RECEIVED"'
                )
            )
        assert caught.value.line == 6
        assert str(caught.value).startswith("not valid TOML: Invalid value (line 6)")

    def test_not_utf8_is_refused(self) -> None:
        with pytest.raises(WorkflowError, match="not UTF-8 text"):
            Workflow.from_toml(b'name = "\xff"')

    def test_several_problems_come_together_each_with_its_line(self) -> None:
        text = toml_with('initial = "received"', 'initial = "recieved"')
        text = text.replace('closure_reason = "resolved"\n', "")
        with pytest.raises(WorkflowError) as caught:
            Workflow.from_toml(text)
        assert problems(caught.value) == [
            ("states.processed.closure_reason", "processed", line_of(text, "[states.processed]")),
            ("initial", None, line_of(text, "initial =")),
        ]
        assert str(caught.value).splitlines()[0] == "invalid workflow: 2 problems"

    def test_a_workflow_declared_with_inline_tables_gets_lines_too(self) -> None:
        text = textwrap.dedent(
            """\
            name = "inline"
            initial = "new"
            [states]
            new = { status = "open", to = ["done", "gone"] }
            done = { status = "closed", closure_reason = "resolved" }
            """
        )
        with pytest.raises(WorkflowError) as caught:
            Workflow.from_toml(text)
        assert problems(caught.value) == [("states.new.to[1]", "new", 4)]


class TestJsonErrors:
    def json_text(self) -> str:
        return json.dumps(Workflow.from_toml(SPRINGFIELD_TOML).to_dict(), indent=2)

    def test_an_unknown_target_names_its_line(self) -> None:
        text = self.json_text().replace('"in_process",\n        "rejected"', '"in_process",\n        "rejectd"')
        with pytest.raises(WorkflowError) as caught:
            Workflow.from_json(text)
        line = text.splitlines().index('        "rejectd"') + 1
        assert problems(caught.value) == [("states.received.to[1]", "received", line)]
        assert "did you mean 'rejected'?" in str(caught.value)

    def test_a_state_without_status_names_its_line(self) -> None:
        text = self.json_text().replace('"processed": {\n      "status": "closed",', '"processed": {')
        with pytest.raises(WorkflowError) as caught:
            Workflow.from_json(text)
        line = text.splitlines().index('    "processed": {') + 1
        assert problems(caught.value) == [("states.processed", "processed", line)]
        assert "the state has no status: say whether it is 'open' or 'closed'" in str(caught.value)

    def test_a_syntax_error_names_the_line(self) -> None:
        with pytest.raises(WorkflowError, match=r"not valid JSON: Expecting ',' delimiter \(line 3\)"):
            Workflow.from_json('{\n  "name": "x"\n  "initial": "new"\n}')

    @pytest.mark.parametrize(
        ("text", "fragment"),
        [
            ("[]", "a workflow is a table with name, initial, states (got [])"),
            ('{"name": "x", "initial": "new", "states": []}', "'states' must be a table of states (got [])"),
            ('{"name": 7, "initial": "new", "states": {}}', "'name' must be a string (got 7)"),
            (
                '{"name": "x", "initial": "new", "states": {"new": "open"}}',
                "states.new: a state is a table of keys (got 'open')",
            ),
            (
                '{"name": "x", "initial": "new", "states": {"new": {"status": "open", "to": "done"}}}',
                "'to' must be a list",
            ),
            (
                '{"name": "x", "initial": "new", "states": {"new": {"status": "open", "to": [3]}}}',
                "states.new.to[0]: 'to' lists state names (got 3)",
            ),
            (
                '{"name": "x", "initial": "new", "states": {"new": {"status": "open", "detailed_status": 3}}}',
                "the detailed_status must be a string (got 3)",
            ),
        ],
    )
    def test_a_wrong_shape_is_named(self, text: str, fragment: str) -> None:
        with pytest.raises(WorkflowError) as caught:
            Workflow.from_json(text)
        assert fragment in str(caught.value)

    def test_from_dict_names_paths_without_lines(self) -> None:
        with pytest.raises(WorkflowError) as caught:
            Workflow.from_dict({"name": "x", "initial": "new", "states": {"new": {"status": "opne"}}})
        assert problems(caught.value) == [("states.new.status", "new", None)]
        assert "the status must be one of 'open', 'closed' (got 'opne')" in str(caught.value)
