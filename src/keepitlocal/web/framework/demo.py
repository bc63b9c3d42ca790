"""Demo data: the demo anchor's impact plan, with two periods of measurements and evidence.

Built from the engine's shipped demo plan (framework/demo/calder_valley_plan.json). Its LM3
indicator's later value is fed by the demo LM3 project, so the demo shows a measured result
feeding its indicator with a link back.
"""

from __future__ import annotations

from importlib.resources import as_file, files

from django.core.files.base import ContentFile

from keepitlocal.framework.io import read_plan
from keepitlocal.web import demo
from keepitlocal.web.framework.models import Evidence, ImpactPlan, Indicator, Measurement

FED_PERIOD = "2025-26"


@demo.loader
def framework_demo(data: demo.DemoData) -> None:
    from keepitlocal.web.lm3.demo import FINISHED
    from keepitlocal.web.lm3.models import Lm3Project

    org = data.anchor
    with as_file(files("keepitlocal.framework").joinpath("demo", "calder_valley_plan.json")) as p:
        source = read_plan(p)
    if ImpactPlan.objects.for_org(org).filter(name=source.name).exists():
        return
    plan = ImpactPlan.objects.create(
        organisation=org,
        name=source.name,
        change_sought=source.change_sought,
        activities="\n".join(source.activities),
        area_name=source.area.name,
        area_kind="lad",
        area_lads=list(source.area.lad),
        characteristics=list(source.characteristics),
        existing_information=source.existing_information,
        **{f"step_{n}": note for n, note in source.step_notes.items()},
    )
    lm3_project = Lm3Project.objects.for_org(org).filter(name=FINISHED).first()
    lm3_pk = lm3_project.pk if lm3_project is not None else None
    rows: dict[str, Indicator] = {}
    for item in source.indicators:
        rows[item.key] = Indicator.objects.create(
            organisation=org,
            plan=plan,
            bank_id=item.bank_id or "",
            label=item.label,
            characteristic=item.characteristic,
            unit=item.unit,
            measure=item.measure,
            baseline=item.baseline,
            target=item.target,
            fed_by=item.fed_by,
            baseline_period=item.baseline_period.label if item.baseline_period else "",
            target_period=item.target_period.label if item.target_period else "",
            collection_method=item.collection_method,
            frequency=item.frequency,
        )
    for m in source.measurements:
        indicator = rows[m.indicator]
        fed = (
            indicator.fed_by == "lm3.lm3"
            and m.period.label == FED_PERIOD
            and lm3_pk is not None
        )
        measurement = Measurement.objects.create(
            organisation=org,
            indicator=indicator,
            period=m.period.label,
            value=m.value,
            statement=m.statement,
            source=f"LM3: {lm3_project}" if fed else m.source,
            recorded_by=m.recorded_by,
            quality=m.quality,
            checked_by=m.checked_by,
            triangulation=m.triangulation,
            revision=m.revision,
            reason=m.reason,
            feed="lm3.lm3" if fed else "",
            feed_object_id=lm3_pk if fed else None,
        )
        for name in m.evidence:
            if m.revision > 1:
                continue  # the corrected value keeps the evidence of its period
            evidence = Evidence(organisation=org, measurement=measurement, name=name)
            content = f"Demo evidence for {indicator.label}, {m.period.label}.\n".encode()
            evidence.file.save(name, ContentFile(content), save=False)
            evidence.size = len(content)
            evidence.save()
