"""Properties that hold for any tenants: totals add up, order is irrelevant, exclusions add
nothing, and an override touches only the tenants that use it."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from keepitlocal.enabled import (
    Anchor,
    Override,
    Project,
    Tenant,
    calculate,
    project_from_dict,
    result_to_dict,
)
from keepitlocal.enabled.parse import TENANT_KEYS as TENANT_FIELDS
from keepitlocal.errors import InputError

ACTIVITIES = [
    ("56.10", None),
    ("69.20", None),
    ("88.99", None),
    ("18.12", None),
    ("C", None),
    ("Q", None),
    ("93.13", None),
    (None, "B1a"),
    (None, "B2"),
    (None, "A3"),
    (None, "D1"),
    ("85.59", "B1a"),
    ("53.20", "B8"),
]
amounts = st.none() | st.decimals(min_value=1, max_value=100_000, places=2)
small = st.none() | st.decimals(min_value=0, max_value=200, places=1)


@st.composite
def tenants(draw, name: str) -> Tenant:
    sic, use_class = draw(st.sampled_from(ACTIVITIES))
    headcount = draw(st.none() | st.integers(min_value=0, max_value=60).map(Decimal))
    return Tenant(
        name=name,
        sic=sic,
        use_class=use_class,
        floorspace_m2=draw(amounts),
        area_basis=draw(st.sampled_from([None, "NIA", "GIA", "GEA"])),
        fte=draw(small),
        headcount=headcount,
        weekly_hours=draw(st.none() | st.decimals(min_value=1, max_value=60, places=1))
        if headcount is not None
        else None,
        turnover=draw(amounts),
        gva=draw(st.none() | st.decimals(min_value=0, max_value=10**6, places=2)),
    )


@st.composite
def projects(draw) -> Project:
    anchors = []
    for a in range(draw(st.integers(min_value=1, max_value=3))):
        count = draw(st.integers(min_value=1, max_value=6))
        anchors.append(
            Anchor(f"Anchor {a}", tuple(draw(tenants(f"Tenant {a}.{i}")) for i in range(count)))
        )
    return Project(tuple(anchors), "property", (Override("density", "D1", Decimal(20)),))


def by_name(result):
    return {(t.anchor, t.name): (t.employees.value, t.gva.value) for t in result.tenants}


@settings(max_examples=60)
@given(projects())
def test_totals_are_the_sum_of_included_tenants(project):
    result = calculate(project)
    for anchor in result.anchors:
        counted = [t.employees.value for t in anchor.tenants if t.employees.value is not None]
        assert anchor.employees.value == sum(counted, Decimal(0))
        assert anchor.employees.counted + anchor.employees.excluded == len(anchor.tenants)
        gva = [t.gva.value for t in anchor.tenants if t.gva.value is not None]
        assert anchor.gva.value == sum(gva, Decimal(0))
    assert result.employees.value == sum((a.employees.value for a in result.anchors), Decimal(0))
    assert result.gva.value == sum((a.gva.value for a in result.anchors), Decimal(0))
    document = json.loads(json.dumps(result_to_dict(result)))
    assert sum(
        Decimal(t["gva"]["value"])
        for a in document["anchors"]
        for t in a["tenants"]
        if t["gva"]["value"] is not None
    ) == Decimal(document["gva_pounds"]["exact"])


@settings(max_examples=40)
@given(projects(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(project, random):
    anchors = [
        replace(a, tenants=tuple(random.sample(a.tenants, len(a.tenants)))) for a in project.anchors
    ]
    random.shuffle(anchors)
    shuffled = calculate(replace(project, anchors=tuple(anchors)))
    original = calculate(project)
    assert shuffled.employees == original.employees
    assert shuffled.gva == original.gva
    assert by_name(shuffled) == by_name(original)


@settings(max_examples=40)
@given(projects(), st.sampled_from(ACTIVITIES))
def test_excluded_tenants_never_count(project, activity):
    sic, use_class = activity
    silent = Tenant("No survey return", sic=sic, use_class=use_class)
    first = project.anchors[0]
    bigger = replace(
        project, anchors=(replace(first, tenants=(*first.tenants, silent)), *project.anchors[1:])
    )
    before, after = calculate(project), calculate(bigger)
    assert after.employees.value == before.employees.value
    assert after.gva.value == before.gva.value
    assert after.employees.excluded == before.employees.excluded + 1
    assert after.anchors[0].tenants[-1].excluded


@settings(max_examples=40)
@given(
    projects(),
    st.sampled_from(["B1a", "B2", "A3", "B8", "D1"]),
    st.decimals(min_value=1, max_value=99, places=1),
)
def test_overriding_a_density_changes_only_tenants_using_it(project, use_class, density):
    before = calculate(project)
    changed = replace(
        project, overrides=(*project.overrides, Override("density", use_class, density))
    )
    if use_class == "D1":
        changed = replace(project, overrides=(Override("density", "D1", density),))
    after = calculate(changed)
    for old, new in zip(before.tenants, after.tenants, strict=True):
        uses = any(r.id == f"density:{use_class}" for r in old.employees.references)
        if not uses:
            assert (old.employees, old.gva) == (new.employees, new.gva)
        else:
            assert new.employees.references[0].status == "USER"


@settings(max_examples=150)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.floats(allow_nan=True),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    ["name", "anchors", "tenants", "fte", "sic", "overrides", "density", "x"]
                ),
                children,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_any_malformed_document_gives_input_error_and_nothing_else(document):
    try:
        project = project_from_dict(document, "fuzz.json")
    except InputError as error:
        assert error.problems
        assert all(p.file == "fuzz.json" for p in error.problems)
        return
    calculate(project)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6), max_value=10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(
        [
            "",
            " ",
            "12",
            "-3",
            "£1,200",
            "(5)",
            "abc",
            "B1a",
            "e(g)(i)",
            "56.10",
            "04",
            "I",
            "NIA",
            "gia",
            "nan",
            "Infinity",
            "1e400",
            "D1",
        ]
    )
    | st.lists(st.integers(), max_size=2)
)
tenant_docs = st.dictionaries(
    st.sampled_from([*TENANT_FIELDS, "floorspace", "Name"]), scalars, max_size=8
)
anchor_docs = st.fixed_dictionaries(
    {"name": scalars, "tenants": st.lists(tenant_docs, max_size=4) | scalars},
    optional={"local_authority": scalars, "extra": scalars},
)
override_docs = st.dictionaries(
    st.sampled_from(["density", "gva_per_fte", "gva_turnover_ratio", "full_time_hours", "bad"]),
    st.dictionaries(st.sampled_from(["B1a", "D1", "Q", "56", "zz", ""]), scalars, max_size=3)
    | scalars,
    max_size=3,
)


@settings(max_examples=200)
@given(
    st.fixed_dictionaries(
        {"anchors": st.lists(anchor_docs, max_size=3)},
        optional={"name": scalars, "overrides": override_docs},
    )
)
def test_near_valid_documents_either_calculate_or_explain_every_problem(document):
    try:
        project = project_from_dict(document, "fuzz.json")
    except InputError as error:
        assert error.problems
        assert all(p.file == "fuzz.json" and p.message for p in error.problems)
        return
    result = calculate(project)
    json.dumps(result_to_dict(result))
