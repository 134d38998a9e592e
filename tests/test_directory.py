"""models.directory on both backends: Aktivera's search of the region's HSA catalogue."""

from __future__ import annotations

import pytest

from models.directory import ACTIVE, INACTIVE, NEW, hsa_prefix, search_directory, search_words
from models.errors import ValidationError
from tests.factories import ORG_01, ORG_12, build_world, connected_unit, directory_unit, hsa


def found(op, text: str, limit: int = 6) -> list[tuple[str, str]]:
    return [(h.name, h.state) for h in search_directory(op, text, limit).hits]


def test_the_prefix_is_se_the_org_number_and_a_dash(backend):
    w = build_world()
    assert hsa_prefix(w.op) == "SE2321000016-"
    assert hsa_prefix(w.other_op) == "SE2321000255-"


def test_a_name_fragment_in_any_case_finds_the_units_that_can_be_activated_first(backend):
    w = build_world()
    directory_unit(hsa(ORG_01, "2001"), "Åkersberga vårdcentral", city="Åkersberga")
    connected_unit(hsa(ORG_01, "2002"), "BVC Åkersberga", city="Åkersberga")
    connected_unit(hsa(ORG_01, "2003"), "MVC Åkersberga", active=False, deactivated_at=1)
    directory_unit(hsa(ORG_12, "2004"), "Åkersberga i Skåne", region="12")
    # Upper-case Å typed as å (SQLite's LIKE folds A-Z only), other region left out,
    # never connected and inactive before active, Swedish order within.
    assert found(w.op, "åkers") == [
        ("MVC Åkersberga", INACTIVE),
        ("Åkersberga vårdcentral", NEW),
        ("BVC Åkersberga", ACTIVE),
    ]
    assert found(w.op, "ÅKERSBERGA MVC") == [("MVC Åkersberga", INACTIVE)]  # every word
    assert found(w.op, "källan") == [("Vårdcentralen Källan", NEW)]
    assert found(w.op, "solna") == [("Vårdcentralen Källan", NEW)]  # the town
    assert found(w.op, "lund") == []  # region 12's entry


def test_the_field_text_after_the_prefix_is_what_is_searched(backend):
    w = build_world()
    assert found(w.op, "SE2321000016-källan") == [("Vårdcentralen Källan", NEW)]
    assert found(w.op, "SE2321000016-1001") == [("Vårdcentralen Källan", NEW)]  # id part
    assert found(w.op, "SE2321000016-") == []
    assert search_words("SE2321000016-SE2321", "SE2321000016-") == []  # an id being typed
    assert search_words("se23", "SE2321000016-") == []
    assert search_words("SE2321000016- Vård  Källan", "SE2321000016-") == ["vård", "källan"]


def test_a_whole_hsa_id_comes_first_also_when_active(backend):
    w = build_world()
    connected_unit(hsa(ORG_01, "10021"), "Annexet")  # its id holds 1002 too
    hits = search_directory(w.op, w.active_hsa).hits
    assert [h.hsa_id for h in hits][:1] == [w.active_hsa]
    assert hits[0].state == ACTIVE and hits[0].state_name == "redan aktiv"


def test_like_wildcards_are_plain_characters(backend):
    w = build_world()
    directory_unit(hsa(ORG_01, "3001"), "Mottagning 100%", city="Nacka")
    assert found(w.op, "100%") == [("Mottagning 100%", NEW)]
    assert found(w.op, "_") == []
    assert found(w.op, "%") == [("Mottagning 100%", NEW)]


def test_more_hits_than_shown_say_so(backend):
    w = build_world()
    for i in range(8):
        directory_unit(hsa(ORG_01, f"4{i:03d}"), f"Vårdcentralen Norr {i}")
    result = search_directory(w.op, "norr", limit=6)
    assert len(result.hits) == 6 and result.more
    assert not search_directory(w.op, "norr", limit=8).more


def test_a_bad_term_is_refused(backend):
    w = build_world()
    with pytest.raises(ValidationError):
        search_directory(w.op, "x" * 101)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_an_administrator_connected_as_their_role_searches_the_catalogue(backend):
    """Row security hides other regions' units, not the catalogue: the states still show."""
    from models import db as dbmod
    from models.operators import link_operator, resolve_operator
    from tests.conftest import TEST_ROLE_PREFIX, _pg_url, pg_url_as
    from tests.factories import PNR_ANNA

    build_world()
    connected_unit(hsa(ORG_01, "2003"), "Källby vårdcentral", active=False, deactivated_at=1)
    role = f"{TEST_ROLE_PREFIX}anna"
    link_operator(role, PNR_ANNA, "01", system_owner="test")
    try:
        dbmod.open_database(pg_url_as(role))
        op = resolve_operator()
        assert hsa_prefix(op) == "SE2321000016-"
        assert found(op, "käll") == [
            ("Källby vårdcentral", INACTIVE),
            ("Vårdcentralen Källan", NEW),
        ]
        assert found(op, "ängen") == [("Husläkarmottagningen Ängen", ACTIVE)]
        assert found(op, "lund") == []
    finally:
        dbmod.open_database(_pg_url())
