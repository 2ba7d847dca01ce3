"""Building a ``Catalog`` and looking services up in it."""

from __future__ import annotations

import pytest

import georeport
from georeport import Service, ServiceDefinition, ServiceList, ValidationError
from georeport.catalog import Catalog, MissingDefinitionError, Requirements
from georeport.models import JSONValue


class TestLookups:
    def test_services_come_in_the_published_order(self, harborview: Catalog) -> None:
        assert [service.service_code for service in harborview] == ["PK-101", "ST-214", "WA-330"]
        assert len(harborview) == 3

    def test_by_code(self, harborview: Catalog) -> None:
        assert harborview["ST-214"].service_name == "Faded street name sign"
        assert "PK-101" in harborview
        assert "pk-101" not in harborview
        assert harborview.get("nope") is None
        assert harborview.get(None) is None
        with pytest.raises(KeyError):
            harborview["nope"]

    def test_by_group_ignores_letter_case(self, washington: Catalog) -> None:
        codes = [
            service.service_code for service in washington.by_group("SWM - Str & Alley Cleaning - Street Cleaning")
        ]
        assert codes == ["S0011", "RECCONRE", "S0391", "SO392", "TRACO001"]
        assert len(washington.groups) == 38

    def test_groups_are_listed_once_in_first_seen_order(self, harborview: Catalog) -> None:
        assert harborview.groups == ("parks", "streets", "water")

    def test_mysociety_groups_count_too(self) -> None:
        groups: dict[str, JSONValue] = {"groups": ["roads", "lighting"]}
        catalog = Catalog([Service("1", group="roads", extensions=groups), Service("2", group="parks")])
        assert catalog.groups == ("roads", "lighting", "parks")
        assert [service.service_code for service in catalog.by_group("Lighting")] == ["1"]

    def test_by_keyword_matches_whole_keywords(self, washington: Catalog) -> None:
        assert [service.service_code for service in washington.by_keyword("pothole")] == ["S0301"]
        assert washington.by_keyword("pot") == ()

    def test_search_looks_in_names_descriptions_keywords_and_groups(self, harborview: Catalog) -> None:
        assert [service.service_code for service in harborview.search("HYDRANT")] == ["WA-330"]
        assert [service.service_code for service in harborview.search("sign")] == ["ST-214"]
        assert [service.service_code for service in harborview.search("parks")] == ["PK-101"]

    def test_the_service_list_document(self, harborview: Catalog) -> None:
        document = harborview.service_list()
        assert isinstance(document, ServiceList)
        assert georeport.load(georeport.dump(document, "json"), kind="services") == document

    def test_definitions(self, harborview: Catalog) -> None:
        definition = harborview.definition("PK-101")
        assert definition is not None
        assert [attribute.code for attribute in definition.attributes] == ["EQUIPTYPE", "HAZARDS", "NOTES"]
        assert harborview.definition("ST-214") is None


class TestRequirements:
    def test_questions_in_display_order_and_informational_notes_apart(self, washington: Catalog) -> None:
        requirements = washington.requirements("S0301")
        assert [attribute.code for attribute in requirements.questions] == [
            "WHISPOLO",
            "WHMAISAL",
            "ISITHAZA",
            "WATHPRDA",
        ]
        assert [attribute.code for attribute in requirements.notes] == ["NOTE001", "DSITR001"]
        assert [attribute.code for attribute in requirements.required] == ["WHISPOLO"]
        assert Requirements.LOCATION == (("lat", "long"), ("address_string",), ("address_id",))

    def test_a_service_without_metadata_asks_nothing(self, harborview: Catalog) -> None:
        assert harborview.requirements("ST-214") == Requirements(harborview["ST-214"])

    def test_a_definition_the_catalog_lacks_is_an_error(self, harborview: Catalog) -> None:
        with pytest.raises(MissingDefinitionError) as caught:
            harborview.requirements("WA-330")
        assert caught.value.service_code == "WA-330"
        assert isinstance(caught.value, LookupError)

    def test_an_unknown_service(self, harborview: Catalog) -> None:
        with pytest.raises(KeyError):
            harborview.requirements("nope")


class TestBuilding:
    def test_codes_must_be_unique(self) -> None:
        with pytest.raises(ValidationError, match="'services' must be unique service codes"):
            Catalog([Service("1"), Service("1")])

    def test_a_definition_must_name_a_listed_service(self) -> None:
        with pytest.raises(ValidationError, match="'definitions' must be the code of a service in the list"):
            Catalog([Service("1")], [ServiceDefinition("2")])

    def test_a_definition_without_its_code_needs_a_mapping(self) -> None:
        with pytest.raises(ValidationError, match="'definitions' must be definitions naming their service_code"):
            Catalog([Service("1")], [ServiceDefinition()])
        assert Catalog([Service("1")], {"1": ServiceDefinition()}).definition("1") == ServiceDefinition()
