"""Run the examples in the Markdown pages of ``docs/`` inside pytest, with Sybil.

Every ```` ```python ```` block that holds ``>>>`` prompts is a doctest
(``ELLIPSIS`` and ``NORMALIZE_WHITESPACE`` on); a block without prompts is run
as plain code. The blocks of one page share a namespace, in page order.
pytest runs with ``-W error``, so an example that makes a lenient reader
repair something must catch or expect the ``georeport.DialectWarning``.
``<!-- skip: next -->`` before a block skips it (shown in pytest's summary).
"""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        SkipParser(),
    ],
    patterns=["*.md"],
).pytest()
