"""LM3 project files: a project read from a .json file or an LM3 workbook, and imported.

A large file is staged and read by the background worker (`PROJECT_IMPORT`); a small one in the
request. Both give the same project, the same message and the same problems.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from keepitlocal import lm3
from keepitlocal.errors import InputError
from keepitlocal.lm3 import model as engine
from keepitlocal.web.core import parsing
from keepitlocal.web.core.models import ParseJob
from keepitlocal.web.core.uploads import staged
from keepitlocal.web.lm3 import models
from keepitlocal.web.lm3.services import BATCH, _postcode

_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2})\s*(?:to|–|—|-{1,2}|/)\s*(\d{4}-\d{2}-\d{2})")


def _period(text: str | None) -> tuple[date | None, date | None]:
    match = _PERIOD.search(str(text or ""))
    if not match:
        return None, None
    try:
        return date.fromisoformat(match[1]), date.fromisoformat(match[2])
    except ValueError:
        return None, None


def lm3_project_read(name: str, stream: IO[bytes]) -> engine.Project:
    """Read an uploaded project file (.json or .xlsx) with the engine; InputError if it is bad."""
    with staged(stream, default=f"project{Path(name).suffix.lower()}") as path:
        project = _project_read(path)
    project.source = name
    return project


def _project_read(path: Path) -> engine.Project:
    """The engine's reading of a project file (in a background job, in a process capped in
    memory and time: `parsing.read_bounded`)."""
    if path.suffix.lower() not in (".json", ".xlsx"):
        raise InputError.one("is not a project file", file=path.name,
                             hint="upload a .json project file or an .xlsx LM3 workbook")
    project: engine.Project = parsing.read_bounded(lm3.read_project, path, file=path.name)
    project.source = path.name
    return project


def lm3_project_import_later(*, org: Any, user: Any, upload: Any) -> ParseJob:
    """A large project file: staged, then read and imported by the background worker
    (PROJECT_IMPORT), with the same checks as `lm3_project_read`."""
    return parsing.start("keepitlocal.web.lm3.project_files:PROJECT_IMPORT", upload=upload, org=org,
                         user=user, params={}, back=reverse("lm3:import"))


def project_imported(project: models.Lm3Project) -> parsing.Landing:
    """Where an imported project file lands (the project's overview), and what it says there."""
    return parsing.Landing(reverse("lm3:overview", args=[project.pk]), [
        ("success", f"Imported {project} with {project.suppliers.count():,} suppliers.")])


def _project_job_store(job: ParseJob, path: Path, read: engine.Project) -> parsing.Landing:
    return project_imported(lm3_project_import(org=job.organisation, user=job.created_by,
                                               project=read))


PROJECT_IMPORT = parsing.Kind(read=_project_read, store=_project_job_store)


def lm3_project_import(
    *, org: Any, user: Any, project: engine.Project, name: str | None = None
) -> models.Lm3Project:
    """A new project from an engine Project (a file, or the demo), responses marked "file"."""
    start, end = _period(project.period)
    area = project.area or {}
    with transaction.atomic():
        record = models.Lm3Project.objects.create(
            organisation=org, created_by=user, name=(name or project.name)[:200],
            period_start=start, period_end=end,
            area_kind=models.AreaKind.RADIUS if "radius_km" in area else models.AreaKind.LAD,
            area_lads=list(area.get("lad") or []),
            area_radius_km=Decimal(str(area["radius_km"])) if "radius_km" in area else None,
            area_centre=_postcode(str(area.get("centre") or "")),
            payroll_mode=(models.PayrollMode.TOTALS if project.staff_totals
                          else models.PayrollMode.PEOPLE),
            local_pay=project.staff_totals.local_pay if project.staff_totals else None,
            nonlocal_pay=project.staff_totals.nonlocal_pay if project.staff_totals else None,
            proxies={k: str(v) for k, v in project.proxies.items()},
        )
        models.StaffMember.objects.bulk_create(
            models.StaffMember(project=record, label=m.label[:200], pay=m.pay,
                        postcode=_postcode(m.postcode or ""), local=m.local)
            for m in project.staff
        )
        models.OtherCost.objects.bulk_create(
            models.OtherCost(project=record, label=c.label[:200], spend=c.spend, local=c.local)
            for c in project.other_costs
        )
        rows = [
            models.Supplier(
                project=record, name=s.name[:300], contact=(s.contact or "")[:200],
                email=(s.email or "").lower()[:254], postcode=_postcode(s.postcode or ""),
                local=s.local, spend=s.spend, row=s.row if isinstance(s.row, int) else n,
            )
            for n, s in enumerate(project.suppliers, start=1)
        ]
        created = models.Supplier.objects.bulk_create(rows, batch_size=BATCH)
        if created and created[0].pk is None:  # backends that do not return keys
            created = list(record.suppliers.order_by("pk"))
        now = timezone.now()
        models.SupplierResponse.objects.bulk_create(
            (
                models.SupplierResponse(
                    supplier=row, local_staff_share=s.response.local_staff_share,
                    local_supplier_share=s.response.local_supplier_share,
                    source=models.ResponseSource.FILE, received_at=now, updated_at=now,
                )
                for row, s in zip(created, project.suppliers, strict=True)
                if s.response is not None
            ),
            batch_size=BATCH,
        )
    return record
