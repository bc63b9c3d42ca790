"""The asset map engine: merging rules, placing, the two views, bands, deprivation, summaries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepitlocal.assetmap.bands import SEED_BAND, UNKNOWN, band_of, ncvo_bands, parse_bands
from keepitlocal.assetmap.build import OFFICE, OPERATION, build, lad_of_area_name
from keepitlocal.assetmap.deprivation import (
    NO_DECILE_NI,
    NO_DECILE_SCOTLAND,
    NO_DECILE_WALES,
    NO_POSTCODE,
    default_lookup,
)
from keepitlocal.assetmap.organisations import merge
from keepitlocal.assetmap.sources import read_all
from keepitlocal.assetmap.summary import growth, summarise
from keepitlocal.errors import InputError
from keepitlocal.geo import Area, PostcodeStore
from keepitlocal.registers.fields import RegisteredOrganisation

from . import layouts as L
from .conftest import CALDERDALE

BANDS = ncvo_bands()


def _row(register: str, number: str, **kw: object) -> RegisteredOrganisation:
    return RegisteredOrganisation(register=register, number=number, name=kw.pop("name", number),  # type: ignore[arg-type]
                                  **kw)  # type: ignore[arg-type]


# ---- merging --------------------------------------------------------------------------------


def test_charity_and_its_company_are_one_organisation_with_every_identifier() -> None:
    (org,) = merge([
        _row("ccew", "1100001", charity_number="1100001", company_number="08123456",
             income=Decimal(300000)),
        _row("companies_house", "08123456", company_number="08123456", name="CALDER LTD"),
        _row("directory", "D7", charity_number="1100001", name="Calder Valley FB"),
    ])
    assert org.key == "GB-CHC-1100001" and org.sources == ["ccew", "companies_house", "directory"]
    assert set(org.identifiers) == {("GB-CHC", "1100001"), ("GB-COH", "08123456"),
                                    ("council directory", "D7")}
    assert org.income == Decimal(300000)


def test_linked_charity_folds_into_its_main_charity_without_adding_income() -> None:
    (org,) = merge([
        _row("ccew", "1100001-1", charity_number="1100001", main=False, income=Decimal(5)),
        _row("ccew", "1100001", charity_number="1100001", income=Decimal(1000)),
    ])
    assert org.income == Decimal(1000) and org.name == "1100001"
    assert ("CCEW linked charity", "1100001-1") in org.identifiers


def test_chains_merge_transitively_and_names_alone_never_merge() -> None:
    orgs = merge([
        _row("ccew", "1", charity_number="1", company_number="00000002"),
        _row("oscr", "SC000003", charity_number="SC000003", company_number="00000002"),
        _row("directory", "a", name="Same Name"),
        _row("directory", "b", name="Same Name"),
    ])
    assert sorted(len(o.records) for o in orgs) == [1, 1, 2]


def test_income_from_the_latest_financial_year_among_registers() -> None:
    (org,) = merge([
        _row("ccew", "1", charity_number="1", company_number="00000009", income=Decimal(10),
             financial_year_end=date(2024, 3, 31)),
        _row("oscr", "SC000001", charity_number="SC000001", company_number="00000009",
             income=Decimal(20), financial_year_end=date(2025, 3, 31)),
    ])
    assert (org.income, org.income_source) == (Decimal(20), "oscr")


# ---- bands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("income", "band"), [
    ("0", "micro"), ("9999.99", "micro"), ("10000", "small"), ("99999.99", "small"),
    ("100000", "medium"), ("999999.99", "medium"), ("1000000", "large"),
    ("10000000", "major"), ("99999999.99", "major"), ("100000000", "super-major"),
    ("-1", "below the first band"),
])
def test_bands_at_their_edges(income: str, band: str) -> None:
    assert band_of(Decimal(income), BANDS) == band


def test_seed_band_edges_and_unknown_income() -> None:
    assert SEED_BAND.contains(Decimal(200000)) and not SEED_BAND.contains(Decimal("199999.99"))
    assert SEED_BAND.contains(Decimal("499999.99")) and not SEED_BAND.contains(Decimal(500000))
    assert band_of(None, BANDS) == UNKNOWN


@given(st.decimals(min_value=0, max_value=10**10, places=2))
def test_every_income_falls_in_exactly_one_band(income: Decimal) -> None:
    assert sum(b.contains(income) for b in BANDS) == 1


def test_custom_bands_must_be_contiguous() -> None:
    bands = parse_bands("band,lower,upper\ntiny,0,5000\nbig,5000,\n")
    assert band_of(Decimal(5000), bands) == "big"
    with pytest.raises(InputError) as caught:
        parse_bands("band,lower,upper\na,0,100\nb,200,300\n", "mine.csv")
    assert caught.value.problems[0].row == 3 and caught.value.problems[0].file == "mine.csv"


# ---- deprivation ----------------------------------------------------------------------------


def test_deprivation_of_known_postcodes() -> None:
    found = default_lookup().lookup_many(["HX7 8AA", "hx11aa", "CF10 1AA", "EH1 1AA",
                                          "BT1 5GS", None, "ZZ9 9ZZ"])
    hebden, halifax, cardiff, edinburgh, belfast, none, unknown = found
    assert (hebden.lsoa11, hebden.lsoa21, hebden.decile, hebden.decile_2019) == \
        ("E01010923", "E01010923", 4, 4)
    assert not hebden.best_fit
    # Halifax centre: a 2011 LSOA split in 2021, so the 2021 LSOA is the ONS best fit (flagged)
    assert (halifax.lsoa11, halifax.lsoa21, halifax.decile_2019) == ("E01010994", "E01034583", 1)
    assert halifax.best_fit and halifax.decile == 2
    assert cardiff.lsoa11 and cardiff.decile is None and cardiff.note == NO_DECILE_WALES
    assert edinburgh.note == NO_DECILE_SCOTLAND and belfast.note == NO_DECILE_NI
    assert none.note == NO_POSTCODE and unknown.decile is None and unknown.note


SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.skipif(not (SHARED / "iod2025_lsoa21.csv").exists(), reason="no shared data")
def test_packaged_deciles_equal_the_published_tables() -> None:
    import csv

    with (SHARED / "iod2025_lsoa21.csv").open() as handle:
        published = {r["lsoa21cd"]: int(r["imd_decile"]) for r in csv.DictReader(handle)}
    assert default_lookup().decile_2025 == published


@pytest.mark.postcodes
def test_lsoa_lad_agrees_with_the_postcode_directory(real_store: PostcodeStore) -> None:
    """Two independent sources: the ONS Postcode Directory's LAD and the IoD table's LAD of the
    LSOA the May 2022 lookup gives; exact (not best-fit) LSOAs must agree."""
    lookup = default_lookup()
    sample = [k.decode() for k in lookup.keys[::5000].tolist()]
    located = real_store.lookup_many(sample)
    checked = 0
    for postcode, location, found in zip(sample, located, lookup.lookup_many(sample), strict=True):
        if location is None or location.level != "unit" or found.best_fit or not found.lsoa21 \
                or found.lsoa21 not in lookup.lad_of_lsoa21:
            continue
        checked += 1
        assert lookup.lad_of_lsoa21[found.lsoa21] == location.lad or location.lad in (
            "E08000038", "E08000039"), postcode
    assert checked > 300


# ---- building and summarising ---------------------------------------------------------------


def test_build_two_views_headquarters_effect(tmp_path: Path, store: PostcodeStore) -> None:
    sources = read_all(charities=L.extract(tmp_path))
    asset_map = build(sources, Area.from_lads([CALDERDALE]), store=store)
    office = {o.name for o in asset_map.in_view(OFFICE)}
    operation = {o.name for o in asset_map.in_view(OPERATION)}
    assert office == {"Calder Food Bank", "Hebden Arts"}
    assert operation == {"Leeds Based Carers", "No Postcode Club"}
    assert "Leeds Only" not in office | operation
    food = asset_map.find("GB-CHC-1100001")
    assert food is not None and food.classifications == ("The Prevention Or Relief Of Poverty",)
    assert food.latest_government_income == (Decimal(50000 + 20000), Decimal(2000))
    assert [y.income for y in food.income_history] == [Decimal(200000), Decimal(250000)]
    assert food.place_level == "unit" and food.deprivation.decile == 2
    assert asset_map.published["ccew"] == date(2026, 11, 30)


def test_summary_counts_active_only_and_tallies_bands(tmp_path: Path,
                                                     store: PostcodeStore) -> None:
    asset_map = build(read_all(charities=L.extract(tmp_path)), Area.from_lads([CALDERDALE]),
                      store=store)
    office = summarise(asset_map, OFFICE)
    assert office.total.count == 1 and office.total.income == Decimal(250000)
    assert office.removed_count == 1
    assert office.by_band["medium"].count == 1 and office.seed_band.count == 1
    assert office.by_decile["2"].count == 1
    assert office.government_contracts == Decimal(70000)
    operation = summarise(asset_map, OPERATION)
    assert operation.by_band["small"].count == 1 and operation.by_band["micro"].count == 1
    assert operation.by_decile[NO_POSTCODE].count == 1


def test_growth_by_year() -> None:
    orgs = merge([
        _row("ccew", "1", charity_number="1", registered=date(2020, 5, 1)),
        _row("ccew", "2", charity_number="2", registered=date(2021, 5, 1),
             removed=date(2022, 1, 1), active=False),
    ])
    years = {y.year: y for y in growth(orgs)}
    assert (years[2020].registered, years[2020].active_at_end) == (1, 1)
    assert (years[2021].registered, years[2021].active_at_end) == (1, 2)
    assert (years[2022].removed, years[2022].active_at_end) == (1, 1)


def test_grants_attach_by_charity_number_and_unknown_recipients_are_added(
        tmp_path: Path, store: PostcodeStore) -> None:
    grants = L.write_csv(tmp_path / "grants.csv", L.GRANTS_FIELDS, [
        {"Identifier": "g1", "Amount Awarded": "1000", "Recipient Org:Identifier": "GB-CHC-1100001"},
        {"Identifier": "g2", "Amount Awarded": "300", "Recipient Org:Identifier": "360G-x-9",
         "Recipient Org:Name": "Hx Residents", "Recipient Org:Postal Code": "HX3 6AA"},
    ])
    asset_map = build(read_all(charities=L.extract(tmp_path), grants_file=grants),
                      Area.from_lads([CALDERDALE]), store=store)
    food = asset_map.find("GB-CHC-1100001")
    assert food is not None and food.grants_received == Decimal(1000)
    added = [o for o in asset_map.organisations if o.sources == ["360giving"]]
    assert [(o.name, o.grants_received) for o in added] == [("Hx Residents", Decimal(300))]


def test_directory_with_column_mapping(tmp_path: Path, store: PostcodeStore) -> None:
    path = L.write_csv(tmp_path / "dir.csv", ["Group", "PC", "Reg"], [
        {"Group": "Shelf Residents", "PC": "HX3 6AA", "Reg": ""},
        {"Group": "", "PC": "HX1 1AA"}])
    sources = read_all(directory=path, directory_mapping={"name": "Group", "postcode": "PC"})
    assert [o.name for o in sources.organisations] == ["Shelf Residents"]
    assert [(p.row, p.column) for p in sources.reports[0].problems] == [(3, "Group")]
    with pytest.raises(InputError, match="no column 'Nope'"):
        read_all(directory=path, directory_mapping={"name": "Nope"})


def test_area_of_operation_names_to_lads() -> None:
    assert lad_of_area_name("Calderdale") == CALDERDALE
    assert lad_of_area_name("Kingston Upon Hull, City Of") == "E06000010"
    assert lad_of_area_name("Throughout England") is None


def test_progress_is_reported_while_reading_and_placing(tmp_path: Path,
                                                        store: PostcodeStore) -> None:
    seen: list[tuple[str, int, int]] = []
    sources = read_all(charities=L.extract(tmp_path),
                       progress=lambda step, done, total: seen.append((step, done, total)))
    build(sources, Area.from_lads([CALDERDALE]), store=store,
          progress=lambda step, done, total: seen.append((step, done, total)))
    assert ("reading the charity table", 6, 0) in seen
    assert ("reading the annual returns", 2, 0) in seen
    assert seen[-1] == ("placing organisations", 5, 5)
