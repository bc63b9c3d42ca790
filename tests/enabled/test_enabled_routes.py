"""Each gap-filling route of Appendix 2, with figures checked by hand (working in comments)."""

from __future__ import annotations

from keepitlocal.enabled import Override, Tenant

from .helpers import D, one


def test_reported_fte_is_used_as_given_and_is_high_confidence():
    result = one(Tenant("Café", sic="56.10", fte=D("6.5"), floorspace_m2=D(999)))
    assert result.employees.value == D("6.50")
    assert result.employees.route == "reported_fte"
    assert result.employees.confidence == "high"
    assert result.employees.references == ()


def test_headcount_with_hours_becomes_fte_over_a_37_5_hour_week():
    # 14 staff × 30 h = 420 h; 420 ÷ 37.5 = 11.2 FTE
    result = one(Tenant("Nursery", sic="88.91", headcount=D(14), weekly_hours=D(30)))
    assert result.employees.value == D("11.20")
    assert result.employees.route == "headcount_hours"
    assert result.employees.confidence == "high"
    assert [r.id for r in result.employees.references] == ["full_time_hours"]
    assert result.employees.references[0].status == "CONVENTION"


def test_the_full_time_week_can_be_overridden():
    # 6 × 25 ÷ 35 = 4.2857… → 4.29
    result = one(
        Tenant("Caterer", sic="56.21", headcount=D(6), weekly_hours=D(25)),
        Override("full_time_hours", "", D(35), "our sector's standard week"),
    )
    assert result.employees.value == D("4.29")
    assert result.employees.references[0].status == "USER"


def test_headcount_without_hours_uses_the_industry_fte_factor():
    # section P factor 0.785 (full-time share 0.570: 0.570 + 0.5 × 0.430 = 0.785); 5 × 0.785 = 3.925
    result = one(Tenant("Digital skills", sic="85.59", headcount=D(5)))
    assert result.employees.value == D("3.93")  # half-up at 0.01
    assert result.employees.route == "headcount_factor"
    assert result.employees.confidence == "moderate"
    assert [r.id for r in result.employees.references] == ["fte_factor:P"]


def test_floorspace_over_hca_density_for_an_office():
    # 850 m² NIA ÷ 12 m² per FTE (HCA 2015, B1a general office) = 70.833… → 70.83 FTE
    result = one(Tenant("Advice", use_class="B1a", floorspace_m2=D(850), area_basis="NIA"))
    assert result.employees.value == D("70.83")
    assert result.employees.route == "floorspace_density"
    assert result.employees.confidence == "moderate"
    assert result.employees.description.startswith("850 m² NIA ÷ 12 m²/FTE (HCA 2015, B1a")
    assert "TRANSCRIBED" in result.employees.description
    assert result.employees.warnings == ()


def test_gva_from_estimated_fte_times_gva_per_fte():
    # use class B1a with no SIC → section M assumed; 70.83 FTE × £77,500 = £5,489,325.00
    result = one(Tenant("Advice", use_class="B1a", floorspace_m2=D(850), area_basis="NIA"))
    assert result.activity.section == "M"
    assert result.activity.sic_assumed
    assert result.gva.value == D("5489325.00")
    assert result.gva.route == "employees_gva_per_fte"
    assert result.gva.description == "70.83 FTE × £77,500 per FTE (ONS 2023, section M; DERIVED)"
    assert result.confidence == "moderate"


def test_gva_from_turnover_and_the_industry_ratio():
    # SIC 56.10 → most specific ratio is 56.1 (ONS ABS 2024: 26,485 ÷ 55,617 = 0.476)
    # £210,000 × 0.476 = £99,960.00
    result = one(Tenant("Café", sic="56.10", fte=D("6.5"), turnover=D(210000)))
    assert result.gva.value == D("99960.00")
    assert result.gva.route == "turnover_ratio"
    assert [r.id for r in result.gva.references] == ["gva_turnover_ratio:56.1"]


