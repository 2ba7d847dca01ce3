"""A client no one here wrote: the PyPI ``georeport`` 0.3.1 client lists what our server stored.

It imports as ``georeport`` too, so it lives in a side directory named by
``GEOREPORT_PYPI_CLIENT`` (``pip install --target DIR georeport==0.3.1``) and
runs in a subprocess whose path holds that directory and not our sources.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import georeport
from georeport.server import RunningServer, Store
from tests.server.conftest import Clock, Format, call
from tests.server.test_methods import playground, post

CLIENT = os.environ.get("GEOREPORT_PYPI_CLIENT")

pytestmark = pytest.mark.skipif(
    not CLIENT, reason="GEOREPORT_PYPI_CLIENT is unset (pip install --target DIR georeport==0.3.1, then set it to DIR)"
)

SCRIPT = """
import json, sys
import georeport
from georeport import GeoReport

url, jurisdiction, fmt, ids = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
client = GeoReport(url, jurisdiction=jurisdiction, output_format=fmt)
answer = {
    "module": georeport.__file__,
    "version": georeport.__version__,
    "services": client.get_service_list(),
    "definition": client.get_service_definition("PK-101"),
    "requests": client.get_service_requests(service_code="PK-101"),
    "one": client.get_service_request(ids[0]),
    "by_id": client.get_service_requests(service_request_id=",".join(ids)),
}
json.dump(answer, sys.stdout)
"""


def run_client(url: str, fmt: Format, ids: list[str]) -> dict[str, object]:
    environment = {name: value for name, value in os.environ.items() if name not in {"PYTHONPATH", "PYTHONHOME"}}
    environment["PYTHONPATH"] = str(CLIENT)
    # -I would drop PYTHONPATH too; -s and -P keep our editable install and the working directory off the path.
    command = [sys.executable, "-s", "-P", "-c", SCRIPT, url, "elk-falls", fmt, ",".join(ids)]
    done = subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=60, check=False, cwd=Path(str(CLIENT)).parent
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_pypi_client_reads_what_we_stored(
    server: RunningServer, store: Store, api_key: str, clock: Clock, fmt: Format
) -> None:
    ids = []
    for number in range(3):
        clock.advance(minutes=1)
        ids.append(post(server, playground(api_key, description=f"Swing {number} & slide <broken>")))
    answer = run_client(server.url, fmt, ids)
    assert Path(str(answer["module"])).resolve().is_relative_to(Path(str(CLIENT)).resolve())
    assert answer["version"] == "0.3.1"
    expected_services = [service.service_code for service in store.jurisdictions()[0].catalog]
    services = answer["services"]
    assert isinstance(services, list)
    assert [service["service_code"] for service in services] == expected_services
    definition = answer["definition"]
    assert isinstance(definition, dict)
    assert definition["service_code"] == "PK-101"
    ours = {
        request.service_request_id: request
        for request in georeport.load(call(f"{server.url}/requests.json").body, kind="requests")
    }
    listed = answer["requests"]
    assert isinstance(listed, list)
    assert [request["service_request_id"] for request in listed] == list(reversed(ids))
    for request in listed:
        stored = ours[request["service_request_id"]]
        assert request["description"] == stored.description
        assert request["status"] == "open"
        assert request["service_name"] == stored.service_name
        assert float(request["lat"]) == stored.lat
        assert float(request["long"]) == stored.long
        assert stored.requested_datetime is not None
        assert (
            georeport.load(
                json.dumps([{"requested_datetime": request["requested_datetime"]}]), format="json", kind="requests"
            )
            .one()
            .requested_datetime
            == stored.requested_datetime
        )
    one = answer["one"]
    assert isinstance(one, dict)
    assert one["service_request_id"] == ids[0]
    assert one["description"] == "Swing 0 & slide <broken>"
    by_id = answer["by_id"]
    assert isinstance(by_id, list)
    assert [request["service_request_id"] for request in by_id] == ids
