"""The picture in docs/routing.md is what docs/scripts/draw_routing.py draws, byte for byte."""

from __future__ import annotations

import runpy
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).parents[2]
SCRIPT = ROOT / "docs" / "scripts" / "draw_routing.py"
PICTURE = ROOT / "docs" / "img" / "routing.svg"


def test_the_committed_svg_is_reproduced_by_the_script(tmp_path: Path) -> None:
    main = runpy.run_path(str(SCRIPT))["main"]
    target = tmp_path / "routing.svg"
    assert main(["--out", str(target)]) == 0
    drawn = target.read_bytes()
    assert drawn == PICTURE.read_bytes(), "run: python docs/scripts/draw_routing.py"
    assert main(["--out", str(target)]) == 0
    assert target.read_bytes() == drawn
    svg = etree.fromstring(drawn)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "Park service PK-101: where 374 reports go" in texts
    assert "Elk Falls National Park (federal)" in texts
    markers = len(list(svg.iter("{http://www.w3.org/2000/svg}rect")))  # a rule decided: squares
    assert markers > 100
