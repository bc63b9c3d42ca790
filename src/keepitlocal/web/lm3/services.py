"""Writes for LM3 online; the bridge to the engine's input is `bridge.lm3_project_build`.

Views stay thin: they check the form, call one of these, and say what happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from keepitlocal import lm3
from keepitlocal.errors import KeepItLocalError
from keepitlocal.lm3 import model as engine
from keepitlocal.safeio import bounded
from keepitlocal.web.core import parsing
from keepitlocal.web.core.models import ParseJob
from keepitlocal.web.core.prepared import Touch, upsert
from keepitlocal.web.core.uploads import WEB_LIMITS, UploadError
from keepitlocal.web.lm3 import uploads
from keepitlocal.web.lm3.bridge import lm3_project_build
from keepitlocal.web.lm3.models import (
    POSTCODE_LENGTH,
    AreaKind,
    Lm3Project,
    OtherCost,
    PayrollMode,
    ResponseSource,
    StaffMember,
    Status,
    Supplier,
    SupplierResponse,
    SupplierUpload,
    UploadRow,
    UploadStatus,
)
from keepitlocal.web.surveys.services import link_touch, links_close

BATCH = 2000  # rows per INSERT batch: 100,000 suppliers in 50 statements
PROBLEM_ROWS_KEPT = 500  # rows with problems kept for fixing in the page; the rest are counted
EMAIL_BATCH = 500  # suppliers per background e-mail task: 140,000 invitations make 280 tasks
SHARE_PLACES = Decimal("0.0001")


class ProjectClosed(Exception):
    """A closed project's figures are final: its data no longer changes."""


def _open(project: Lm3Project) -> None:
    if project.is_closed:
        raise ProjectClosed(f"{project} is closed, so its data can no longer change.")


# --- the project -------------------------------------------------------------------------


def lm3_project_create(
    *, org: Any, user: Any, name: str, scope: str, period_start: date | None,
    period_end: date | None,
) -> Lm3Project:
    """A new project in draft; the area and budget come next."""
    return Lm3Project.objects.create(
        organisation=org, created_by=user, name=name, scope=scope, period_start=period_start,
        period_end=period_end, area_kind=AreaKind.LAD,
        area_lads=[org.lad_code] if getattr(org, "lad_code", "") else [],
    )


def lm3_project_update(project: Lm3Project, **fields: Any) -> Lm3Project:
    _open(project)
    for key, value in fields.items():
        setattr(project, key, value)
    project.save(update_fields=list(fields))
    return project


def lm3_project_delete(project: Lm3Project) -> None:
    links_close(group=project.survey_group)
    from keepitlocal.web.surveys.models import SurveyLink

    SurveyLink.objects.filter(group=project.survey_group).delete()
    project.delete()


def area_lad_add(project: Lm3Project, code: str) -> None:
    _open(project)
    lads = list(project.area_lads) if project.area_kind == AreaKind.LAD else []
    if code not in lads:
        lads.append(code)
    lm3_project_update(project, area_kind=AreaKind.LAD, area_lads=lads)


def area_lad_remove(project: Lm3Project, code: str) -> None:
    lm3_project_update(project, area_lads=[c for c in project.area_lads if c != code])


def area_radius_set(project: Lm3Project, *, km: Decimal, centre: str) -> None:
    lm3_project_update(
        project, area_kind=AreaKind.RADIUS, area_radius_km=km, area_centre=centre
    )


def area_kind_set(project: Lm3Project, kind: str) -> None:
    lm3_project_update(project, area_kind=kind)


def payroll_set(
    project: Lm3Project, *, mode: str, local_pay: Decimal | None = None,
    nonlocal_pay: Decimal | None = None,
) -> None:
    fields: dict[str, Any] = {"payroll_mode": mode}
    if mode == PayrollMode.TOTALS:
        fields |= {"local_pay": local_pay, "nonlocal_pay": nonlocal_pay}
    lm3_project_update(project, **fields)


def staff_add(
    project: Lm3Project, *, label: str, pay: Decimal, postcode: str = "",
    local: bool | None = None,
) -> StaffMember:
    _open(project)
    return StaffMember.objects.create(
        project=project, label=label, pay=pay, postcode=postcode, local=local
    )


