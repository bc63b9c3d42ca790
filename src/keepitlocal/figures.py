"""The figure catalogue: for every key of the engines' `--json` results, the one function that
computes it, the parameters it uses, where the method is explained and the seed line behind it.

`docs/figures.md` is generated from this table (`keepitlocal figures > docs/figures.md`); tests
check that every result key has an entry (an entry covers the keys below it), that each entry
names a function that exists and parameters that are in the registry, and that the committed
page is the generated one.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from keepitlocal.parameters import ENGINES, parameters


@dataclass(frozen=True)
class Entry:
    engine: str
    key: str  # a JSON path; "[]" stands for every item of a list; covers the keys below it
    function: str  # dotted path of the function (or property) that computes it
    what: str
    parameters: tuple[str, ...] = ()
    docs: str = ""
    seed: str = ""  # seed:lines, as cited in the reference digest


def _e(engine: str, key: str, function: str, what: str, params: str = "", docs: str = "",
       seed: str = "") -> Entry:
    return Entry(engine, key, function, what, tuple(params.split()), docs, seed)


LM3_R3 = ("local_staff_respend nonlocal_staff_respend local_supplier_respend "
          "nonlocal_supplier_respend")
L = "keepitlocal.lm3."
S = "keepitlocal.spend."
E = "keepitlocal.enabled."
A = "keepitlocal.assetmap."
F = "keepitlocal.framework."
FW_PLAN = "docs/framework.md#the-plan-file-command-line"
FW_PROGRESS = "docs/framework.md#indicators-baseline-target-progress"
FW_DATA = "docs/framework.md#measurements-evidence-and-data-quality"
FW_STEPS = "docs/framework.md#how-to-use-it-the-10-steps"
CATALOGUE: tuple[Entry, ...] = (
    _e("lm3", "name", L + "rounds.calculate", "the project's name, as given"),
    _e("lm3", "area", L + "placement.place", "the local area in words", "",
       "docs/lm3.md#local-or-not"),
    _e("lm3", "round1", L + "rounds.calculate", "Round 1: pay + supplier spend + other costs", "",
       "docs/lm3.md#the-three-rounds", "001:1959-1967"),
    _e("lm3", "round2", L + "rounds.calculate", "Round 2: the part of round 1 spent in the area",
       "", "docs/lm3.md#the-three-rounds", "001:1959-1967"),
    _e("lm3", "round3", L + "rounds.calculate", "Round 3: what staff and suppliers re-spend "
       "in the area", LM3_R3, "docs/lm3.md#round-3-in-detail", "001:1959-1967"),
    _e("lm3", "total", L + "model.Lm3Result.total", "Round 1 + Round 2 + Round 3", "",
       "docs/lm3.md#the-three-rounds", "001:1959-1967"),
    _e("lm3", "lm3", L + "rounds.calculate", "LM3 = total ÷ round 1 (at most 3)", LM3_R3,
       "docs/lm3.md#the-three-rounds", "001:1959-1967"),
    _e("lm3", "headline", L + "report.headline", '"every £1 creates £x" in words', "",
       "docs/lm3.md#what-the-report-shows"),
    _e("lm3", "supplier_value_responded_share", L + "confidence.responded_share",
       "share of supplier spend held by suppliers who answered", "",
       "docs/lm3.md#confidence", "001:1951"),
    _e("lm3", "confidence", L + "confidence.confidence", "green, amber or red",
       "confidence_green confidence_amber", "docs/lm3.md#confidence", "001:1951"),
    _e("lm3", "staff.pay", L + "rounds.pay_total", "all pay", "", "docs/lm3.md#the-three-rounds"),
    _e("lm3", "staff.local_pay", L + "rounds.calculate", "pay to staff living in the area", "",
       "docs/lm3.md#local-or-not"),
    _e("lm3", "staff.local_pay_share", L + "model.Lm3Result.local_staff_pay_share",
       "local pay ÷ all pay"),
    _e("lm3", "staff.people", L + "rounds.calculate", "staff listed one by one"),
    _e("lm3", "staff.local_people", L + "rounds.calculate", "of whom living in the area", "",
       "docs/lm3.md#local-or-not"),
    _e("lm3", "suppliers.spend", L + "rounds.calculate", "all supplier spend"),
    _e("lm3", "suppliers.count", L + "model.Lm3Result.supplier_count", "number of suppliers"),
    _e("lm3", "suppliers.local_count_share", L + "model.Lm3Result.local_supplier_count_share",
       "share of suppliers that are local"),
    _e("lm3", "suppliers.local_spend_share", L + "model.Lm3Result.local_supplier_spend_share",
       "share of supplier spend with local suppliers"),
    _e("lm3", "suppliers.local", L + "rounds.supplier_class",
       "local suppliers: spend, answers, re-spend share, round 3, value of £1",
       "local_supplier_respend", "docs/lm3.md#round-3-in-detail"),
    _e("lm3", "suppliers.nonlocal", L + "rounds.supplier_class",
       "non-local suppliers: spend, answers, re-spend share, round 3, value of £1",
       "nonlocal_supplier_respend", "docs/lm3.md#round-3-in-detail"),
    _e("lm3", "other_costs", L + "rounds.costs_total", "other direct costs, and the local part"),
    _e("lm3", "leakage.total", L + "model.Lm3Result.leakage_total",
       "what leaves the area in round 2", "", "docs/lm3.md#what-the-report-shows"),
    _e("lm3", "leakage.largest_nonlocal_suppliers", L + "rounds.calculate",
       "the largest non-local suppliers", "", "docs/lm3.md#what-the-report-shows"),
    _e("lm3", "placements", L + "placement.locate", "how many entries were placed each way",
       "", "docs/lm3.md#local-or-not"),
    _e("lm3", "proxies", L + "rounds.proxy", "every parameter used, its value and source",
       LM3_R3 + " confidence_green confidence_amber", "docs/lm3.md#proxies-and-their-sources"),

    _e("enabled", "name", E + "present.result_to_dict", "the project's name, as given"),
    _e("enabled", "source", E + "present.result_to_dict", "the input file"),
    _e("enabled", "notes", E + "present.result_to_dict", "notes, as given"),
    _e("enabled", "method", E + "present.result_to_dict", "the method in one sentence"),
    _e("enabled", "employees_fte", E + "engine.total", "enabled employment (FTE) of the network,"
       " exact and approximately", "full_time_hours",
       "docs/enabled-contribution.md#presenting-the-results", "001:2057-2060"),
    _e("enabled", "gva_pounds", E + "engine.total", "enabled GVA of the network, exact and "
       "approximately", "", "docs/enabled-contribution.md#presenting-the-results",
       "001:2057-2060"),
    _e("enabled", "anchors[].name", E + "engine.calculate_anchor", "the anchor, as given"),
    _e("enabled", "anchors[].local_authority", E + "engine.calculate_anchor", "its council"),
    _e("enabled", "anchors[].notes", E + "engine.calculate_anchor", "notes, as given"),
    _e("enabled", "anchors[].employees_fte", E + "engine.calculate_anchor",
       "the anchor's enabled employment", "full_time_hours",
       "docs/enabled-contribution.md#what-it-measures", "001:2039-2058"),
    _e("enabled", "anchors[].gva_pounds", E + "engine.calculate_anchor", "the anchor's enabled "
       "GVA", "", "docs/enabled-contribution.md#what-it-measures", "001:2039-2058"),
    _e("enabled", "anchors[].tenants[].name", E + "engine.calculate_anchor", "the tenant"),
    _e("enabled", "anchors[].tenants[].notes", E + "engine.calculate_anchor", "notes, as given"),
    _e("enabled", "anchors[].tenants[].activity", E + "activity.resolve",
       "the tenant's use class and SIC code, and which was assumed",
       "", "docs/enabled-contribution.md#how-gaps-are-filled"),
    _e("enabled", "anchors[].tenants[].employees", E + "estimate.estimate_employees",
       "the tenant's FTE, its route and references", "full_time_hours",
       "docs/enabled-contribution.md#how-gaps-are-filled", "001:2041-2051"),
    _e("enabled", "anchors[].tenants[].gva", E + "estimate.estimate_gva",
       "the tenant's GVA, its route and references", "",
       "docs/enabled-contribution.md#how-gaps-are-filled", "001:2041-2051"),
    _e("enabled", "anchors[].tenants[].confidence", E + "engine.calculate_anchor",
       "high, moderate or excluded", "", "docs/enabled-contribution.md#confidence"),
    _e("enabled", "anchors[].tenants[].excluded", E + "engine.calculate_anchor",
       "whether a figure could not be estimated", "", "docs/enabled-contribution.md#confidence"),
    _e("enabled", "by_local_authority", E + "engine.area_totals", "the totals by council"),
    _e("enabled", "excluded", E + "present.result_to_dict", "tenants' figures left out, and why",
       "", "docs/enabled-contribution.md#confidence"),
    _e("enabled", "references", E + "engine._references", "every reference value used, with "
       "its source", "", "docs/enabled-contribution.md#where-the-reference-values-come-from"),
    _e("enabled", "warnings", E + "engine._warnings", "what a reader should know"),

    _e("spend", "council", S + "engine.analyse", "the council's code"),
    _e("spend", "council_name", S + "engine.analyse", "its name"),
    _e("spend", "backend", S + "engine.analyse", "DuckDB or Spark", "", "docs/spend.md#backends"),
    _e("spend", "total", S + "analysis.figures", "spend on the lines used", "",
       "docs/spend.md#figures", "004:2707-2716"),
    _e("spend", "excluded_total", S + "exclusions.exclusion_id_sql", "spend on lines excluded", "",
       "docs/spend.md#what-is-excluded"),
    _e("spend", "duplicate_total", S + "ledger.mark_duplicates", "spend on duplicate lines", "",
       "docs/spend.md#every-line-accounted-for"),
    _e("spend", "credit_note_total", S + "engine.analyse", "credit notes", "",
       "docs/spend.md#every-line-accounted-for"),
    _e("spend", "tiers", S + "tiers.place", "spend by tier: the council area, county, region, UK",
       "", "docs/spend.md#tiers", "000:780"),
    _e("spend", "outside_uk_spend", S + "tiers.place", "spend with suppliers abroad", "",
       "docs/spend.md#tiers"),
    _e("spend", "unknown_spend", S + "tiers.place", "spend with suppliers not placed", "",
       "docs/spend.md#tiers"),
    _e("spend", "redacted_spend", S + "engine.analyse", "spend with redacted suppliers", "",
       "docs/spend.md#every-line-accounted-for"),
    _e("spend", "vcse_spend", S + "rules.vcse", "spend with VCSE suppliers", "",
       "docs/spend.md#figures", "004:2713-2716"),
    _e("spend", "vcse_share", S + "rules.vcse", "VCSE share of spend", "",
       "docs/spend.md#figures", "004:2713-2716"),
    _e("spend", "local_vcse_spend", S + "rules.vcse", "spend with local VCSE suppliers", "",
       "docs/spend.md#figures", "004:2713-2716"),
    _e("spend", "local_vcse_share", S + "rules.vcse", "local VCSE share of spend", "",
       "docs/spend.md#figures", "004:2713-2716"),
    _e("spend", "sme_spend", S + "rules.sme", "spend with SMEs", "", "docs/spend.md#figures",
       "004:2707-2716"),
    _e("spend", "sme_share", S + "rules.sme", "SME share of spend", "", "docs/spend.md#figures",
       "004:2707-2716"),
    _e("spend", "sme_unknown_spend", S + "rules.size_unknown", "spend with suppliers of unknown "
       "size", "", "docs/spend.md#figures"),
    *(_e("spend", f"lines_{kind}", S + "engine.analyse", f"ledger lines: {kind}", "",
         "docs/spend.md#every-line-accounted-for")
      for kind in ("read", "used", "excluded", "duplicate", "unusable", "credit_notes",
                   "undated", "redacted")),
    _e("spend", "exclusions", S + "exclusions.exclusion_id_sql", "spend excluded, by rule", "",
       "docs/spend.md#what-is-excluded"),
    *(_e("spend", f"by_{group}", S + "analysis.figures", f"spend by {group.replace('_', ' ')}",
         "", "docs/spend.md#figures")
      for group in ("department", "service", "expense_type", "month", "quarter", "year")),
    _e("spend", "by_district", S + "districts.by_district", "spend by the district (LAD) each "
       "placed supplier is in: the spend map", "", "docs/spend.md#spend-by-district"),
    _e("spend", "top_local_suppliers", S + "analysis.figures", "the largest local suppliers", "",
       "docs/spend.md#figures"),
    _e("spend", "top_nonlocal_suppliers", S + "rules.leaves_area",
       "the largest suppliers outside the area", "", "docs/spend.md#figures"),
    _e("spend", "leakage", S + "rules.leaves_area", "spend leaving the area by expense type "
       "where local suppliers exist", "", "docs/spend.md#figures"),
    _e("spend", "target", S + "engine.analyse", "the gap to a target local share", "",
       "docs/spend.md#figures", "000:780"),
    _e("spend", "shift", S + "engine._multipliers", "extra local value if a share of spend "
       "moved to local suppliers", "shift_share", "docs/spend.md#figures"),
    _e("spend", "matching", S + "matching.match_all", "suppliers matched to the registers, and "
       "how", "fuzzy_accept fuzzy_review", "docs/spend.md#performance"),
    _e("spend", "files", S + "ingest.load_ledgers", "each file read, its columns and period", "",
       "docs/spend.md#what-goes-in"),
    _e("spend", "problems", S + "engine.analyse", "problems found, each naming file, row, column",
       "", "docs/spend.md#every-line-accounted-for"),
    _e("spend", "unreadable", S + "ingest.load_ledgers", "ledger files set aside by "
       "--skip-unreadable: headers, problems and a mapping to start from", "",
       "docs/spend.md#files-that-cannot-be-mapped"),
    _e("spend", "provenance", S + "engine.analyse", "inputs, rules, tiers and sources used"),
    _e("assetmap", "area", A + "build.build", "the area in words (its districts or radius)", "",
       "docs/assetmap.md#which-area"),
    _e("assetmap", "area_chosen", A + "areas.choose", "how the area was named: districts, a "
       "county's districts, a combined authority's members or a radius", "",
       "docs/assetmap.md#which-area"),
    _e("assetmap", "from_store", A + "sources.read_store", "registers read from the register "
       "store, with file and publication date", "", "docs/assetmap.md#the-registers"),
    _e("assetmap", "registers", A + "sources.read_all", "each register read: file, publication "
       "date, rows read and kept, problems", "", "docs/assetmap.md#the-registers"),
    _e("assetmap", "organisations_read", A + "build.place", "organisations read from every "
       "register, after merging", "", "docs/assetmap.md#the-registers"),
    _e("assetmap", "placed_at", A + "build.place", "how each organisation read was placed "
       "(unit postcode, sector or district centroid, not placed)", "",
       "docs/assetmap.md#place-and-deprivation"),
    _e("assetmap", "views[].view", A + "summary.summarise", "which view: registered office or "
       "area of operation", "", "docs/assetmap.md#the-headquarters-effect"),
    _e("assetmap", "views[].view_label", A + "summary.summarise", "the view in words", "",
       "docs/assetmap.md#the-headquarters-effect"),
    *(_e("assetmap", f"views[].{key}", A + "summary.summarise", what, "",
         "docs/assetmap.md#what-the-map-shows", "004:863-960")
      for key, what in (("organisations", "active organisations in the view"),
                        ("income", "their latest income, summed"),
                        ("with_income", "how many give an income"),
                        ("removed", "organisations removed from their register"),
                        ("by_band", "count and income by turnover band"),
                        ("seed_band", "count and income in the £200k-£500k band"),
                        ("by_activity", "count and income by register classification"),
                        ("by_lsoa", "count and income by neighbourhood (LSOA 2021)"),
                        ("government_contracts", "income from government contracts (latest "
                                                 "annual returns)"),
                        ("government_grants", "income from government grants (latest annual "
                                              "returns)"),
                        ("with_government_income", "organisations with government income"),
                        ("grants_received", "360Giving grants received"),
                        ("placed", "how the view's organisations were placed"),
                        ("sources", "organisations by register"))),
    _e("assetmap", "views[].by_decile", A + "summary.summarise", "count and income by IoD2025 "
       "decile of the postcode's neighbourhood, or why none is shown", "",
       "docs/assetmap.md#place-and-deprivation", "004:863-960"),
    _e("assetmap", "views[].best_fit_lsoa", A + "deprivation.DeprivationLookup.lookup_many",
       "organisations whose 2021 neighbourhood is the ONS best fit of a split 2011 one", "",
       "docs/assetmap.md#place-and-deprivation"),
    _e("assetmap", "views[].years", A + "summary.growth", "registrations, removals and the "
       "number on the register, year by year", "", "docs/assetmap.md#what-the-map-shows",
       "004:863-960"),
    _e("assetmap", "district_deprivation", A + "deprivation.district_deprivation", "each "
       "district's share of neighbourhoods in England's most deprived deciles (the map's "
       "shading)", "shaded_deprived_deciles", "docs/assetmap.md#deprivation-shading"),
    _e("assetmap", "attribution", A + "deprivation.DeprivationLookup", "the deprivation and "
       "postcode data's attribution", "", "docs/assetmap.md#sources-and-licences"),
    _e("assetmap", "export", A + "export.tables", "the export file written, if any", "",
       "docs/assetmap.md#the-map"),
    # --- the Economic Resilience Framework's impact report (framework report --json) ---
    *(_e("framework", key, F + "model.Plan", what, "", FW_PLAN)
      for key, what in (("organisation", "the organisation whose plan it is"),
                        ("name", "the plan's name"),
                        ("theory_of_change", "the change sought, activities, area and "
                         "characteristics, as the plan gives them"))),
    _e("framework", "period", F + "progress.report", "the period the report is as of (its "
       "measurements up to and including it)", "", FW_PROGRESS),
    _e("framework", "periods", F + "progress.report", "every period the plan has a measurement "
       "for", "", FW_DATA),
    *(_e("framework", f"indicators[].{key}", F + "model.PlanIndicator", what, "",
         FW_PROGRESS)
      for key, what in (
          ("key", "the indicator's key in the plan"), ("label", "its name"),
          ("bank", "its row in the indicator bank, if from the bank"),
          ("characteristic", "the characteristic it measures"), ("unit", "its unit"),
          ("measure", "what is measured"), ("baseline", "the baseline value"),
          ("baseline_period", "the baseline's period"), ("target", "the target value"),
          ("target_period", "the target's period"),
          ("collection_method", "how the data are collected"),
          ("frequency", "how often"), ("fed_by", "the measured result feeding it, if any"))),
    _e("framework", "indicators[].latest", F + "progress.current_points", "the latest current "
       "value (the last revision of each period) with its quality, source and evidence", "",
       FW_DATA),
    _e("framework", "indicators[].series", F + "progress.current_points", "every period's "
       "current value, oldest first", "", FW_DATA),
    *(_e("framework", f"indicators[].{key}", F + "progress.indicator_progress", what, "",
         FW_PROGRESS)
      for key, what in (("change", "latest value − baseline"),
                        ("progress", "change ÷ (target − baseline), exact"),
                        ("status", "target met, on the way, no change, moving away, or why "
                         "there is no progress"))),
    _e("framework", "indicators[].progress_shown", F + "present.format_progress", "progress to "
       "the nearest 5%, as \"about N%\"", "", FW_PROGRESS),
    _e("framework", "characteristics", F + "progress.report", "per characteristic: its "
       "indicators, how many have each status, and their data quality", "",
       FW_PROGRESS),
    _e("framework", "quality", F + "progress.quality_summary", "current values by quality "
       "(recorded, checked, triangulated), with evidence and corrected", "",
       FW_DATA),
    _e("framework", "steps", F + "progress.checklist", "the 10 steps, each done or not and why",
       "", FW_STEPS, "001:1705-1717"),
    _e("framework", "step_position", F + "progress.Checklist.position", "the first step not "
       "done yet", "", FW_STEPS, "001:1705-1717"),
    _e("framework", "contribution", F + "present.CONTRIBUTION", "the \"contribution, not "
       "attribution\" wording every report carries", "", "docs/framework.md#in-the-web-app"),
)


def keys(document: Any, prefix: str = "") -> set[str]:
    """Every leaf path of a JSON document; list items share one path ("anchors[].name")."""
    if isinstance(document, dict) and document:
        return {k for name, v in document.items()
                for k in keys(v, f"{prefix}.{name}" if prefix else name)}
    if isinstance(document, list) and document:
        return {k for v in document for k in keys(v, prefix + "[]")}
    return {prefix}


def entry_for(engine: str, key: str) -> Entry | None:
    """The entry covering `key`: its own, or the nearest one above it."""
    for entry in CATALOGUE:
        if entry.engine == engine and (key == entry.key or key.startswith(
                (entry.key + ".", entry.key + "["))):
            return entry
    return None


def uncovered(engine: str, document: Any) -> list[str]:
    """Keys of a result with no catalogue entry."""
    return sorted(k for k in keys(document) if entry_for(engine, k) is None)


def resolve(dotted: str) -> Any:
    """The function or property a catalogue entry names (ImportError/AttributeError if none)."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise ImportError(dotted)


