"""Demo data: six months of Calderdale Council's payments, analysed, for `serve --demo`.

The ledgers are generated (the suppliers are invented), but they look like the real thing: two
files in two header layouts real councils publish (Devon's CSV, Trafford's columns in an XLSX),
amounts with thousands commas and a bracketed credit note, redacted payments to individuals,
payments to HMRC, other councils and the fire authority, internal recharges, and suppliers whose
ledger names differ from the register. Every postcode is a real one (checked by a test).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.files import File

from keepitlocal.parameters import value
from keepitlocal.web import demo

ANALYSIS_NAME = "Calderdale Council spending, April to September 2024"
TARGET = Decimal("0.60")
SEED = 2024
LINES_PER_QUARTER = 1500

DEPARTMENTS = {
    "adults": "Adult Services and Wellbeing",
    "children": "Children and Young People's Services",
    "public": "Public Services",
    "regen": "Regeneration and Strategy",
    "resources": "Corporate Resources",
    "health": "Public Health",
}


@dataclass(frozen=True)
class DemoSupplier:
    name: str  # as in the register
    postcode: str
    departments: tuple[str, ...]
    expense_types: tuple[str, ...]
    scale: int  # typical payment, pounds
    weight: int  # how often paid
    sector: str = "Private"
    sme: str = "Yes"
    company: str = ""
    charity: str = ""
    ledger_name: str = ""  # how the ledger spells it, when different
    in_register: bool = True
    country: str = ""


S = DemoSupplier
SUPPLIERS: list[DemoSupplier] = [
    # Calderdale (tier 1)
    S("Halifax Joinery Limited", "HX1 1DQ", ("public", "children"), ("Building repairs",), 2800,
      6, company="07311245", ledger_name="HALIFAX JOINERY LTD"),
    S("Calder Valley Community Trust", "HX7 8AD", ("adults", "health"),
      ("Grants to voluntary organisations", "Community support"), 6500, 5, sector="Charity",
      charity="1175322"),
    S("Hebden Bridge Youth Project", "HX7 7JL", ("children",), ("Youth services",), 3200, 4,
      sector="Charity", charity="1161487"),
    S("Pennine Carers Network", "HX6 2JW", ("adults",), ("Home care", "Respite care"), 4100, 6,
      sector="Voluntary", charity="1148830"),
    S("Elland Community Food Hub", "HX5 0BN", ("health", "adults"),
      ("Grants to voluntary organisations",), 1800, 3, sector="Community group",
      charity="1190045"),
    S("Sowerby Bridge Community Transport", "HX6 1DD", ("adults", "children"),
      ("Transport",), 2200, 4, sector="Charity", charity="1102981"),
    S("Todmorden Fresh Foods Ltd", "OL14 5HQ", ("children", "adults"), ("Catering",), 1900, 6,
      company="09822310", ledger_name="Todmorden Fresh Food Co"),
    S("Brighouse Plumbing & Heating Ltd", "HD6 3QQ", ("public", "children"),
      ("Building repairs", "Plumbing"), 1600, 6, company="08124577",
      ledger_name="Brighouse Plumbing and Heating"),
    S("Pennine Print Services", "HX1 2LE", ("resources", "regen"), ("Printing and stationery",),
      900, 4, ledger_name="Pennine Printing Services"),
    S("Calder Cleaning CIC", "HX3 6AU", ("public", "resources"), ("Cleaning",), 2100, 5,
      sector="Social enterprise", company="11923476"),
    S("Northgate Care Homes Ltd", "HX2 7QT", ("adults",), ("Residential care",), 14500, 9,
      company="05532190"),
    S("Shibden Home Care Ltd", "HX3 7YW", ("adults",), ("Home care",), 5200, 8,
      company="10233458"),
    S("Halifax Minster Catering Ltd", "HX1 1UJ", ("children",), ("Catering",), 1300, 3,
      company="12044871"),
    S("Ryburn Landscapes Ltd", "HX6 1PF", ("public",), ("Grounds maintenance",), 2600, 4,
      company="06655012"),
    S("Ovenden Motors Ltd", "HX2 8DL", ("public",), ("Vehicle repairs", "Fuel"), 1400, 4,
      company="04419876"),
    S("Luddenden Legal LLP", "HX2 9DJ", ("resources",), ("Legal fees",), 3800, 2,
      company="OC402113"),
    S("Dean Clough Digital Ltd", "HX1 5YA", ("resources", "regen"), ("IT software",
      "Consultancy"), 4200, 3, company="11345098"),
    S("Greetland Builders Ltd", "HX4 0EX", ("public", "regen"),
      ("Building works", "Building repairs"), 18000, 4, company="03398812"),
    S("Rastrick Electrical Services", "HD6 3BA", ("public", "children"), ("Electrical works",),
      1700, 4, company="09112877"),
    S("Stainland Supported Living CIC", "HX4 0EX", ("adults",), ("Supported living",), 7400, 5,
      sector="Social enterprise", company="10998761"),
    S("Mytholmroyd Taxis", "HX7 7JL", ("children",), ("Home to school transport",), 1100, 6,
      sme="Yes"),
    S("Square Chapel Arts Centre", "HX1 1UJ", ("regen",), ("Grants to voluntary organisations",),
      5000, 2, sector="Charity", charity="1087432"),
    S("Bailiff Bridge Tyres", "HD6 4AP", ("public",), ("Vehicle repairs",), 800, 2, sme=""),
    # West Yorkshire (tier 2)
    S("Leeds Office Supplies Ltd", "LS12 3AX", ("resources", "children"),
      ("Printing and stationery",), 1100, 5, company="02998761"),
    S("Bradford Facilities Management Ltd", "BD1 2PS", ("public", "resources"),
      ("Cleaning", "Building repairs"), 6200, 5, company="05123998", sme="No"),
    S("Kirkstall Care Group Ltd", "LS9 6EA", ("adults",), ("Residential care",), 16000, 7,
      company="06677123", sme="No"),
    S("Aire Valley Fostering Ltd", "BD9 6RP", ("children",), ("Fostering services",), 9800, 5,
      company="08811342"),
    S("Huddersfield Highways Contractors Ltd", "HD1 3XN", ("public",),
      ("Highways maintenance",), 21000, 6, company="04566201", sme="No"),
    S("Wakefield Waste Services Ltd", "WF1 1ZR", ("public",), ("Waste collection",), 24000, 5,
      company="03321987", sme="No"),
    S("West Yorkshire Mediation Service", "BD6 1AJ", ("children", "adults"),
      ("Consultancy",), 2300, 2, sector="Charity", charity="1123098"),
    S("Dewsbury Minibus Hire", "WF13 4LP", ("children",), ("Transport",), 1500, 3),
    S("Leeds Legal Associates LLP", "LS11 8QL", ("resources",), ("Legal fees",), 5200, 3,
      company="OC355412"),
    S("Bradford Youth Arts", "BD2 2LR", ("children",), ("Youth services",), 2600, 2,
      sector="Charity", charity="1140076"),
    # Yorkshire and the Humber (tier 3)
    S("Sheffield Steel Fabrications Ltd", "S11 9YH", ("public",), ("Building works",), 12500, 2,
      company="01998234", sme="No"),
    S("York Training Partnership Ltd", "YO32 5RP", ("resources", "children"), ("Training",),
      2900, 4, company="07781234"),
    S("Humber Energy Services Ltd", "HU1 2RD", ("resources", "public"), ("Energy",), 23000, 4,
      company="05543219", sme="No"),
    S("Hull Specialist Care Ltd", "HU3 5NA", ("adults",), ("Residential care",), 13800, 3,
      company="08876543"),
    # Elsewhere in the UK (tier 4)
    S("National Care Homes plc", "M20 6DR", ("adults",), ("Residential care",), 19500, 7,
      company="02456781", sme="No"),
    S("Capita Business Services Ltd", "EC2R 6AP", ("resources",),
      ("IT software", "Consultancy"), 26000, 3, company="02299747", sme="No"),
    S("UK Agency Staffing plc", "W2 4NL", ("adults", "children", "public"), ("Agency staff",),
      8800, 8, company="03987123", sme="No"),
    S("Midlands Highways Group Ltd", "B29 5JL", ("public",), ("Highways maintenance",), 28000, 3,
      company="04776512", sme="No"),
    S("Northern Software Solutions Ltd", "NE6 1WQ", ("resources",), ("IT software",), 7600, 3,
      company="06121987"),
    S("Manchester Fostering Agency Ltd", "M14 5DX", ("children",), ("Fostering services",),
      11200, 4, company="07722981", sme="No"),
    S("Bristol Consulting Group LLP", "BS3 1FQ", ("regen", "resources"), ("Consultancy",),
      14000, 2, company="OC398172", sme="No"),
    S("Office Depot International (UK) Ltd", "B23 6EQ", ("resources",),
      ("Printing and stationery",), 1400, 3, company="02472621", sme="No"),
    S("British Gas Trading Ltd", "EC3V 0HA", ("resources", "public"), ("Energy",), 17000, 4,
      company="03078711", sme="No"),
    S("Lancashire Coach Hire Ltd", "M16 7AX", ("children",), ("Home to school transport",), 2400,
      4, company="05129834"),
    # Outside the UK
    S("Channel Islands Data Services Ltd", "JE2 3AB", ("resources",), ("IT software",), 3400, 2,
      sme=""),
    # In the ledger, not in the register: unknown
    S("J Smith Tree Surgery", "", ("public",), ("Grounds maintenance",), 900, 2,
      in_register=False),
    S("Moorside Garage", "", ("public",), ("Vehicle repairs",), 700, 2, in_register=False),
    # Public bodies, tax and pensions (excluded by the rules)
    S("Kirklees Council", "HD1 2TA", ("adults", "children"), ("Shared service charges",), 15000,
      3, sector="Public sector", sme=""),
    S("West Yorkshire Fire and Rescue Authority", "WF2 0NZ", ("resources",),
      ("Precepts and levies",), 60000, 1, sector="Public sector", sme=""),
    S("HM Revenue & Customs", "", ("resources",), ("Tax and National Insurance",), 90000, 1,
      sme="", in_register=False),
    S("West Yorkshire Pension Fund", "BD1 1PL", ("resources",), ("Pension contributions",),
      120000, 1, sector="Public sector", sme=""),
    S("NHS West Yorkshire Integrated Care Board", "WF1 1LT", ("health", "adults"),
      ("Joint funded care",), 35000, 2, sector="Public sector", sme=""),
]
REDACTED_NAMES = ("REDACTED", "Personal redaction", "Redacted personal data")
REGISTER_HEADER = ["Supplier Name", "Supplier Number", "Address Line 1", "Postcode",
                   "Country", "Company Registration Number", "Charity Number",
                   "Organisation Type", "SME"]
DEVON_HEADER = ["Body", "Name of Body", "Date", "Transaction Number", "Invoice Number", "Amount",
                "Supplier Name", "Supplier ID", "Vat Reg No", "Expense Area", "Expense Type",
                "Expense Code", "Creditor Type"]
TRAFFORD_HEADER = ["BeneficiaryName", "BeneficiaryOtherID", "VATRegistrationNumber", "Amount",
                   "PaymentDate", "OrganisationalUnit", "ProclassLabel", "Purpose",
                   "TransactionNumber"]


def _supplier_ids() -> dict[str, str]:
    return {s.name: f"V{10021 + 7 * i:05d}" for i, s in enumerate(SUPPLIERS)}


def write_register(path: Path) -> Path:
    ids = _supplier_ids()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REGISTER_HEADER)
        for supplier in SUPPLIERS:
            if not supplier.in_register:
                continue
            country = supplier.country or ("Jersey" if supplier.postcode.startswith("JE")
                                           else "United Kingdom")
            writer.writerow([supplier.name, ids[supplier.name], "", supplier.postcode, country,
                             supplier.company, supplier.charity, supplier.sector, supplier.sme])
    return path


def _amount(rng: random.Random, scale: int) -> Decimal:
    value = Decimal(str(max(500.0, rng.lognormvariate(0, 0.6) * scale)))
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _weekday(rng: random.Random, start: dt.date, days: int) -> dt.date:
    while True:
        day = start + dt.timedelta(days=rng.randrange(days))
        if day.weekday() < 5:
            return day


def ledger_lines(rng: random.Random, start: dt.date, days: int, count: int,
                 first_transaction: int) -> list[dict[str, object]]:
    """Payments over the period: suppliers by weight, amounts around each one's scale."""
    ids = _supplier_ids()
    weights = [s.weight for s in SUPPLIERS]
    lines: list[dict[str, object]] = []
    for n in range(count):
        roll = rng.random()
        transaction = f"{first_transaction + n}"
        date = _weekday(rng, start, days)
        if roll < 0.03:  # payments to individuals: names withheld
            lines.append({"supplier": rng.choice(REDACTED_NAMES), "id": "", "date": date,
                          "amount": _amount(rng, 1200), "department": DEPARTMENTS["adults"],
                          "expense": rng.choice(("Direct payments", "Residential care")),
                          "transaction": transaction})
            continue
        if roll < 0.05:  # the council recharging itself
            lines.append({"supplier": "Calderdale Council Facilities Trading", "id": "",
                          "date": date,
                          "amount": _amount(rng, 4000),
                          "department": DEPARTMENTS[rng.choice(list(DEPARTMENTS))],
                          "expense": "Internal recharge", "transaction": transaction})
            continue
        supplier = rng.choices(SUPPLIERS, weights)[0]
        lines.append({
            "supplier": supplier.ledger_name or supplier.name,
            # Ledgers often carry the council's supplier number; not for every supplier.
            "id": ids[supplier.name] if supplier.in_register and not supplier.ledger_name
            else "", "date": date,
            "amount": _amount(rng, supplier.scale),
            "department": DEPARTMENTS[rng.choice(supplier.departments)],
            "expense": rng.choice(supplier.expense_types), "transaction": transaction,
        })
    return lines