def staff_remove(member: StaffMember) -> None:
    _open(member.project)
    member.delete()


def other_cost_add(project: Lm3Project, *, label: str, spend: Decimal, local: bool) -> OtherCost:
    _open(project)
    return OtherCost.objects.create(project=project, label=label, spend=spend, local=local)


def other_cost_remove(cost: OtherCost) -> None:
    _open(cost.project)
    cost.delete()


# --- suppliers ---------------------------------------------------------------------------


def _existing_keys(project: Lm3Project) -> dict[str, str]:
    return {
        uploads.row_key(name): "in the project"
        for name in project.suppliers.values_list("name", flat=True).iterator(chunk_size=BATCH)
    }


def _postcodes_found(postcodes: Sequence[str]) -> list[bool | None]:
    """For each postcode: found (True), not found (False), or not a postcode to look up (None)."""
    from keepitlocal.geo import default_store, is_valid_postcode

    wanted = [(i, p) for i, p in enumerate(postcodes) if p and is_valid_postcode(p)]
    found: list[bool | None] = [None] * len(postcodes)
    if wanted:
        located = default_store().lookup_many([p for _, p in wanted])
        for (index, _), location in zip(wanted, located, strict=True):
            found[index] = location is not None
    return found


def _check_rows(
    project: Lm3Project, rows: Sequence[tuple[int, dict[str, str]]],
    others: Iterable[tuple[int, str]] = (), layout: uploads.Layout = uploads.SUPPLIERS,
) -> list[dict[str, str]]:
    """The problems of each row, including supplier names that repeat in the file or project."""
    found = _postcodes_found([fields["postcode"] for _, fields in rows])
    if layout is uploads.STAFF:
        return [uploads.check_staff_row(fields, postcode_found=postcode_found)
                for (_, fields), postcode_found in zip(rows, found, strict=True)]
    seen = _existing_keys(project)
    for number, name in others:
        seen.setdefault(uploads.row_key(name), f"at row {number}")
    results = []
    for (number, fields), postcode_found in zip(rows, found, strict=True):
        key = uploads.row_key(fields["name"])
        duplicate = seen.get(key) if key else None
        if key and duplicate is None:
            seen[key] = f"at row {number}"
        results.append(
            uploads.check_row(fields, duplicate_of=duplicate, postcode_found=postcode_found)
        )
    return results


def upload_read(
    project: Lm3Project, *, name: str, stream: IO[bytes], user: Any = None,
    layout: uploads.Layout = uploads.SUPPLIERS,
) -> SupplierUpload:
    """Read a supplier or staff file into staging rows with their problems; nothing is imported.

    Every ready row is kept (it is what will be imported), but only the first PROBLEM_ROWS_KEPT
    rows with problems: the rest are counted by the field at fault, so a file of garbage cannot
    fill the database. Raises uploads.UploadError when the file as a whole cannot be read.
    """
    _open(project)
    with bounded(WEB_LIMITS):
        found = uploads.read_file(name, stream, layout)
    return _upload_store(project, name, found, user, layout)


def upload_read_later(project: Lm3Project, *, upload: Any, user: Any,
                      layout: uploads.Layout, back: str) -> ParseJob:
    """A large supplier or staff file: staged, then read and checked by the background worker
    (UPLOAD_KINDS), with the same checks and the same rows kept as `upload_read`."""
    _open(project)
    return parsing.start(
        f"keepitlocal.web.lm3.services:{UPLOAD_KINDS[layout.kind]}", upload=upload,
        org=project.organisation, user=user, params={"project": project.pk}, back=back)


def _upload_store(project: Lm3Project, name: str, found: uploads.FileRows, user: Any,
                  layout: uploads.Layout) -> SupplierUpload:
    problems = _check_rows(project, found.rows, layout=layout)
    counts: dict[str, int] = {}
    kept: list[UploadRow] = []
    problem_rows = 0
    for (number, fields), trouble in zip(found.rows, problems, strict=True):
        if trouble:
            problem_rows += 1
            for field_name in trouble:
                counts[field_name] = counts.get(field_name, 0) + 1
            if problem_rows > PROBLEM_ROWS_KEPT:
                continue
        kept.append(UploadRow(row=number, problems=trouble, ok=not trouble,
                              **{k: v[: uploads.LIMITS[k]] for k, v in fields.items()}))
    with transaction.atomic():
        upload = SupplierUpload.objects.create(
            project=project, kind=layout.kind, file_name=name[:255], encoding=found.encoding,
            uploaded_by=user, rows_read=len(found.rows), problem_counts=counts,
            problems_not_kept=max(0, problem_rows - PROBLEM_ROWS_KEPT),
        )
        for row in kept:
            row.upload = upload
        UploadRow.objects.bulk_create(kept, batch_size=BATCH)
    return upload