def test_turnover_route_falls_back_to_gva_per_fte_when_no_ratio_exists():
    # no ratio for manufacturing: 240 m² GIA ÷ 36 = 6.67 FTE; 6.67 × £96,100 = £640,987.00
    result = one(
        Tenant("Printer", sic="18.12", floorspace_m2=D(240), area_basis="GIA", turnover=D(380000))
    )
    assert result.activity.use_class == "B2"
    assert result.employees.value == D("6.67")
    assert result.gva.value == D("640987.00")
    assert any("no GVA-to-turnover ratio" in w for w in result.gva.warnings)


def test_a_use_class_only_tenant_finds_the_division_ratio():
    # A3 → SIC 56 assumed; ratio 46,138 ÷ 97,052 = 0.475; £100,000 × 0.475 = £47,500.00
    result = one(Tenant("Tearoom", use_class="A3", turnover=D(100000)))
    assert result.gva.value == D("47500.00")
    assert result.employees.route == "excluded"


def test_reported_gva_is_high_confidence():
    result = one(Tenant("Credit union", sic="64.19", fte=D(4), gva=D(310000)))
    assert result.gva.value == D("310000.00")
    assert result.gva.confidence == "high"
    assert result.confidence == "high"


def test_a_project_override_replaces_the_density_and_is_reported_as_user():
    # D1 has no HCA density; with the project's 25 m²/FTE: 180 ÷ 25 = 7.2; 7.2 × £55,900 = £402,480
    result = one(
        Tenant("Pre-school", use_class="D1", floorspace_m2=D(180), area_basis="NIA"),
        Override("density", "D1", D(25), "our own count"),
    )
    assert result.employees.value == D("7.20")
    assert result.employees.references[0].status == "USER"
    assert result.gva.value == D("402480.00")


def test_a_turnover_ratio_override_at_division_level():
    # £540,000 × 0.6 = £324,000.00
    result = one(
        Tenant("Accountants", sic="69.20", fte=D(8), turnover=D(540000)),
        Override("gva_turnover_ratio", "69", D("0.6")),
    )
    assert result.gva.value == D("324000.00")
    assert result.gva.references[0].id == "gva_turnover_ratio:69"


def test_community_use_without_a_density_is_excluded_with_a_fix():
    result = one(Tenant("Hall hirer", use_class="D1", floorspace_m2=D(200)))
    assert result.employees.value is None
    assert result.excluded
    assert result.confidence == "excluded"
    assert 'overrides, density "D1"' in (result.employees.excluded_reason or "")


def test_a_tenant_with_no_workable_data_is_excluded_not_zero():
    result = one(Tenant("Friends of the park", sic="94.99"))
    assert result.excluded
    assert result.employees.value is None and result.gva.value is None
    assert "no FTE, headcount or floorspace" in (result.employees.excluded_reason or "")


def test_a_floorspace_basis_that_differs_from_the_density_is_warned():
    # 350 m² GIA ÷ 65 m² NIA per FTE (fitness, UNVERIFIED) = 5.38; GIA > NIA so too high
    result = one(Tenant("Boxing club", sic="93.12", floorspace_m2=D(350), area_basis="GIA"))
    assert result.employees.value == D("5.38")
    assert result.employees.references[0].status == "UNVERIFIED"
    assert any("probably too high" in w for w in result.employees.warnings)


def test_a_missing_basis_is_taken_as_the_density_basis_and_said():
    result = one(Tenant("Yoga", sic="93.13", floorspace_m2=D(140)))
    assert any("area basis not given" in w for w in result.employees.warnings)


def test_sic_spellings_reach_the_same_reference_values():
    for spelling in ("56.10", "5610", "56.10/1", "56101"):
        result = one(Tenant("Café", sic=spelling, fte=D(1), turnover=D(1000)))
        assert result.gva.value == D("476.00"), spelling


def test_the_fte_factor_can_be_overridden_for_a_division():
    # 5 people × 0.9 (project value for SIC 85) = 4.50 FTE; other education tenants unaffected
    result = one(
        Tenant("Digital skills", sic="85.59", headcount=D(5)),
        Override("fte_factor", "85", D("0.9"), "most of our tutors are full-time"),
    )
    assert result.employees.value == D("4.50")
    assert result.employees.references[0].id == "fte_factor:85"
    assert "(project override, SIC 85; USER)" in result.employees.description
