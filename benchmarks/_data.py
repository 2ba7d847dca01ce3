"""Seeded, spec-shaped GeoReport v2 service requests, as XML and JSON of the same records.

Every record carries the 17 fields the standard lists, in its order, with the
values real servers send when they follow the standard: string ids (some with
leading zeros), ``open``/``closed``, W3C datetimes with their city's offset
(``-08:00``, ``+02:00``, ``Z``), coordinates as floats, empty values
(``null`` in JSON, ``<x/>`` in XML, sometimes ``""``), non-ASCII text (Köln,
Helsinki), and now and then ``&`` or ``<`` in a description.

Nothing here needs a lenient repair: loading the output issues no
``DialectWarning`` (``check_clean`` verifies it).

``write_file`` streams a document of a given byte size to disk one batch of
records at a time, so a 1 GB dump never sits in memory.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Literal

from georeport.wire._records import REQUEST_FIELDS

Record = dict[str, Any]
Format = Literal["xml", "json"]

_SERVICES = (
    ("001", "Cans left out 24x7"),
    ("002", "Construction plate shifted"),
    ("4fd3b167e750846744000005", "Graffiti Removal"),
    ("4fd3b656e750846c53000004", "Pothole in Street"),
    ("SL-11", "Street Light Out"),
    ("0217", "Sidewalk Repair"),
    ("ABV", "Abandoned Vehicle"),
    ("ILLDUMP", "Illegal Dumping"),
    ("TREE", "Tree Trimming"),
    ("SIGN-DMG", "Damaged Sign"),
    ("WTR", "Water Main Break"),
    ("NOISE", "Noise Complaint"),
)

_DESCRIPTIONS = (
    "Large pothole in the right lane, about 30cm wide",
    "Graffiti on the side of the building facing the street",
    "Street light has been out for three nights",
    "Abandoned car with flat tires parked for two weeks",
    "Mattress and furniture dumped on the sidewalk",
    "Tree branch hanging low over the bike lane",
    "Stop sign knocked over at the corner",
    "Water bubbling up from the pavement near the hydrant",
    "Overflowing trash cans at the bus stop",
    "Sidewalk raised by tree roots, tripping hazard",
    "Loud construction work after 10pm",
    "Missing manhole cover",
)
_DETAILS = (
    "",
    " Please fix soon.",
    " Reported before, still not fixed.",
    " Cars swerve to avoid it.",
    " Near the school entrance.",
    " Kids play here every afternoon.",
    " Seen again this morning on my way to work.",
)
_SPECIAL_DETAILS = (  # the characters XML must escape
    " Water & sewer crew needed.",
    " Depth < 5cm but growing.",
    " Between 5th & Main, gap <2m wide.",
    " A&E access blocked.",
)
_STATUS_NOTES = (
    "Duplicate request.",
    "Case resolved. Crew dispatched and repaired.",
    "Completed: the hazard was removed & the area cleaned.",
    "Referred to the utility company.",
    "Inspected: no issue found.",
)
_NOTICE = (
    "The City will inspect and require the responsible party to correct within 24 hours "
    "and/or issue a Correction Notice or Notice of Violation of the Public Works Code"
)


class _City:
    """Where a record comes from: its coordinates, zone, streets and language."""

    def __init__(
        self,
        name: str,
        box: tuple[float, float, float, float],
        offsets: tuple[int, ...],
        streets: tuple[str, ...],
        zipcodes: tuple[str, ...],
        agencies: tuple[str, ...],
        local_descriptions: tuple[str, ...] = (),
        id_prefix: str = "",
        address_form: str = "{number} {street}, {city}, {zipcode}",
    ) -> None:
        self.name = name
        self.box = box
        self.zones = tuple(UTC if minutes is None else timezone(timedelta(minutes=minutes)) for minutes in offsets)
        self.streets = streets
        self.zipcodes = zipcodes
        self.agencies = agencies
        self.local_descriptions = local_descriptions
        self.id_prefix = id_prefix
        self.address_form = address_form


_CITIES = (
    _City(
        "San Francisco",
        (37.708, 37.810, -122.514, -122.357),
        (-480, -420),
        ("Market St", "Mission St", "Valencia St", "24th St", "Geary Blvd", "Van Ness Ave"),
        ("94103", "94110", "94114", "94117", "94122"),
        ("DPW Ops Queue", "Recology_Abandoned", "PUC - Streetlights", "DPT Abandoned Vehicles Work Queue"),
    ),
    _City(
        "Chicago",
        (41.644, 42.023, -87.940, -87.524),
        (-360, -300),
        ("N Clark St", "W Madison St", "S Halsted St", "W 63rd St", "N Milwaukee Ave"),
        ("60601", "60614", "60622", "60637", "60647"),
        ("Streets and Sanitation", "CDOT - Department of Transportation", "Department of Water Management"),
        id_prefix="SR23-",
    ),
    _City(
        "Boston",
        (42.227, 42.397, -71.191, -70.986),
        (-300, -240),
        ("Washington St", "Tremont St", "Blue Hill Ave", "Dorchester Ave", "Commonwealth Ave"),
        ("02118", "02119", "02121", "02124", "02130"),
        ("Public Works Department", "Transportation - Traffic Division", "Parks & Recreation Department"),
        id_prefix="101",
    ),
    _City(
        "Köln",
        (50.830, 51.085, 6.772, 7.162),
        (60, 120),
        ("Hohenzollernring", "Schildergasse", "Severinstraße", "Zülpicher Straße", "Bonner Straße", "Dürener Straße"),
        ("50667", "50674", "50677", "50937", "50931"),
        ("Amt für Straßen und Verkehrsentwicklung", "Abfallwirtschaftsbetriebe Köln", "Grünflächenamt"),
        (
            "Schlagloch auf der Fahrbahn, etwa 20 cm tief",
            "Müll illegal abgelagert, Sperrmüll am Straßenrand",
            "Straßenlaterne defekt – seit Tagen dunkel",  # noqa: RUF001 - non-ASCII on purpose
            "Graffiti an der Unterführung (Bahnübergang Süd)",
            "Gehweg beschädigt, Stolpergefahr für Fußgänger",
        ),
        address_form="{street} {number}, {zipcode} {city}",
    ),
    _City(
        "Helsinki",
        (60.130, 60.298, 24.782, 25.195),
        (120, 180, None),  # None: a server that answers in UTC ("Z")
        ("Mannerheimintie", "Hämeentie", "Töölönkatu", "Itämerenkatu", "Mäkelänkatu"),
        ("00100", "00150", "00250", "00510", "00530"),
        ("Helsingin kaupunki, Kaupunkiympäristö", "Stara", "HSL"),
        (
            "Katuvalo rikki Hämeentiellä",
            "Roskis täynnä, jätteet levinneet ympäriinsä",
            "Kuoppa pyörätiellä 🚲, vaarallinen pimeällä",
            "Töhryjä seinässä ja sähkökaapissa",
        ),
        address_form="{street} {number}, {zipcode} {city}",
    ),
)

_EPOCH = datetime(2010, 1, 1, tzinfo=UTC)
_SPAN_SECONDS = 14 * 365 * 86400


def _w3c(moment: datetime) -> str:
    """W3C datetime with the value's own offset (``Z`` for UTC), whole seconds."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _maybe_empty(rng: random.Random, value: str, p_none: float, p_empty: float = 0.0) -> str | None:
    draw = rng.random()
    if draw < p_none:
        return None
    if draw < p_none + p_empty:
        return ""
    return value


