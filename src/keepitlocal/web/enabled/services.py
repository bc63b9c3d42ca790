"""Writes: projects, tenants, overrides, uploads of the engine's input files, and sharing.

Uploads are read by the engine (`read_project`), so a file that `keepitlocal enabled calc`
accepts is accepted here, with the same messages for one that it does not.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from keepitlocal.enabled import Anchor, Project, read_project
from keepitlocal.enabled.reference import load_reference
from keepitlocal.enabled.validate import canonical_override_code
from keepitlocal.errors import InputError, Problem
from keepitlocal.web.accounts.models import Organisation, OrganisationKind, User
from keepitlocal.web.core import parsing
from keepitlocal.web.core.models import ParseJob
from keepitlocal.web.core.uploads import staged
from keepitlocal.web.enabled import selectors
from keepitlocal.web.enabled.models import (
    MONEY,
    QUANTITY,
    TENANT_NUMBER_FIELDS,
    EnabledProject,
    ProjectOverride,
    ProjectShare,
    Source,
    Tenant,
    name_key,
)
from keepitlocal.web.enabled.survey import (
    PURPOSE,
    TenantSurveyForm,
    group,
    send_survey_emails,
)
from keepitlocal.web.surveys.services import link_issue

COPIED_FIELDS = ("name", "sic", "use_class", "floorspace_m2", "area_basis", "notes",
                 "contact_name", "contact_email")


def project_create(
    *, org: Organisation, year: int, name: str = "", local_authority: str = "", notes: str = "",
    copy_from: EnabledProject | None = None,
) -> EnabledProject:
    """A new year for the anchor, optionally with an earlier year's tenant list and overrides."""
    with transaction.atomic():
        project = EnabledProject.objects.create(
            organisation=org, year=year, name=name, local_authority=local_authority, notes=notes
        )
        if copy_from is not None:
            if copy_from.organisation_id != org.pk:
                raise ValueError("a project can only copy its own organisation's tenants")
            if not local_authority:
                project.local_authority = copy_from.local_authority
                project.save(update_fields=["local_authority"])
            for tenant in copy_from.tenants.all():
                Tenant.objects.create(
                    organisation=org,
                    project=project,
                    source=Source.ENTERED,
                    **{f: getattr(tenant, f) for f in COPIED_FIELDS},
                )
            for item in copy_from.overrides.all():
                ProjectOverride.objects.create(
                    organisation=org, project=project, table=item.table, code=item.code,
                    value=item.value, note=item.note,
                )
    return project


def project_update(project: EnabledProject) -> EnabledProject:
    """Save the year's changed name, council or notes."""
    project.save()
    project.touch()
    return project


def project_delete(project: EnabledProject) -> None:
    """The year goes, with its tenants, overrides and shares."""
    project.delete()


def tenant_save(project: EnabledProject, tenant: Tenant) -> Tenant:
    """Save a tenant from the anchor's form (a new one or a change)."""
    tenant.organisation = project.organisation
    tenant.project = project
    if tenant.source == Source.INVITED and tenant.has_activity:
        tenant.source = Source.ENTERED
    tenant.save()
    project.touch()
    return tenant


def tenant_delete(tenant: Tenant) -> None:
    project = tenant.project
    tenant.delete()
    project.touch()


def override_save(
    project: EnabledProject, *, table: str, code: str, value: Decimal, note: str
) -> ProjectOverride:
    """Set the project's value for one reference figure (replacing an earlier one)."""
    item, _ = ProjectOverride.objects.update_or_create(
        project=project,
        table=table,
        code=code,
        defaults={"organisation": project.organisation, "value": value, "note": note},
    )
    project.touch()
    return item


def override_delete(item: ProjectOverride) -> None:
    project = item.project
    item.delete()
    project.touch()


# --- uploads ------------------------------------------------------------------------------


