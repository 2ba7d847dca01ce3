"""Run the examples in the Markdown pages of ``docs/`` inside pytest, with Sybil.

Every ```` ```python ```` block that holds ``>>>`` prompts is a doctest
(``ELLIPSIS`` and ``NORMALIZE_WHITESPACE`` on); a block without prompts is run
as plain code. The blocks of one page share a namespace, in page order.
pytest runs with ``-W error``, so an example that makes a lenient reader
repair something must catch or expect the ``georeport.DialectWarning``.

``<!-- skip: next if(STRICT_MODE_BROKEN, reason="...") -->`` skips an example
only while strict mode cannot raise its error (see ``_strict_mode_broken``);
the skip shows in pytest's summary with its reason.
"""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from typing import Any

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser


def _strict_mode_broken() -> bool:
    """Whether ``InvalidDocumentError`` (strict mode's error) cannot be built."""
    from georeport.errors import InvalidDocumentError, ParseError  # noqa: PLC0415

    try:
        InvalidDocumentError("probe", [ParseError("probe")])
    except TypeError:
        return True
    return False


def _setup(namespace: dict[str, Any]) -> None:
    namespace["STRICT_MODE_BROKEN"] = _strict_mode_broken()


pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        SkipParser(),
    ],
    patterns=["*.md"],
    setup=_setup,
).pytest()
