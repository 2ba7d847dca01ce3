"""Tasks run in a fresh interpreter so their peak RSS is their own (see ``_harness.run_child``).

    python -m benchmarks._child idle                 # import georeport, nothing else
    python -m benchmarks._child stream PATH FORMAT   # georeport.iter_requests(PATH), counting
    python -m benchmarks._child load PATH FORMAT     # georeport.load(PATH), whole document

Each prints one JSON line: records, seconds (the work alone, perf_counter)
and its own peak RSS (``_harness.peak_rss``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from benchmarks._harness import child_answer


def main(argv: list[str]) -> int:
    import georeport

    task = argv[0] if argv else "idle"
    if task == "idle":
        child_answer(records=0, seconds=0.0)
        return 0
    path, format_ = Path(argv[1]), argv[2]
    start = time.perf_counter()
    if task == "stream":
        with georeport.iter_requests(path, format=format_) as reader:  # type: ignore[arg-type]
            count = sum(1 for _ in reader)
            warnings = len(reader.warnings)
    elif task == "load":
        document = georeport.load(path, format=format_)  # type: ignore[arg-type]
        count = len(document)  # type: ignore[arg-type]
        warnings = len(document.warnings)
    else:
        print(f"unknown task {task!r}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - start
    child_answer(records=count, seconds=seconds, bytes=path.stat().st_size, warnings=warnings)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
