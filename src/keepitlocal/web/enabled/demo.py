"""Demo data: two years of the demo anchor's tenants, shared with the demo council.

Built from the engine's own demo (`read_demo()`): its Calderdale anchor's tenants are the demo
organisation's tenants in the later year; the earlier year has two tenants fewer and a smaller
café, so the year comparison has something to show.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from keepitlocal.enabled import read_demo
from keepitlocal.web import demo
from keepitlocal.web.enabled.models import EnabledProject, ProjectOverride, Source, Tenant

YEARS = (2024, 2025)
NEW_IN_LATER_YEAR = ("Northgate Digital Skills", "Yoga Space Halifax")


@demo.loader
def enabled_demo(data: demo.DemoData) -> None:
    if EnabledProject.objects.for_org(data.anchor).exists():
        return
    engine = read_demo()
    source = next(a for a in engine.anchors if a.local_authority == "Calderdale")
    for year in YEARS:
        project = EnabledProject.objects.create(
            organisation=data.anchor,
            year=year,
            local_authority=source.local_authority or "",
            notes="Demo data, built from keepitlocal's fictional example network.",
        )
        for tenant in source.tenants:
            if year == YEARS[0]:
                if tenant.name in NEW_IN_LATER_YEAR:
                    continue
                if tenant.fte is not None and tenant.name == "Hub Café CIC":
                    tenant = replace(tenant, fte=Decimal("5"), turnover=Decimal("180000"))
            Tenant.objects.create(
                organisation=data.anchor,
                project=project,
                **Tenant.fields_of(tenant),
                source=Source.ENTERED,
            )
        for item in engine.overrides:
            ProjectOverride.objects.create(
                organisation=data.anchor, project=project, table=item.table, code=item.code,
                value=item.value, note=item.note,
            )
        project.shares.create(organisation=data.anchor, council=data.council, shared_by=data.user)