def _record(rng: random.Random, index: int) -> Record:
    city = rng.choice(_CITIES)
    code, name = rng.choice(_SERVICES)
    zone = rng.choice(city.zones)
    requested = (_EPOCH + timedelta(seconds=rng.randrange(_SPAN_SECONDS))).astimezone(zone)
    updated = requested + timedelta(seconds=rng.randrange(60, 40 * 86400))
    closed = rng.random() < 0.45
    if city.local_descriptions and rng.random() < 0.7:
        description = rng.choice(city.local_descriptions)
    else:
        description = rng.choice(_DESCRIPTIONS) + rng.choice(_DETAILS)
    if rng.random() < 0.04:
        description += rng.choice(_SPECIAL_DETAILS)
    lat_min, lat_max, long_min, long_max = city.box
    digits = rng.choice((6, 8, 9, 12))
    zipcode = rng.choice(city.zipcodes)
    address = city.address_form.format(
        number=rng.randrange(1, 4000), street=rng.choice(city.streets), city=city.name, zipcode=zipcode
    )
    return {
        "service_request_id": f"{city.id_prefix}{1_000_000 + index}",
        "status": "closed" if closed else "open",
        "status_notes": rng.choice(_STATUS_NOTES) if closed and rng.random() < 0.8 else None,
        "service_name": name,
        "service_code": code,
        "description": _maybe_empty(rng, description, 0.05, 0.02),
        "agency_responsible": rng.choice(city.agencies) if rng.random() < 0.9 else None,
        "service_notice": _NOTICE if rng.random() < 0.1 else None,
        "requested_datetime": _w3c(requested),
        "updated_datetime": _w3c(updated) if rng.random() < 0.9 else None,
        "expected_datetime": _w3c(requested + timedelta(days=rng.randrange(1, 30))) if rng.random() < 0.3 else None,
        "address": _maybe_empty(rng, address, 0.05),
        "address_id": _maybe_empty(rng, str(rng.randrange(100_000, 9_999_999)), 0.5, 0.1),
        "zipcode": _maybe_empty(rng, zipcode, 0.1),
        "lat": round(rng.uniform(lat_min, lat_max), digits),
        "long": round(rng.uniform(long_min, long_max), digits),
        "media_url": _maybe_empty(rng, f"https://311.example.org/media/{index:08d}.jpg", 0.65, 0.05),
    }