def _job_read(layout: uploads.Layout, path: Path) -> uploads.FileRows:
    return parsing.read_bounded(uploads.read_path, path, layout.kind, file=path.name)


def _job_store(layout: uploads.Layout, job: ParseJob, path: Path,
               found: uploads.FileRows) -> parsing.Landing:
    project = Lm3Project.objects.for_org(job.organisation).filter(
        pk=job.params.get("project")).first()
    if project is None:
        raise UploadError("The project this file was uploaded to has been deleted.")
    if project.is_closed:
        raise UploadError(f"{project} was closed while the file was read, so its data can no "
                          "longer change. Reopen it first if you need to.")
    upload = _upload_store(project, path.name, found, job.created_by, layout)
    return parsing.Landing(reverse("lm3:upload", args=[project.pk, upload.pk]))


SUPPLIERS_UPLOAD = parsing.Kind(read=partial(_job_read, uploads.SUPPLIERS),
                                store=partial(_job_store, uploads.SUPPLIERS))
STAFF_UPLOAD = parsing.Kind(read=partial(_job_read, uploads.STAFF),
                            store=partial(_job_store, uploads.STAFF))
UPLOAD_KINDS = {uploads.SUPPLIERS.kind: "SUPPLIERS_UPLOAD", uploads.STAFF.kind: "STAFF_UPLOAD"}


def upload_row_fix(row: UploadRow, fields: dict[str, str]) -> UploadRow:
    """Change a staged row as the user corrected it, and check it again."""
    _open(row.upload.project)
    layout = row.upload.layout
    for key in layout.fields:
        setattr(row, key, fields.get(key, "").strip())
    others = (
        row.upload.rows.filter(ok=True).exclude(pk=row.pk).values_list("row", "name")
        .iterator(chunk_size=BATCH)
    )
    values = {k: getattr(row, k) for k in layout.fields}
    row.problems = _check_rows(row.upload.project, [(row.row, values)], others, layout)[0]
    row.ok = not row.problems
    row.save()
    return row


def upload_row_drop(row: UploadRow) -> None:
    """Leave a row out on purpose: it stays listed as left out."""
    row.ok = False
    row.problems = {**row.problems, "row": "Left out by you"}
    row.save(update_fields=["ok", "problems"])


def upload_import(upload: SupplierUpload) -> tuple[int, int]:
    """Import the upload's ready rows as suppliers or staff; the rest stay listed as left out.

    Returns (imported, left out). Supplier names are checked again against the project, so a
    supplier added since the preview is not imported twice.
    """
    project = upload.project
    _open(project)
    if upload.status != UploadStatus.PREVIEW:
        raise ValueError("This upload has already been imported.")
    with transaction.atomic():
        if upload.layout is uploads.STAFF:
            imported = _staff_import(upload)
        else:
            imported = _suppliers_import(upload)
        upload.status = UploadStatus.IMPORTED
        upload.rows_imported = imported
        upload.rows_left_out = upload.rows_read - imported
        upload.imported_at = timezone.now()
        upload.save()
    return imported, upload.rows_left_out


def _mark_imported(done: list[int]) -> None:
    for start in range(0, len(done), BATCH):
        UploadRow.objects.filter(pk__in=done[start:start + BATCH]).update(imported=True)


