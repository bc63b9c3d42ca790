"""Reads for LM3 online: projects of an organisation, survey progress, the area in words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from keepitlocal import rounding
from keepitlocal.errors import KeepItLocalError
from keepitlocal.lm3.confidence import confidence, responded_share
from keepitlocal.lm3.placement import locate
from keepitlocal.lm3.rounds import costs_total, pay_total, proxy
from keepitlocal.web.lm3 import bridge
from keepitlocal.web.lm3.models import (
    Lm3Project,
    PayrollMode,
    Supplier,
    SupplierResponse,
)

ZERO = Decimal(0)


def lm3_project_list(org: Any) -> QuerySet[Lm3Project]:
    return Lm3Project.objects.for_org(org).annotate(
        supplier_count=Count("suppliers", distinct=True),
        response_count=Count("suppliers__response", distinct=True),
    )


def lm3_project_get(org: Any, pk: int) -> Lm3Project:
    """The organisation's project, or 404: another organisation's project is not found."""
    return Lm3Project.objects.for_org(org).select_related("organisation").get_or_404(pk=pk)


def threshold(project: Lm3Project, name: str) -> Decimal:
    """The project's own setting of a parameter, else the default: the engine's lookup."""
    return proxy(name, bridge.proxies(project)).value


@dataclass(frozen=True)
class Progress:
    suppliers: int
    with_email: int
    invited: int
    responded: int
    by_source: dict[str, int]
    spend: Decimal
    responded_spend: Decimal
    green: Decimal
    amber: Decimal

    @property
    def share(self) -> Decimal:
        """The engine's responded share of supplier spend."""
        return responded_share(self.responded_spend, self.spend)

    @property
    def confidence(self) -> str:
        return confidence(self.responded_spend, self.spend, self.green, self.amber)

    @property
    def waiting(self) -> int:
        return self.suppliers - self.responded

    def as_json(self) -> dict[str, Any]:
        return {
            "suppliers": self.suppliers,
            "invited": self.invited,
            "responded": self.responded,
            "waiting": self.waiting,
            "by_source": self.by_source,
            "share": str(rounding.rounded(self.share, 4)),
            "share_percent": percent(self.share),
            "confidence": self.confidence,
            "green_percent": percent(self.green, 0),
        }


percent = rounding.percent


def supplier_progress(project: Lm3Project) -> Progress:
    """Who has answered so far, by count and by value: the figures behind the progress page."""
    totals = project.suppliers.aggregate(
        suppliers=Count("pk"),
        with_email=Count("pk", filter=~Q(email="")),
        invited=Count("pk", filter=Q(invited_at__isnull=False)),
        responded=Count("response"),
        spend_total=Sum("spend"),
        responded_spend_total=Sum("spend", filter=Q(response__isnull=False)),
    )
    by_source = dict(
        SupplierResponse.objects.filter(supplier__project=project)
        .values_list("source").annotate(n=Count("pk")).order_by()
    )
    return Progress(
        suppliers=totals["suppliers"], with_email=totals["with_email"],
        invited=totals["invited"], responded=totals["responded"], by_source=by_source,
        spend=totals["spend_total"] or ZERO,
        responded_spend=totals["responded_spend_total"] or ZERO,
        green=threshold(project, "confidence_green"), amber=threshold(project, "confidence_amber"),
    )


def nonrespondents(project: Lm3Project) -> QuerySet[Supplier]:
    """Suppliers still to answer, largest spend first: where a reminder matters most."""
    return project.suppliers.filter(response__isnull=True).order_by("-spend", "pk")


def suppliers_filtered(project: Lm3Project, *, show: str = "", q: str = "") -> QuerySet[Supplier]:
    queryset = project.suppliers.select_related("response").order_by("name", "pk")
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(postcode__icontains=q)
                                   | Q(contact__icontains=q) | Q(email__icontains=q))
    if show == "answered":
        queryset = queryset.filter(response__isnull=False)
    elif show == "waiting":
        queryset = queryset.filter(response__isnull=True)
    elif show == "no-email":
        queryset = queryset.filter(email="")
    return queryset


@dataclass(frozen=True)
class SupplierPlace:
    """Whether a supplier is in the area (None: not placed) and how that was decided, in words."""

    inside: bool | None
    how: str


SUPPLIER_SORTS = {"name": "Name", "spend": "Value spent, largest first", "area": "In the area"}


def supplier_places(project: Lm3Project, suppliers: list[Supplier]) -> list[SupplierPlace]:
    """Each supplier's place by the engine's one rule (`locate`): a yes/no answer first, else
    its postcode; unplaced when neither works or the area is not chosen."""
    from keepitlocal.geo import Area, default_store
    from keepitlocal.lm3.labels import placement_label

    try:
        area = Area.from_spec(project.area_spec, store=default_store()) if project.area_spec \
            else None
    except KeepItLocalError:
        area = None
    if area is None:
        return [SupplierPlace(None, "Not placed yet: choose the local area") for _ in suppliers]
    spots = locate([(s.local, s.postcode or None) for s in suppliers], area, default_store())
    return [
        SupplierPlace(None, placement_label("none") if not s.postcode and s.local is None
                      else f"Not placed: {s.postcode} was not found")
        if spot is None else SupplierPlace(spot[0], placement_label(spot[1]))
        for s, spot in zip(suppliers, spots, strict=True)
    ]


