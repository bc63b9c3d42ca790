"""Demo data: a finished LM3 of the demo anchor's turnover, and a contract still being surveyed.

Both are built from the shipped demo project (keepitlocal.lm3.DEMO_PROJECT). The finished one gets
extra answers so that it is green; the other has invitations sent and a few answers in.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from keepitlocal import lm3
from keepitlocal.web import demo
from keepitlocal.web.lm3.models import (
    SURVEY_PURPOSE,
    Lm3Project,
    ResponseSource,
    Status,
    SupplierResponse,
)

FINISHED = "Calder Valley Community Trust: turnover 2025/26"
SURVEYING = "Jubilee Children's Centre contract 2026/27"
TARGET_SHARE = Decimal("0.60")


def _shares(rng: random.Random, local: bool) -> tuple[Decimal, Decimal]:
    staff = Decimal(rng.randint(15 if local else 0, 55 if local else 25)) / 100
    supply = Decimal(rng.randint(5 if local else 0, 30 if local else 15)) / 100
    return staff, supply


@demo.loader
def lm3_demo(data: demo.DemoData) -> None:
    from keepitlocal.geo import Area, default_store
    from keepitlocal.web.lm3 import project_files, services
    from keepitlocal.web.surveys.services import links_issue_many

    org = data.anchor
    existing = set(Lm3Project.objects.for_org(org).values_list("name", flat=True))
    source = lm3.read_project(lm3.DEMO_PROJECT)
    rng = random.Random(2026)
    now = timezone.now()

    if FINISHED not in existing:
        project = project_files.lm3_project_import(org=org, user=data.user, project=source,
                                              name=FINISHED)
        SupplierResponse.objects.filter(supplier__project=project).update(
            source=ResponseSource.SURVEY)
        area = Area.from_spec(project.area_spec)
        store = default_store()
        total = sum((s.spend for s in project.suppliers.all()), Decimal(0))
        answered = sum(
            (s.spend for s in project.suppliers.filter(response__isnull=False)), Decimal(0)
        )
        waiting = list(project.suppliers.filter(response__isnull=True).order_by("-spend"))
        locations = store.lookup_many([s.postcode for s in waiting])
        for supplier, location in zip(waiting, locations, strict=True):
            if answered >= total * TARGET_SHARE:
                break
            staff, supply = _shares(rng, area.contains(location))
            services.response_record(supplier, local_staff_share=staff,
                                     local_supplier_share=supply,
                                     source=rng.choice([ResponseSource.SURVEY] * 5
                                                       + [ResponseSource.PHONE]))
            answered += supplier.spend
        project.suppliers.exclude(email="").update(invited_at=now)
        project.status = Status.SURVEYING
        project.invitations_sent_at = now
        project.message_to_suppliers = "Thank you for working with us this year."
        project.save()
        links_issue_many(list(project.suppliers.exclude(email="")), SURVEY_PURPOSE, org,
                         group=project.survey_group)
        services.lm3_project_close(project)

    if SURVEYING not in existing:
        source.suppliers = source.suppliers[:30]
        for listed in source.suppliers:
            listed.response = None
            listed.spend = (listed.spend * Decimal("0.35")).quantize(Decimal("0.01"))
        source.staff = source.staff[:8]
        source.other_costs = source.other_costs[:2]
        source.period = "2026-04-01 to 2027-03-31"
        project = project_files.lm3_project_import(org=org, user=data.user, project=source,
                                              name=SURVEYING)
        project.scope = "contract"
        project.status = Status.SURVEYING
        project.invitations_sent_at = now
        project.save()
        suppliers = list(project.suppliers.exclude(email="").order_by("pk"))
        project.suppliers.exclude(email="").update(invited_at=now)
        links_issue_many(suppliers, SURVEY_PURPOSE, org, group=project.survey_group)
        for supplier in suppliers[:5]:
            staff, supply = _shares(rng, True)
            services.response_record(supplier, local_staff_share=staff,
                                     local_supplier_share=supply, source=ResponseSource.SURVEY)