def broken() -> list[str]:
    """Entries naming a function or parameter that does not exist."""
    out = []
    for entry in CATALOGUE:
        try:
            resolve(entry.function)
        except (ImportError, AttributeError):
            out.append(f"{entry.engine} {entry.key}: no function {entry.function}")
        registry = {name for engine in ENGINES for name in parameters(engine)}
        out += [f"{entry.engine} {entry.key}: no parameter {p}" for p in entry.parameters
                if p not in registry]
    return out


def markdown() -> str:
    """docs/figures.md: the catalogue as one table per engine."""
    titles = {"lm3": "LM3 (`keepitlocal lm3 calc --json`)",
              "spend": "Local spend (`keepitlocal spend analyse --json`)",
              "enabled": "Enabled Contribution (`keepitlocal enabled calc --json`)",
              "assetmap": "VCSE asset map (`keepitlocal assetmap build --json`)",
              "framework": "Economic Resilience Framework impact report "
                           "(`keepitlocal framework report --json`)"}
    lines = [
        "# Where every figure comes from",
        "",
        "Generated by `keepitlocal figures` from `src/keepitlocal/figures.py`; do not edit by "
        "hand. Each key of a command's `--json` result (a key covers the keys below it) with "
        "the one function that computes it, the parameters it uses "
        "(`src/keepitlocal/reference/<engine>/parameters.csv`), the page that explains it and "
        "the seed lines behind it (seed:lines, as in the reference digest). The web pages, "
        "PDFs and exports show the same figures, rounded half-up (`keepitlocal.rounding`).",
    ]
    for engine, title in titles.items():
        lines += ["", f"## {title}", "",
                  "| key | what | function | parameters | explained in | seed |",
                  "|---|---|---|---|---|---|"]
        for e in (e for e in CATALOGUE if e.engine == engine):
            params = ", ".join(f"`{p}`" for p in e.parameters)
            lines.append(f"| `{e.key}` | {e.what} | `{e.function}` | {params} | {e.docs} | "
                         f"{e.seed} |")
    return "\n".join(lines) + "\n"