def suppliers_listed(
    project: Lm3Project, *, show: str = "", q: str = "", where: str = "", sort: str = "name"
) -> list[tuple[Supplier, SupplierPlace]]:
    """The supplier list as filtered (`show`, `q`, `where` = inside/outside/unplaced) and sorted
    (`sort`, one of SUPPLIER_SORTS), each with its place in the area."""
    rows = list(suppliers_filtered(project, show=show, q=q))
    listed = list(zip(rows, supplier_places(project, rows), strict=True))
    wanted = {"inside": True, "outside": False, "unplaced": None}
    if where in wanted:
        listed = [(s, place) for s, place in listed if place.inside is wanted[where]]
    if sort == "spend":
        listed.sort(key=lambda item: (-item[0].spend, item[0].name))
    elif sort == "area":
        order = {True: 0, False: 1, None: 2}
        listed.sort(key=lambda item: (order[item[1].inside], item[0].name))
    return listed


def budget_totals(project: Lm3Project) -> tuple[Decimal, Decimal]:
    """The staff listed and the other costs on the budget page, each summed by the engine."""
    return pay_total(None, bridge.staff(project)), costs_total(bridge.other_costs(project))


def invitations_pending(project: Lm3Project) -> int:
    """Suppliers with an e-mail address who have neither been invited nor answered."""
    return project.suppliers.exclude(email="").filter(
        response__isnull=True, invited_at__isnull=True).count()


def suppliers_without_email(project: Lm3Project) -> int:
    return project.suppliers.filter(email="").count()


def invitation_sample(project: Lm3Project) -> Supplier | None:
    """The supplier the invitation preview is addressed to: the largest with an e-mail."""
    return project.suppliers.exclude(email="").order_by("-spend").first()


def recent_answers(project: Lm3Project, limit: int = 10) -> QuerySet[Supplier]:
    return (project.suppliers.filter(response__isnull=False)
            .select_related("response").order_by("-response__updated_at")[:limit])


def answered_among(project: Lm3Project, ids: list[int]) -> list[int]:
    """Which of the suppliers listed on a page have answered since it was drawn."""
    return list(project.suppliers.filter(pk__in=ids, response__isnull=False)
                .values_list("pk", flat=True))


# --- the area ----------------------------------------------------------------------------


def area_description(project: Lm3Project) -> str:
    """The engine's own description: "Calderdale (E08000033)" or "within 12 km of HX1 2JJ"."""
    from keepitlocal.geo import Area

    spec = project.area_spec
    if not spec:
        return ""
    try:
        return Area.from_spec(spec).describe()
    except KeepItLocalError:
        return ""


def area_words(project: Lm3Project) -> str:
    """The area in plain words for a supplier who has never heard of a LAD code."""
    from keepitlocal.geo import lad_name

    spec = project.area_spec
    if "lad" in spec:
        names = [lad_name(code) or code for code in spec["lad"]]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        noun = "council area" if len(names) == 1 else "council areas"
        return f"the {noun} of {joined}"
    if "radius_km" in spec:
        km = Decimal(str(spec["radius_km"]))
        miles = (km / Decimal("1.609344")).quantize(Decimal(1))
        return (f"anywhere within {km.normalize():f} km (about {miles} miles) of the postcode "
                f"{spec['centre']}")
    return "the local area"


@dataclass(frozen=True)
class AreaCounts:
    staff: int
    staff_inside: int
    suppliers: int
    suppliers_inside: int
    not_placed: int
    problem: str = ""


def area_counts(project: Lm3Project) -> AreaCounts | None:
    """How many staff and suppliers are inside the area (flags first, then postcodes)."""
    from keepitlocal.geo import Area, default_store

    spec = project.area_spec
    if not spec:
        return None
    store = default_store()
    try:
        area = Area.from_spec(spec, store=store)
    except KeepItLocalError as error:
        return AreaCounts(0, 0, 0, 0, 0, problem=str(error))
    people = (
        list(project.staff.values_list("postcode", "local"))
        if project.payroll_mode == PayrollMode.PEOPLE else []
    )
    suppliers = list(project.suppliers.values_list("postcode", "local"))
    staff_spots = locate([(local, postcode) for postcode, local in people], area, store)
    supplier_spots = locate([(local, postcode) for postcode, local in suppliers], area, store)
    return AreaCounts(
        len(people), sum(1 for s in staff_spots if s and s[0]),
        len(suppliers), sum(1 for s in supplier_spots if s and s[0]),
        sum(1 for s in [*staff_spots, *supplier_spots] if s is None),
    )


# --- the five steps ----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    url_name: str
    done: bool
    summary: str


def steps(project: Lm3Project, progress: Progress) -> list[Step]:
    from keepitlocal.money import pounds

    budget = costs_total(bridge.other_costs(project))
    totals = bridge.staff_totals(project)
    pay = pay_total(totals, bridge.staff(project) if totals is None else [])
    area = area_description(project)
    return [
        Step(1, "Name the project", "lm3:edit", bool(project.name),
             f"{project.get_scope_display()}" + (f", {project.period_text}"
                                                 if project.period_text else "")),
        Step(2, "Choose the local area", "lm3:area", bool(area),
             area or "Not chosen yet"),
        Step(3, "Enter the budget", "lm3:budget", bool(pay or budget),
             f"Payroll {pounds(pay)}; other direct costs {pounds(budget)}"),
        Step(4, "Upload suppliers", "lm3:suppliers", progress.suppliers > 0,
             f"{progress.suppliers:,} suppliers, {pounds(progress.spend)}"),
        Step(5, "Notify suppliers", "lm3:notify", project.invitations_sent_at is not None,
             f"{progress.invited:,} invited, {progress.responded:,} answered"),
    ]