def _suppliers_import(upload: SupplierUpload) -> int:
    project = upload.project
    existing = _existing_keys(project)
    imported = 0
    batch: list[Supplier] = []
    done: list[int] = []
    for row in upload.rows.filter(ok=True).iterator(chunk_size=BATCH):
        key = uploads.row_key(row.name)
        if key in existing:
            UploadRow.objects.filter(pk=row.pk).update(
                ok=False, problems={"name": f"{row.name} is already in the project"}
            )
            continue
        existing[key] = "in the project"
        local = uploads.parse_local(row.local) if row.local else None
        batch.append(Supplier(
            project=project, name=row.name, contact=row.contact, email=row.email.lower(),
            postcode=_postcode(row.postcode), local=local,
            spend=uploads.parse_spend(row.spend), row=row.row,
        ))
        done.append(row.pk)
        if len(batch) >= BATCH:
            Supplier.objects.bulk_create(batch, batch_size=BATCH)
            imported += len(batch)
            batch = []
    Supplier.objects.bulk_create(batch, batch_size=BATCH)
    _mark_imported(done)
    return imported + len(batch)


def _staff_import(upload: SupplierUpload) -> int:
    """Staff rows become staff members, and the payroll is then counted person by person."""
    project = upload.project
    rows = list(upload.rows.filter(ok=True))
    StaffMember.objects.bulk_create(
        (StaffMember(project=project, label=row.name, pay=uploads.parse_spend(row.spend),
                     postcode=_postcode(row.postcode),
                     local=uploads.parse_local(row.local) if row.local else None)
         for row in rows),
        batch_size=BATCH,
    )
    if rows and project.payroll_mode != PayrollMode.PEOPLE:
        payroll_set(project, mode=PayrollMode.PEOPLE)
    _mark_imported([row.pk for row in rows])
    return len(rows)


def upload_cancel(upload: SupplierUpload) -> None:
    """A cancelled upload leaves nothing behind: its record and every staged row go."""
    if upload.status != UploadStatus.PREVIEW:
        raise ValueError("An imported upload cannot be cancelled.")
    upload.delete()


def _postcode(text: str) -> str:
    """tidy_postcode, the one clean-up; a text too long for the column is not a postcode and is
    not kept (the supplier then shows as "no postcode")."""
    from keepitlocal.geo import tidy_postcode

    postcode = tidy_postcode(text)
    return postcode if len(postcode) <= POSTCODE_LENGTH else ""


def supplier_save(
    project: Lm3Project, *, supplier: Supplier | None = None, name: str, spend: Decimal,
    contact: str = "", email: str = "", postcode: str = "", local: bool | None = None,
) -> Supplier:
    """Add a supplier by hand, or change one."""
    _open(project)
    supplier = supplier or Supplier(project=project)
    supplier.name, supplier.spend, supplier.contact = name, spend, contact
    supplier.email, supplier.postcode, supplier.local = email.lower(), _postcode(postcode), local
    supplier.save()
    return supplier


def supplier_name_taken(project: Lm3Project, name: str, *, other_than: int | None = None) -> bool:
    """A name the engine would count as a duplicate of one already in the project: the engine's
    rule (case and spacing ignored), so a name accepted here never fails on the results page."""
    key = uploads.row_key(name)
    suppliers = project.suppliers.all()
    if other_than is not None:
        suppliers = suppliers.exclude(pk=other_than)
    names = suppliers.values_list("name", flat=True)
    return any(uploads.row_key(n) == key for n in names.iterator(chunk_size=BATCH))


def supplier_remove(supplier: Supplier) -> None:
    _open(supplier.project)
    supplier.delete()


# --- the survey --------------------------------------------------------------------------


def response_record(
    supplier: Supplier, *, local_staff_share: Decimal, local_supplier_share: Decimal,
    source: str, user: Any = None, respondent: str = "", note: str = "", touch: Touch | None = None,
) -> SupplierResponse:
    """Record (or correct) a supplier's answer; refused once the project is closed. `touch` is
    written with the answer, both or neither (a survey link's last use)."""
    _open(supplier.project)
    if not (0 <= local_staff_share <= 1 and 0 <= local_supplier_share <= 1):
        raise ValueError("shares must be between 0 and 1")
    if local_staff_share + local_supplier_share > 1:
        raise ValueError("the two shares together cannot be more than all of the costs")
    now = timezone.now()
    response = SupplierResponse(
        supplier=supplier, local_staff_share=local_staff_share.quantize(SHARE_PLACES),
        local_supplier_share=local_supplier_share.quantize(SHARE_PLACES),
        source=ResponseSource(source), respondent=respondent, note=note,
        received_at=now, updated_at=now, entered_by=user,
    )
    # One INSERT ... ON CONFLICT (supplier) DO UPDATE: two answers at once from one supplier
    # leave exactly one row (the later wins) in a single statement, keeping the first received_at.
    upsert(response, unique=("supplier",),
           update=("local_staff_share", "local_supplier_share", "source", "respondent", "note",
                   "updated_at", "entered_by"), touch=touch)
    return response


