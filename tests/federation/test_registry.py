"""Registries and crosswalks from declarations: georeport's TOML/JSON, r311's endpoints.json, open311status's cities.yml."""

from __future__ import annotations

import json

import pytest

from georeport.federation import Crosswalk, Registry, RegistryError, UnknownUpstreamError, Upstream
from tests.conftest import DATA


class TestRegistry:
    def test_r311_endpoints_name_the_entry_without_a_scheme(self) -> None:
        entries = json.loads((DATA / "corpus/r311/endpoints.json").read_text())
        with pytest.raises(RegistryError) as caught:
            Registry.from_mapping(entries)
        assert caught.value.path == "[6]"
        assert "311api.cityofchicago.org" in str(caught.value)

    def test_r311_endpoints_read_as_they_stand(self) -> None:
        entries = json.loads((DATA / "corpus/r311/endpoints.json").read_text())
        registry = Registry.from_mapping([entry for entry in entries if "://" in entry["root"]])
        bloomington = registry.for_jurisdiction("bloomington.in.gov")
        assert bloomington is not None
        assert (bloomington.id, bloomington.dialect.requests_limit, bloomington.dialect.paginates) == (
            "bloomington-in",
            1000,
            True,
        )
        assert len(registry) == len(entries) - 1

    def test_open311status_cities_read_as_they_stand(self) -> None:
        yaml = pytest.importorskip("yaml")
        cities = yaml.safe_load((DATA / "corpus/open311status/cities.yml").read_text())
        registry = Registry.from_mapping(cities)
        chicago = registry["chicago"]
        assert (chicago.dialect.requests_limit, chicago.dialect.params.query_zone) == (50, False)
        alexandria = registry["alexandria"]
        assert (alexandria.dialect.format, alexandria.dialect.headers) == ("xml", (("Accept-Encoding", ""),))
        assert registry["baltimore"].dialect.jurisdiction_id == "baltimorecity.gov"

    def test_two_upstreams_serving_one_jurisdiction_are_refused(self) -> None:
        with pytest.raises(RegistryError, match="'town' is served by both 'a' and 'b'") as caught:
            Registry.loads(
                '{"upstreams": [{"id": "a", "base_url": "https://a.gov", "jurisdictions": ["town"]},'
                ' {"id": "b", "base_url": "https://b.gov", "jurisdictions": "town"}]}'
            )
        assert caught.value.path == "upstreams[1].jurisdictions"

    @pytest.mark.parametrize(
        ("entry", "message"),
        [
            ({"id": "a:b", "base_url": "https://a.gov"}, "id must be"),
            ({"id": "a", "base_url": "ftp://a.gov"}, "base_url must be"),
            ({"id": "a", "base_url": "https://a.gov", "timeout": 0}, "timeout must be"),
            ({"id": "a", "base_url": "https://a.gov", "format": "csv"}, "'format' must be 'xml' or 'json'"),
        ],
    )
    def test_bad_entries_name_their_place(self, entry: dict[str, object], message: str) -> None:
        with pytest.raises(RegistryError, match=message) as caught:
            Registry.from_mapping({"upstreams": [entry]})
        assert caught.value.path == "upstreams[0]"

    def test_text_that_is_neither_json_nor_toml(self) -> None:
        with pytest.raises(RegistryError, match="not valid TOML"):
            Registry.loads("[[upstreams]\nid=")

    def test_unknown_upstream(self) -> None:
        registry = Registry([Upstream(id="a", base_url="https://a.gov")])
        with pytest.raises(UnknownUpstreamError, match=r"known: a"):
            registry["b"]


class TestCrosswalk:
    def test_declared_as_toml(self) -> None:
        walk = Crosswalk.loads(
            '[services.pothole]\nname = "Pothole"\nkeywords = ["road", "hole"]\n[codes.town]\n"PK-101" = "pothole"\n'
        )
        assert walk.services["pothole"].keywords == "road,hole"
        assert walk.federated_code("town", "PK-101") == "pothole"
        assert walk.federated_code("town", "SW-9") == "town:SW-9"
        assert walk.upstream_codes("pothole", "elsewhere") == ()

    def test_mapping_to_an_undeclared_service_is_refused(self) -> None:
        with pytest.raises(RegistryError, match="not a declared common service") as caught:
            Crosswalk.from_mapping({"services": {}, "codes": {"town": {"PK-101": "pothole"}}})
        assert caught.value.path == "codes.town.PK-101"

    def test_a_common_code_cannot_look_namespaced(self) -> None:
        with pytest.raises(RegistryError, match="hold no ':'"):
            Crosswalk.from_mapping({"services": {"a:b": "A"}})


class TestDeclarations:
    def test_one_declaration_holds_registry_and_crosswalk(self) -> None:
        from georeport.federation import read_federation

        registry, crosswalk = read_federation(
            '{"upstreams": [{"id": "town", "base_url": "https://311.town.gov/v2"}],'
            ' "services": {"pothole": "Pothole"}, "codes": {"town": {"PK-101": "pothole"}}}'
        )
        assert registry.ids() == ["town"]
        assert crosswalk.upstream_codes("pothole", "town") == ("PK-101",)

    def test_a_router_s_jurisdictions_with_endpoints_become_upstreams(self) -> None:
        from shapely.geometry import box

        from georeport.routing import Jurisdiction, Router

        router = Router(
            [
                Jurisdiction(
                    "town",
                    "Town",
                    "municipal",
                    boundary=box(0, 0, 1, 1),
                    services="pothole",
                    endpoint="https://311.town.gov/v2",
                ),
                Jurisdiction("county", "County", "county", boundary=box(-1, -1, 2, 2), services="pothole"),
            ]
        )
        registry = Registry.from_jurisdictions(router.jurisdictions, timeout=3.0)
        assert [(u.id, u.base_url, u.name, u.timeout) for u in registry] == [
            ("town", "https://311.town.gov/v2", "Town", 3.0)
        ]
        assert registry.for_jurisdiction("county") is None
