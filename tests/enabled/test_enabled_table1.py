"""Appendix 2, Table 1 (seed 001, lines 2039-2058): the ten anchors' published rows.

Each anchor reported aggregate tenant figures, entered here as one tenant per anchor with
reported FTE and GVA. The rows sum to 1,401 FTE while the appendix's text and total row say
1,399 (a 2 FTE discrepancy the seed does not explain); the GVA rows sum exactly to the stated
£119,609,964. Both FTE figures round to the appendix's "approximately 1,400 FTEs".
"""

from __future__ import annotations

from keepitlocal.enabled import Anchor, Project, Tenant, calculate, result_to_dict
from keepitlocal.enabled.formatting import approximately_fte, approximately_pounds

from .helpers import D

TABLE_1 = (  # local authority, anchor, FTE, GVA £ (blank LA cells filled from the partner list)
    ("Bradford", "Royds Community Association", 312, 70_000_000),
    ("Bradford", "Bradford Trident", 260, 12_913_842),
    ("Bristol", "Windmill Hill City Farm", 26, 617_010),
    ("Bristol", "Knowle West Media Centre", 43, 531_834),
    ("Calderdale", "Halifax Opportunities Trust", 304, 14_162_322),
    ("Hackney", "Hackney Co-operative Developments", 177, 8_114_434),
    ("Hackney", "Manor House Development Trust", 5, 237_110),
    ("Hackney", "Shoreditch Trust", 255, 12_348_429),
    ("Shropshire", "Wem Town Hall", 7, 158_073),
    ("Shropshire", "Cleobury Country Centre", 12, 526_910),
)
STATED_FTE = D(1399)
STATED_GVA = D(119_609_964)


def table_1() -> Project:
    return Project(
        tuple(
            Anchor(
                name,
                (Tenant("All tenants (aggregate)", use_class="D1", fte=D(fte), gva=D(gva)),),
                authority,
            )
            for authority, name, fte, gva in TABLE_1
        ),
        "Keep it Local for Economic Resilience, Table 1",
    )


def test_table_1_totals_are_reproduced_from_its_ten_rows():
    result = calculate(table_1())
    assert result.gva.value == STATED_GVA
    assert result.employees.value == D(1401)  # the rows; the appendix states 1,399
    assert result.employees.value - STATED_FTE == 2
    assert result.employees.counted == 10 and result.employees.excluded == 0


def test_table_1_headlines_round_as_the_appendix_advises():
    result = calculate(table_1())
    assert approximately_fte(result.employees.value) == "approximately 1,400 FTE"
    assert approximately_fte(STATED_FTE) == "approximately 1,400 FTE"
    assert approximately_pounds(result.gva.value) == "approximately £120m"
    document = result_to_dict(result)
    assert document["employees_fte"]["approximately"] == "approximately 1,400 FTE"
    assert document["employees_fte"]["exact"] == "1401.00"
    assert document["gva_pounds"]["exact"] == "119609964.00"


def test_table_1_by_local_authority():
    areas = {a.local_authority: a for a in calculate(table_1()).by_local_authority}
    assert {name: a.employees.value for name, a in areas.items()} == {
        "Bradford": D(572),
        "Bristol": D(69),
        "Calderdale": D(304),
        "Hackney": D(437),
        "Shropshire": D(19),
    }
    assert areas["Hackney"].gva.value == D(20_699_973)
    assert areas["Bradford"].anchors == ("Royds Community Association", "Bradford Trident")


def test_royds_gva_per_fte_is_the_appendix_outlier():
    # 70,000,000 ÷ 312 ≈ £224,359 per FTE: reported, so used as given, with high confidence
    royds = calculate(table_1()).anchors[0]
    assert royds.gva.confidence == "high"
    assert (royds.gva.value / royds.employees.value).quantize(D(1)) == D(224_359)