def survey_answer_record(
    supplier: Supplier, link: Any, *, local_staff_share: Decimal, local_supplier_share: Decimal,
    respondent: str,
) -> SupplierResponse:
    """A supplier's answer through its survey link, and the link's last use, in one write:
    under survey load every commit waits for the others on SQLite, and every round trip counts
    on PostgreSQL."""
    return response_record(
        supplier, local_staff_share=local_staff_share, local_supplier_share=local_supplier_share,
        source=ResponseSource.SURVEY, respondent=respondent, touch=link_touch(link),
    )


def response_remove(supplier: Supplier) -> None:
    _open(supplier.project)
    SupplierResponse.objects.filter(supplier=supplier).delete()


def _invitable(project: Lm3Project) -> QuerySet[Supplier]:
    return project.suppliers.exclude(email="").filter(response__isnull=True)


def invitations_send(project: Lm3Project, *, base_url: str) -> int:
    """Queue one invitation per supplier with an e-mail address that has not been invited yet.

    The e-mails go out as background tasks of EMAIL_BATCH suppliers each. Returns how many.
    """
    _open(project)
    ids = list(_invitable(project).filter(invited_at__isnull=True).values_list("pk", flat=True))
    project.status = Status.SURVEYING
    project.invitations_sent_at = project.invitations_sent_at or timezone.now()
    project.save(update_fields=["status", "invitations_sent_at"])
    _enqueue(project, ids, base_url, "invitation")
    return len(ids)


def reminders_send(
    project: Lm3Project, *, base_url: str, supplier_ids: Iterable[int] | None = None
) -> int:
    """Queue a reminder (with a fresh link) to invited suppliers who have not answered."""
    _open(project)
    queryset = _invitable(project).filter(invited_at__isnull=False)
    if supplier_ids is not None:
        queryset = queryset.filter(pk__in=list(supplier_ids))
    ids = list(queryset.values_list("pk", flat=True))
    _enqueue(project, ids, base_url, "reminder")
    return len(ids)


def _enqueue(project: Lm3Project, ids: list[int], base_url: str, kind: str) -> None:
    from keepitlocal.web.lm3.tasks import send_survey_emails

    def enqueue_all() -> None:
        for start in range(0, len(ids), EMAIL_BATCH):
            send_survey_emails.enqueue(project.pk, ids[start:start + EMAIL_BATCH], base_url, kind)

    transaction.on_commit(enqueue_all)


def lm3_project_close(project: Lm3Project) -> dict[str, Any] | None:
    """Close the survey: links stop working, the data freezes, and the figures are kept.

    Returns the final figures (None if the project cannot be computed yet; it closes anyway).
    """
    _open(project)
    try:
        figures: dict[str, Any] | None = lm3.result_to_dict(lm3_result_compute(project))
    except KeepItLocalError:
        figures = None
    with transaction.atomic():
        project.status = Status.CLOSED
        project.closed_at = timezone.now()
        project.final_result = _jsonable(figures) if figures is not None else None
        project.save(update_fields=["status", "closed_at", "final_result"])
        links_close(group=project.survey_group)
    return figures


def lm3_project_reopen(project: Lm3Project) -> None:
    """Take a closed project back to surveying; links that have not expired work again."""
    with transaction.atomic():
        project.status = Status.SURVEYING if project.invitations_sent_at else Status.DRAFT
        project.closed_at = None
        project.final_result = None
        project.save(update_fields=["status", "closed_at", "final_result"])
        links_close(group=project.survey_group, closed=False)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def lm3_result_compute(project: Lm3Project) -> engine.Lm3Result:
    """The LM3 of the project as it stands; InputError lists every reason it cannot be computed."""
    return lm3.run(lm3_project_build(project))