def read_upload(upload: Any, *, anchor_name: str = "") -> tuple[Anchor, Project]:
    """The anchor to import from an uploaded .json or .xlsx file; InputError lists all problems.

    A file with several anchors needs `anchor_name` to say which one is this organisation.
    """
    suffix = Path(upload.name).suffix.lower()
    with staged(upload, default=f"upload{suffix}") as path:
        project = read_project(path, label=Path(upload.name).name)
    return _anchor_of(project, Path(upload.name).name, anchor_name), project


def read_upload_later(project: EnabledProject, *, upload: Any, anchor_name: str,
                      user: Any) -> ParseJob:
    """A large file: staged, then read and imported by the background worker (UPLOAD), with
    the same checks as `read_upload` and `import_anchor`."""
    return parsing.start(
        "keepitlocal.web.enabled.services:UPLOAD", upload=upload, org=project.organisation,
        user=user, params={"project": project.pk, "anchor": anchor_name},
        back=reverse("enabled:upload", args=[project.pk]))


def _job_read(path: Path) -> Project:
    return parsing.read_bounded(read_project, path, path.name, file=path.name)


def _job_store(job: ParseJob, path: Path, read: Project) -> parsing.Landing:
    project = EnabledProject.objects.for_org(job.organisation).filter(
        pk=job.params.get("project")).first()
    if project is None:
        raise InputError.one("the year this file was uploaded to has been deleted",
                             file=path.name)
    anchor = _anchor_of(read, path.name, job.params.get("anchor", ""))
    count = import_anchor(project, anchor, read)
    return parsing.Landing(reverse("enabled:project", kwargs={"pk": project.pk}),
                           [("success", imported_message(count))])


UPLOAD = parsing.Kind(read=_job_read, store=_job_store)


def imported_message(count: int) -> str:
    return f"{count} tenants were read from the file."


def _anchor_of(project: Project, file: str, anchor_name: str) -> Anchor:
    """The one anchor of the file, or the one `anchor_name` names; InputError otherwise."""
    anchors = project.anchors
    if len(anchors) == 1 and not anchor_name:
        anchor = anchors[0]
    else:
        matches = [a for a in anchors if name_key(a.name) == name_key(anchor_name)]
        if not matches:
            names = ", ".join(f'"{a.name}"' for a in anchors)
            raise InputError.one(
                f"the file holds {len(anchors)} anchors ({names})"
                if not anchor_name
                else f'the file has no anchor called "{anchor_name}" (it has {names})',
                file=file,
                hint="type the name of your anchor, as it is written in the file, in "
                '"Anchor name in the file"',
            )
        anchor = matches[0]
    _check_precision(anchor, file)
    return anchor


def _check_precision(anchor: Anchor, file: str) -> None:
    """Refuse (never round) a figure with more decimal places than the database keeps."""
    problems = []
    for tenant in anchor.tenants:
        for field in TENANT_NUMBER_FIELDS:
            value = getattr(tenant, field)
            if value is None:
                continue
            spec = MONEY if field in ("turnover", "gva") else QUANTITY
            exponent = value.as_tuple().exponent
            whole = spec["max_digits"] - spec["decimal_places"]
            if isinstance(exponent, int) and -exponent > spec["decimal_places"]:
                problems.append(
                    Problem(
                        f'tenant "{tenant.name}": {field} {value} has more than '
                        f"{spec['decimal_places']} decimal places",
                        file=file,
                        row=tenant.where.row,
                        column=tenant.where.column(field),
                        hint=f"round it to {spec['decimal_places']} places",
                    )
                )
            elif abs(value) >= Decimal(10) ** whole:
                problems.append(
                    Problem(
                        f'tenant "{tenant.name}": {field} {value} is too large',
                        file=file,
                        row=tenant.where.row,
                        column=tenant.where.column(field),
                        hint="check the units (£ a year, m², people)",
                    )
                )
    if problems:
        raise InputError(problems)