def records(n: int, *, seed: int = 311, start: int = 0) -> list[Record]:
    """``n`` requests as wire values (str, float or None), the same for the same seed."""
    rng = random.Random(f"{seed}:{start}")
    return [_record(rng, start + i) for i in range(n)]


def iter_records(*, seed: int = 311, batch: int = 2000) -> Iterator[list[Record]]:
    """Endless batches of requests with increasing ids."""
    start = 0
    while True:
        yield records(batch, seed=seed, start=start)
        start += batch


# --- writing ----------------------------------------------------------------------------
def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<service_requests>\n'
XML_TAIL = "</service_requests>\n"


def xml_record(record: Record) -> str:
    """One ``<request>`` element, indented as the standard's examples are."""
    parts = ["  <request>\n"]
    for name in REQUEST_FIELDS:
        value = record[name]
        if value is None:
            parts.append(f"    <{name}/>\n")
        elif value.__class__ is float:
            parts.append(f"    <{name}>{value!r}</{name}>\n")
        else:
            parts.append(f"    <{name}>{_escape(value)}</{name}>\n")
    parts.append("  </request>\n")
    return "".join(parts)


def to_xml(batch: list[Record]) -> bytes:
    """A ``<service_requests>`` document of these records."""
    return (XML_HEAD + "".join(map(xml_record, batch)) + XML_TAIL).encode("utf-8")


def _json_items(batch: list[Record]) -> str:
    return json.dumps(batch, ensure_ascii=False, separators=(",", ":"))[1:-1]


def to_json(batch: list[Record]) -> bytes:
    """A JSON array of these records (compact, UTF-8, keys in the standard's order)."""
    return ("[" + _json_items(batch) + "]").encode("utf-8")


def document(n: int, format: Format, *, seed: int = 311) -> bytes:  # noqa: A002 - georeport's own name
    """A generated document of ``n`` requests."""
    batch = records(n, seed=seed)
    return to_xml(batch) if format == "xml" else to_json(batch)


def write_file(path: str | os.PathLike[str], format: Format, size_bytes: int, *, seed: int = 311) -> tuple[int, int]:  # noqa: A002
    """Stream a document of at least ``size_bytes`` to ``path``; return (records, bytes).

    Records are generated and written one batch at a time: memory stays flat
    however large the file.
    """
    count = 0
    written = 0
    with open(path, "wb") as handle:
        head = XML_HEAD.encode() if format == "xml" else b"["
        handle.write(head)
        written += len(head)
        for batch in iter_records(seed=seed):
            if format == "xml":
                chunk = "".join(map(xml_record, batch)).encode("utf-8")
            else:
                chunk = (_json_items(batch) if count == 0 else "," + _json_items(batch)).encode("utf-8")
            handle.write(chunk)
            written += len(chunk)
            count += len(batch)
            if written >= size_bytes:
                break
        tail = XML_TAIL.encode() if format == "xml" else b"]\n"
        handle.write(tail)
        written += len(tail)
    return count, written


def check_clean(data: bytes, format: Format, n: int) -> Any:  # noqa: A002
    """Load ``data`` with every ``DialectWarning`` turned into an error; return the document.

    Raises:
        AssertionError: a record was lost or a repair was needed.
    """
    import warnings

    import georeport

    with warnings.catch_warnings():
        warnings.simplefilter("error", georeport.DialectWarning)
        doc = georeport.load(data, format=format)
    if len(doc) != n or doc.warnings:
        msg = f"generated {format} is not clean: {len(doc)} of {n} records, warnings {doc.warnings!r}"
        raise AssertionError(msg)
    return doc
