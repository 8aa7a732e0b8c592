"""Units over time, as the organisation rules define them: successions in force from
their first day, heirs, current units, lineages, the units offered in each structure,
the ministry's name, the marks of a trend, and the findings about the successions."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.organisation import Organisation, Succession, Unit, parse_structure

MERGER = dt.date(2025, 3, 1)
BEFORE = MERGER - dt.timedelta(days=1)
DECREE = "35/2025/NĐ-CP"


def _org(*successions: Succession, extra: tuple[Unit, ...] = ()) -> Organisation:
    units = [
        Unit("BTNMT", "Bộ Tài nguyên và Môi trường", "Ministry of Natural Resources and Environment", "ministry",
             valid_to=BEFORE),
        Unit("BNNMT", "Bộ Nông nghiệp và Môi trường", "Ministry of Agriculture and Environment", "ministry",
             valid_from=MERGER),
        Unit("DC", "Cục Địa chất Việt Nam", kind="department", valid_to=BEFORE),
        Unit("KS", "Cục Khoáng sản Việt Nam", kind="department", valid_to=BEFORE),
        Unit("DCKS", "Cục Địa chất và Khoáng sản Việt Nam", kind="department", valid_from=MERGER),
        Unit("KSONMT", "Cục Kiểm soát ô nhiễm môi trường", kind="department", valid_to=BEFORE),
        Unit("MT", "Cục Môi trường", kind="department", valid_from=MERGER),
        Unit("BTTN", "Cục Bảo tồn thiên nhiên và Đa dạng sinh học", kind="department"),
        Unit("PC", "Vụ Pháp chế", kind="department"),
        Unit("OLD", "Trung tâm đã giải thể", kind="agency", valid_to=dt.date(2025, 6, 30)),
        *extra,
    ]
    return Organisation({u.code: u for u in units}, successions)


MERGE = (
    Succession("DC", "DCKS", MERGER, "merge", True, DECREE),
    Succession("KS", "DCKS", MERGER, "merge", True, DECREE),
    Succession("BTNMT", "BNNMT", MERGER, "merge", True, DECREE),
)
# The pollution-control work split: the Department of Environment takes the records.
SPLIT = (
    Succession("KSONMT", "MT", MERGER, "split", True, DECREE),
    Succession("KSONMT", "BTTN", MERGER, "split", False, DECREE),
)


def test_a_succession_is_in_force_from_its_first_day():
    org = _org(*MERGE)
    assert org.heir("KS", BEFORE) is None and org.current("KS", BEFORE) == "KS"
    assert org.heir("KS", MERGER) == "DCKS" and org.current("KS", MERGER) == "DCKS"
    assert org.lineage("DCKS", BEFORE) == ("DCKS",)
    assert org.lineage("DCKS", MERGER) == ("DCKS", "DC", "KS")


def test_the_two_structures_read_a_lineage_or_the_unit_itself():
    org = _org(*MERGE)
    assert org.codes_of("DCKS", MERGER, "current") == ("DCKS", "DC", "KS")
    assert org.codes_of("DCKS", MERGER, "historical") == ("DCKS",)
    assert org.codes_of("KS", MERGER, "current") == ("KS",)     # a predecessor is only itself
    group = org.group_of(MERGER, "current")
    assert [group(c) for c in ("DC", "KS", "DCKS", "PC", None)] == ["DCKS", "DCKS", "DCKS", "PC", None]
    same = org.group_of(MERGER, "historical")
    assert [same(c) for c in ("DC", "KS", "DCKS")] == ["DC", "KS", "DCKS"]


def test_a_chain_of_two_successions_is_followed_to_its_end():
    later = dt.date(2025, 7, 1)
    org = _org(*MERGE, Succession("DCKS", "TNKS", later, "rename", True, "99/2025/NĐ-CP"),
               extra=(Unit("TNKS", "Cục Tài nguyên khoáng sản", kind="department", valid_from=later),))
    assert org.current("KS", later - dt.timedelta(days=1)) == "DCKS"
    assert org.current("KS", later) == "TNKS"
    assert org.lineage("TNKS", later) == ("TNKS", "DC", "DCKS", "KS")
    assert org.lineage("DCKS", later) == ("DCKS", "DC", "KS")     # still the codes that pass through it
    assert org.took_effect(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == [
        (MERGER, (DECREE,)), (later, ("99/2025/NĐ-CP",))]
    assert org.took_effect(dt.date(2025, 3, 2), dt.date(2025, 6, 30)) == []


def test_a_split_gives_the_records_to_the_one_inheriting_successor():
    org = _org(*SPLIT)
    assert org.heir("KSONMT", MERGER) == "MT"
    assert org.lineage("MT", MERGER) == ("MT", "KSONMT")
    assert org.lineage("BTTN", MERGER) == ("BTTN",)
    assert org.findings() == []


def test_a_unit_dissolved_without_heir_keeps_its_records_and_is_offered_while_it_has_some():
    org = _org(*MERGE)
    day = dt.date(2025, 9, 1)
    assert org.current("OLD", day) == "OLD"
    current = org.offered(day, "current")
    assert "OLD" not in current and "DCKS" in current and "KS" not in current and "BTNMT" not in current
    assert "OLD" in org.offered(day, "current", with_records={"OLD"})
    historical = org.offered(day, "historical", with_records={"KS"})
    assert "KS" in historical and "DC" not in historical and "DCKS" in historical


def test_two_inheriting_successors_are_a_finding_and_the_smallest_code_inherits():
    org = _org(Succession("KS", "ZZ", MERGER, "split", True), Succession("KS", "DCKS", MERGER, "split", True),
               extra=(Unit("ZZ", "Cục khác", kind="department"),))
    assert org.heir("KS", MERGER) == "DCKS"
    assert [f.rule for f in org.findings()] == ["several_heirs"] and org.findings()[0].codes == ("KS",)


def test_a_cycle_stops_at_the_first_repeated_code_and_is_a_finding():
    org = _org(Succession("DC", "KS", MERGER, "merge", True), Succession("KS", "DC", MERGER, "merge", True))
    assert org.current("DC", MERGER) == "KS" and org.current("KS", MERGER) == "DC"
    assert org.findings()[0].rule == "succession_cycle" and org.findings()[0].codes == ("DC", "KS")


def test_a_succession_naming_no_unit_is_a_finding():
    org = _org(Succession("GONE", "DCKS", MERGER, "merge", True))
    assert [(f.rule, f.codes) for f in org.findings()] == [("unknown_unit_in_succession", ("GONE",))]


def test_the_ministry_is_the_ministry_unit_valid_on_the_day_without_heir():
    org = _org(*MERGE)
    assert org.ministry(BEFORE).code == "BTNMT"
    assert org.ministry(MERGER).code == "BNNMT"
    assert org.ministry(MERGER).name("en") == "Ministry of Agriculture and Environment"
    assert Organisation().ministry(MERGER) is None


def test_the_report_lists_units_without_heir_in_current_and_every_unit_in_historical():
    org = _org(*MERGE, *SPLIT)
    assert org.reporting_units(MERGER, "current") == ["BTTN", "DCKS", "MT", "OLD", "PC"]
    assert org.reporting_units(MERGER, "historical") == ["BTTN", "DC", "DCKS", "KS", "KSONMT", "MT", "OLD", "PC"]
    assert org.reporting_units(BEFORE, "current") == org.reporting_units(BEFORE, "historical")


def test_without_successions_every_structure_is_the_plain_codes():
    org = _org()
    for structure in ("current", "historical"):
        assert org.codes_of("KS", MERGER, structure) == ("KS",)
        assert org.group_of(MERGER, structure)("KS") == "KS"


@pytest.mark.parametrize("given, expected", [(None, "current"), ("", "current"), (" Historical ", "historical"),
                                             ("current", "current")])
def test_a_structure_is_one_of_two(given, expected):
    assert parse_structure(given) == expected


def test_an_unknown_structure_is_refused():
    with pytest.raises(ValueError, match="one of current, historical"):
        parse_structure("today")


# -- read from a source ------------------------------------------------------------------

def test_the_organisation_is_read_from_the_source(rows):
    from data_access.db import Database
    from data_access.organisation import load

    rows.unit("BNNMT", "Bộ Nông nghiệp và Môi trường", kind="ministry", valid_from=MERGER)
    rows.unit("KS", "Cục Khoáng sản Việt Nam", valid_to=BEFORE)
    rows.unit("DC", "Cục Địa chất Việt Nam", valid_to=BEFORE)
    rows.unit("DCKS", "Cục Địa chất và Khoáng sản Việt Nam", valid_from=MERGER)
    rows.succession("KS", "DCKS", MERGER, legal_basis=DECREE)
    rows.succession("DC", "DCKS", MERGER, legal_basis=DECREE)
    org = load(Database("procedures", rows.url))
    assert org.units["KS"].valid_to == BEFORE and org.units["DCKS"].valid_from == MERGER
    assert org.units["DCKS"].valid_to is None
    assert [(s.predecessor, s.successor, s.effective_on, s.inherits_history, s.legal_basis)
            for s in org.successions] == [("DC", "DCKS", MERGER, True, DECREE), ("KS", "DCKS", MERGER, True, DECREE)]
    assert org.lineage("DCKS", MERGER) == ("DCKS", "DC", "KS")
    assert org.ministry(MERGER).name_vi == "Bộ Nông nghiệp và Môi trường"


def test_a_source_without_the_additions_reads_as_before(tmp_path):
    import sqlalchemy as sa

    from data_access.db import Database
    from data_access.organisation import load

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE units (code VARCHAR(32) PRIMARY KEY, name_vi VARCHAR(255) NOT NULL, "
                             "name_en VARCHAR(255), parent_code VARCHAR(32), kind VARCHAR(32))"))
        conn.execute(sa.text("INSERT INTO units VALUES ('KS', 'Cục Khoáng sản Việt Nam', NULL, NULL, 'department'),"
                             " ('BTNMT', 'Bộ Tài nguyên và Môi trường', NULL, NULL, 'ministry')"))
    engine.dispose()
    org = load(Database("procedures", url))
    assert set(org.units) == {"KS", "BTNMT"} and org.successions == ()
    assert org.units["KS"].valid_on(dt.date(1900, 1, 1)) and org.units["KS"].valid_on(dt.date(2999, 12, 31))
    assert org.codes_of("KS", MERGER, "current") == ("KS",)
    assert org.ministry(MERGER).code == "BTNMT"