def import_anchor(project: EnabledProject, anchor: Anchor, engine_project: Project) -> int:
    """Replace the year's tenants and overrides with the file's; returns the tenants imported.

    A tenant of the same name keeps its contact and survey record, so a resent file does not
    lose who was asked.
    """
    ref = load_reference()
    org = project.organisation
    with transaction.atomic():
        kept = {name_key(t.name): t for t in project.tenants.all()}
        project.tenants.all().delete()
        project.overrides.all().delete()
        for item in anchor.tenants:
            before = kept.get(name_key(item.name))
            Tenant.objects.create(
                organisation=org,
                project=project,
                **Tenant.fields_of(item),
                source=Source.UPLOADED,
                contact_name=before.contact_name if before else "",
                contact_email=before.contact_email if before else "",
                survey_sent_at=before.survey_sent_at if before else None,
                survey_answered_at=before.survey_answered_at if before else None,
            )
        for override in engine_project.overrides:
            code = canonical_override_code(override.table, override.code, ref)
            ProjectOverride.objects.update_or_create(
                project=project,
                table=override.table,
                code=code if code is not None else override.code,
                defaults={"organisation": org, "value": override.value, "note": override.note},
            )
        if anchor.local_authority:
            project.local_authority = anchor.local_authority
            project.save(update_fields=["local_authority"])
        project.touch()
    return len(anchor.tenants)


# --- sharing with a council ---------------------------------------------------------------


def share_code(council: Organisation) -> str:
    """A code a council's member gives an anchor so it can share with that council, verified or
    not: signed, so it cannot be made up for another council, and good for
    selectors.SHARE_CODE_DAYS."""
    return signing.dumps(council.pk, salt=selectors.SHARE_SALT)


def share_create(
    project: EnabledProject, council: Organisation, user: User, *, invited: bool = False
) -> ProjectShare:
    """Let `council` see this year's totals (read-only); sharing twice changes nothing.

    Only to a council staff have verified, or one whose member invited the anchor (a share
    code): anyone can sign up an organisation called "... Council".
    """
    if council.kind != OrganisationKind.COUNCIL or council.pk == project.organisation_id:
        raise ValueError("results can only be shared with another organisation that is a council")
    if not (council.verified or invited):
        raise ValueError("results can only be shared with a verified council, or with a code "
                         "from one of the council's members")
    share, _ = ProjectShare.objects.get_or_create(
        project=project,
        council=council,
        defaults={"organisation": project.organisation, "shared_by": user},
    )
    return share


def share_delete(share: ProjectShare) -> None:
    share.delete()


# --- the tenant survey ---------------------------------------------------------------------


def tenant_invite(project: EnabledProject, *, name: str, contact_name: str,
                  contact_email: str) -> Tenant:
    """A tenant added to be sent the survey; ValidationError when the year has one so named."""
    name = " ".join(name.split())
    if any(name_key(t.name) == name_key(name) for t in project.tenants.all()):
        raise ValidationError("There is already a tenant with this name this year")
    return Tenant.objects.create(
        organisation=project.organisation, project=project, name=name,
        contact_name=contact_name, contact_email=contact_email, source=Source.INVITED,
    )


def survey_send(project: EnabledProject, tenants: list[Tenant],
                url_for: Callable[[str], str]) -> None:
    """A fresh link for each tenant, e-mailed in the background; `url_for(token)` is the link."""
    items = [[tenant.pk, url_for(link_issue(tenant, PURPOSE, project.organisation,
                                            group=group(project)))]
             for tenant in tenants]
    send_survey_emails.enqueue(items)
    Tenant.objects.filter(pk__in=[t.pk for t in tenants]).update(survey_sent_at=timezone.now())


def survey_answer_save(form: TenantSurveyForm) -> Tenant:
    """The tenant's answer replaces what the anchor had for the questions it answered."""
    answer = form.save(commit=False)
    description = form.cleaned_data.get("description", "").strip()
    if description:
        line = f"In the tenant's words: {description}"
        kept = [n for n in answer.notes.splitlines() if not n.startswith("In the tenant's words:")]
        answer.notes = "\n".join([*kept, line]).strip()
    answer.source = Source.SURVEY
    answer.survey_answered_at = timezone.now()
    answer.save()
    answer.project.touch()
    return answer
