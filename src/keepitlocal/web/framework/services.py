"""Changing plans: every write goes through here, so the rules (revisions, challenger, evidence
limits) hold whichever page or import the change comes from."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from keepitlocal.framework.reference import load_framework
from keepitlocal.web.core.uploads import max_upload_mb, too_large
from keepitlocal.web.framework import feeds
from keepitlocal.web.framework.models import (
    AreaKind,
    Evidence,
    ImpactPlan,
    Indicator,
    Measurement,
    Quality,
)
from keepitlocal.web.framework.selectors import FOUR_PLACES

MAX_EVIDENCE = 20  # files and links on one value


def plan_create(*, org: Any, name: str) -> ImpactPlan:
    return ImpactPlan.objects.create(organisation=org, name=name)


def plan_update(plan: ImpactPlan, **fields: Any) -> ImpactPlan:
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.updated_at = timezone.now()
    plan.save()
    return plan


def area_lad_add(plan: ImpactPlan, code: str) -> None:
    if code not in plan.area_lads:
        plan.area_lads = [*plan.area_lads, code]
    plan_update(plan, area_kind=AreaKind.LAD)


def area_lad_remove(plan: ImpactPlan, code: str) -> None:
    plan_update(plan, area_lads=[c for c in plan.area_lads if c != code])


def area_radius_set(plan: ImpactPlan, *, km: Decimal, centre: str) -> None:
    plan_update(plan, area_kind=AreaKind.RADIUS, area_radius_km=km, area_centre=centre)


def indicator_from_bank(plan: ImpactPlan, bank_id: str) -> Indicator:
    """Add a bank indicator with its label, unit and suggested feed; its characteristic joins the
    plan's if it was not chosen yet."""
    bank = load_framework().indicator(bank_id)
    if bank is None:
        raise ValidationError(f"{bank_id} is not in the indicator bank")
    with transaction.atomic():
        indicator = Indicator.objects.create(
            organisation=plan.organisation,
            plan=plan,
            bank_id=bank.id,
            label=bank.text,
            characteristic=bank.characteristic,
            unit=bank.unit,
            measure=bank.measure,
            fed_by=bank.fed_by,
            collection_method="measured result" if bank.fed_by else "",
        )
        _choose_characteristic(plan, bank.characteristic)
    return indicator


def indicator_save(indicator: Indicator) -> Indicator:
    with transaction.atomic():
        indicator.save()
        _choose_characteristic(indicator.plan, indicator.characteristic)
    return indicator


def _choose_characteristic(plan: ImpactPlan, number: int) -> None:
    if number not in plan.characteristics:
        plan_update(plan, characteristics=sorted([*plan.characteristics, number]))
    else:
        plan.touch()


def _next_revision(indicator: Indicator, period: str) -> int:
    latest = indicator.measurements.filter(period=period).aggregate(Max("revision"))
    return int(latest["revision__max"] or 0) + 1


def measurement_record(
    indicator: Indicator,
    *,
    user: Any,
    period: str,
    recorded_by: str,
    value: Decimal | None = None,
    statement: str = "",
    source: str = "",
    feed: str = "",
    feed_object_id: int | None = None,
) -> Measurement:
    """The first value of an indicator for a period; a later value for it is a correction."""
    if indicator.measurements.filter(period=period).exists():
        raise ValidationError(
            f"{period} already has a value: correct it instead, so its history is kept"
        )
    with transaction.atomic():
        measurement = Measurement.objects.create(
            organisation=indicator.organisation,
            indicator=indicator,
            period=period,
            value=value,
            statement=statement,
            source=source,
            recorded_by=recorded_by,
            recorded_by_user=user,
            feed=feed,
            feed_object_id=feed_object_id,
        )
        indicator.plan.touch()
    return measurement


def measurement_correct(
    current: Measurement,
    *,
    user: Any,
    recorded_by: str,
    reason: str,
    value: Decimal | None = None,
    statement: str = "",
    source: str = "",
) -> Measurement:
    """A new revision replacing `current`; the old value stays as history, checks start again."""
    if current.revision != _next_revision(current.indicator, current.period) - 1:
        raise ValidationError("Only the latest value of a period can be corrected")
    with transaction.atomic():
        corrected = Measurement.objects.create(
            organisation=current.organisation,
            indicator=current.indicator,
            period=current.period,
            value=value,
            statement=statement,
            source=source or current.source,
            recorded_by=recorded_by,
            recorded_by_user=user,
            revision=current.revision + 1,
            reason=reason,
        )
        current.indicator.plan.touch()
    return corrected


def measurement_check(
    measurement: Measurement, *, checked_by: str, triangulation: str = ""
) -> None:
    """Step 6: a challenger who did not record the value checks it, and may triangulate it."""
    if checked_by.strip().casefold() == measurement.recorded_by.strip().casefold():
        raise ValidationError(
            "The challenger must be someone other than the person who recorded it"
        )
    measurement.checked_by = checked_by.strip()
    measurement.checked_at = timezone.now()
    measurement.triangulation = triangulation.strip()
    measurement.quality = Quality.TRIANGULATED if triangulation.strip() else Quality.CHECKED
    measurement.save(update_fields=["checked_by", "checked_at", "triangulation", "quality"])
    measurement.indicator.plan.touch()


def feed_record(
    indicator: Indicator, *, user: Any, recorded_by: str, period: str, feed: str, object_id: int
) -> Measurement:
    """A value taken from a measured result; the result is read now, and again on every page."""
    current = feeds.read(indicator.organisation, feed, object_id)  # 404 if not the org's
    if current.value is None:
        raise ValidationError(f"{current.source} has no figure yet: {current.problem}")
    return measurement_record(
        indicator,
        user=user,
        period=period,
        recorded_by=recorded_by,
        value=current.value.quantize(FOUR_PLACES),
        source=current.source,
        feed=feed,
        feed_object_id=object_id,
    )


def _room_for_evidence(measurement: Measurement, adding: int) -> None:
    if measurement.evidence.count() + adding > MAX_EVIDENCE:
        raise ValidationError(f"A value can have at most {MAX_EVIDENCE} files and links")


def evidence_add_files(measurement: Measurement, files: list[UploadedFile], *, user: Any) -> int:
    """Store uploaded evidence files; each under the site's upload limit, under a random name."""
    for upload in files:
        if too_large(upload):
            raise ValidationError(
                f"{upload.name} is larger than {max_upload_mb()} MB: upload a smaller file, "
                "or a link to where the file is kept"
            )
    _room_for_evidence(measurement, len(files))
    with transaction.atomic():
        for upload in files:
            Evidence.objects.create(
                organisation=measurement.organisation,
                measurement=measurement,
                file=upload,
                name=(upload.name or "evidence")[:200],
                size=upload.size,
                added_by=user,
            )
    return len(files)


def evidence_add_links(measurement: Measurement, urls: list[str], *, user: Any) -> int:
    _room_for_evidence(measurement, len(urls))
    with transaction.atomic():
        for url in urls:
            Evidence.objects.create(
                organisation=measurement.organisation,
                measurement=measurement,
                url=url,
                name=url[:200],
                added_by=user,
            )
    return len(urls)


def evidence_remove(evidence: Evidence) -> None:
    evidence.delete()