def write_devon_csv(path: Path, lines: list[dict[str, object]]) -> Path:
    """Devon's layout: amounts as text with thousands commas, credit notes in brackets."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Calderdale Council: expenditure over £500, April to June 2024"])
        writer.writerow(DEVON_HEADER)
        for line in lines:
            amount = Decimal(str(line["amount"]))
            text = f"({abs(amount):,.2f})" if amount < 0 else f"{amount:,.2f}"
            date = line["date"]
            assert isinstance(date, dt.date)
            writer.writerow(["E08000033", "Calderdale Council", date.strftime("%d/%m/%Y"),
                             line["transaction"], f"INV{line['transaction']}", text,
                             line["supplier"], line["id"], "", line["department"],
                             line["expense"], "", "Vendor"])
    return path


def write_trafford_xlsx(path: Path, lines: list[dict[str, object]]) -> Path:
    """Trafford's columns in a workbook: real dates and numbers in the cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Spend over 500"
    sheet.append(TRAFFORD_HEADER)
    for line in lines:
        sheet.append([line["supplier"], line["id"], "", float(Decimal(str(line["amount"]))),
                      line["date"], line["department"], line["expense"], "Goods and services",
                      line["transaction"]])
    book.save(path)
    return path


def write_demo_files(folder: Path) -> tuple[Path, Path, Path]:
    """Two quarters of ledgers (in different layouts) and the supplier register."""
    rng = random.Random(SEED)
    q1 = ledger_lines(rng, dt.date(2024, 4, 1), 91, LINES_PER_QUARTER, 410001)
    q2 = ledger_lines(rng, dt.date(2024, 7, 1), 92, LINES_PER_QUARTER, 420001)
    # A credit note: a refund from a care home for a double payment.
    q1.append({"supplier": "Northgate Care Homes Ltd", "id": _supplier_ids()[
        "Northgate Care Homes Ltd"], "date": dt.date(2024, 5, 14),
        "amount": Decimal("-1250.00"), "department": DEPARTMENTS["adults"],
        "expense": "Residential care", "transaction": "419999"})
    q2.append({"supplier": "Northgate Care Homes Ltd", "id": _supplier_ids()[
        "Northgate Care Homes Ltd"], "date": dt.date(2024, 8, 20),
        "amount": Decimal("-640.50"), "department": DEPARTMENTS["adults"],
        "expense": "Residential care", "transaction": "429999"})
    return (write_devon_csv(folder / "calderdale-spend-2024-q1.csv", q1),
            write_trafford_xlsx(folder / "calderdale-spend-2024-q2.xlsx", q2),
            write_register(folder / "calderdale-suppliers.csv"))


@demo.loader
def spend_demo(data: demo.DemoData) -> None:
    from keepitlocal.web.spend import bridge, selectors, services
    from keepitlocal.web.spend.models import SpendAnalysis

    org = data.council
    if SpendAnalysis.objects.for_org(org).filter(name=ANALYSIS_NAME).exists():
        return
    analysis = services.analysis_create(
        org=org, user=data.user, name=ANALYSIS_NAME, council_code=org.lad_code or "E08000033",
        target_share=TARGET, shift_share=value("spend", "shift_share"))
    with tempfile.TemporaryDirectory(prefix="keepitlocal-spend-demo-") as tmp:
        q1, q2, register = write_demo_files(Path(tmp))
        for path in (q1, q2):
            with path.open("rb") as handle:
                ledger = services.ledger_add(analysis, upload=File(handle, name=path.name),
                                             user=data.user)
            services.mapping_save(ledger, selectors.mapping_for(ledger), data.user)
        with register.open("rb") as handle:
            services.register_set(analysis, upload=File(handle, name=register.name),
                                  user=data.user)
    run = services.run_create(analysis, data.user)
    bridge.run_execute(run.pk)
