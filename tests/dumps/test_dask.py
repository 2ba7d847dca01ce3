"""georeport.dask on a real local distributed cluster (two worker processes) equals one process."""

from __future__ import annotations

import gzip
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from dask.distributed import Client, LocalCluster

import georeport.dask
from georeport import ServiceRequest, Status
from georeport.stats import CaseTable, StatsOptions, build_report
from georeport.stats import to_json as stats_json
from georeport.wire import iter_dump, partitions, write_dump
from georeport.wire.columns import NYC_311
from tests.conftest import DATA

AGENCIES = ("DOT", "DSNY", "NYPD", None)
SOURCES = ("Phone", "Web", "Mobile App")


def _requests(count: int, offset: int = 0) -> list[ServiceRequest]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    found = []
    for i in range(offset, offset + count):
        requested = start + timedelta(hours=7 * i)
        closed = i % 3 != 0
        found.append(
            ServiceRequest(
                f"r-{i}",
                Status.CLOSED if closed else Status.OPEN,
                agency_responsible=AGENCIES[i % 4],
                requested_datetime=requested,
                description='a "quoted", two-line\ndescription' if i % 5 == 0 else None,
                extensions={
                    "closed_datetime": (requested + timedelta(minutes=37 * (i % 11))).isoformat() if closed else None,
                    "status_description": "Closed" if closed else "Open",
                    "source": SOURCES[i % 3],
                    "service_subtype": None,
                },
            )
        )
    return found


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        warnings.catch_warnings(),
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        ) as cluster,
        Client(cluster) as connected,  # type: ignore[no-untyped-call]
    ):
        warnings.simplefilter("ignore", ResourceWarning)
        yield connected


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("dumps")
    paths = []
    for index, fmt in enumerate(("bulk-csv", "xml", "jsonl")):
        path = folder / ("part.csv", "part.xml", "part.jsonl")[index]
        with path.open("wb") as handle:
            write_dump(_requests(400, offset=400 * index), handle, format=fmt)  # type: ignore[arg-type]
        paths.append(path)
    return paths


def test_summaries_on_the_cluster_equal_the_single_process_path(client: Client, dumps: list[Path]) -> None:
    assert len(client.scheduler_info()["workers"]) == 2
    parts = partitions(dumps, size=8000)
    assert len(parts) > 6  # each file split at record boundaries
    single = georeport.dask.summarize_requests(
        (r for path in dumps for r in iter_dump(path)), by=["agency_responsible", "source"], period="month"
    )
    distributed = georeport.dask.summarize(dumps, by=["agency_responsible", "source"], period="month", size=8000)
    pd.testing.assert_frame_equal(distributed, single)
    assert int(distributed["volume"].sum()) == 1200
    assert int(distributed["closed"].sum()) == 800
    assert distributed["agency_responsible"].isna().sum() > 0  # missing agencies are a group of their own


def test_a_bag_and_a_frame_read_what_one_process_reads(client: Client, dumps: list[Path]) -> None:
    del client
    bag = georeport.dask.read_bag(dumps, size=40000)
    assert bag.npartitions > 3
    expected = [r for path in dumps for r in iter_dump(path)]
    assert bag.compute() == expected  # type: ignore[no-untyped-call]
    # The data frame's graph is the same on any scheduler; the synchronous one keeps this test quick.
    lazy = georeport.dask.read_frame(dumps[:1], size=40000, tz="America/New_York")
    frame = lazy.compute(scheduler="sync")  # type: ignore[no-untyped-call]
    expected = expected[:400]
    assert list(frame["service_request_id"]) == [r.service_request_id for r in expected]
    assert str(frame["requested_datetime"].dtype) == "datetime64[us, America/New_York]"


def test_city_exports_with_a_mapping(client: Client, dumps: list[Path], tmp_path: Path) -> None:
    del client, dumps
    gz = tmp_path / "nyc.csv.gz"
    gz.write_bytes(gzip.compress((DATA / "authored" / "cities" / "nyc_311.csv").read_bytes()))
    table = georeport.dask.summarize([gz], by=["agency_responsible"], mapping=NYC_311)
    single = georeport.dask.summarize_requests(iter_dump(gz, mapping=NYC_311), by=["agency_responsible"])
    pd.testing.assert_frame_equal(table, single)
    assert table.set_index("agency_responsible")["median_hours_to_close"]["NYPD"] == pytest.approx(
        (35 * 60 + 29) / 3600
    )


def test_the_full_statistics_report_on_the_cluster_equals_one_process(client: Client, dumps: list[Path]) -> None:
    del client
    options = StatsOptions(as_of=datetime(2024, 12, 1, tzinfo=UTC), by=("agency", "channel"), period=None)
    single = build_report(CaseTable.from_requests(r for path in dumps for r in iter_dump(path)), options)
    distributed = georeport.dask.report(dumps, options, size=8000)
    assert stats_json(distributed) == stats_json(single)
    assert len(distributed.cells) > 0


def test_joined_case_tables_equal_one_table(dumps: list[Path]) -> None:
    records = [r for path in dumps for r in iter_dump(path)]
    whole = CaseTable.from_requests(records)
    joined = georeport.dask.concat_case_tables(
        [
            CaseTable.from_requests(records[:10]),
            CaseTable.from_requests(records[10:700]),
            CaseTable.from_requests(records[700:]),
        ]
    )
    assert len(joined) == len(whole)
    for name in ("requested", "closed", "reason", "span_case", "span_start", "span_end", "ids", "proxy"):
        mine, theirs = getattr(joined, name), getattr(whole, name)
        if mine.dtype.kind == "M":  # NaT never equals itself: compare the integers
            mine, theirs = mine.view("int64"), theirs.view("int64")
        assert np.array_equal(mine, theirs), name
    for key, column in whole.dimensions.items():
        assert joined.dimensions[key].labels == column.labels
        assert (joined.dimensions[key].codes == column.codes).all()


@pytest.mark.parametrize("field", ["lat", "long", "requested_datetime", "closed_datetime_not_a_field", "extensions"])
def test_grouping_by_a_field_that_is_not_text_is_refused_not_collapsed(field: str, tmp_path: Path) -> None:
    requests = _requests(3)
    if field == "closed_datetime_not_a_field":  # an extension name is text: it groups
        table = georeport.dask.summarize_requests(requests, by=[field])
        assert table["volume"].sum() == 3
        return
    with pytest.raises(georeport.ValidationError, match=field):
        georeport.dask.summarize_requests(requests, by=[field])
    path = tmp_path / "dump.jsonl"
    with path.open("wb") as stream:
        write_dump(requests, stream, format="jsonl")
    with pytest.raises(georeport.ValidationError, match=field):  # refused before any task runs
        georeport.dask.summarize([path], by=["agency_responsible", field])
