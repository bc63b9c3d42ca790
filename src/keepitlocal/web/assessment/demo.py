"""Demo data: Calderdale Council's self-assessment a year apart, each rated by two colleagues,
its network membership record and an action plan. The people and their answers are invented."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from keepitlocal.framework.principles import MAX_LEVEL, statements
from keepitlocal.web import demo
from keepitlocal.web.accounts.models import Membership, Role, User
from keepitlocal.web.assessment import services
from keepitlocal.web.assessment.models import (
    Assessment,
    Champion,
    ChampionLevel,
    Conversation,
    NetworkStatus,
    Rater,
    Team,
)

COLLEAGUE = "procurement.demo@example.org"
DATES = (date(2025, 3, 3), date(2026, 3, 2))
# The first year's starting level for each principle; the second year moves local spend and
# local-by-default commissioning up a level, after the action plan.
START = {"P1": 2, "P2": 2, "P3": 1, "P4": 1, "P5": 3, "P6": 1}
IMPROVED = {"P3", "P6"}


def _level(value: int) -> int:
    return max(0, min(MAX_LEVEL, value))


def _answers(year: int, procurement: bool) -> list[tuple[str, int | None, str, str]]:
    out: list[tuple[str, int | None, str, str]] = []
    for n, s in enumerate(statements()):
        level = START[s.principle] + (n % 3) - 1 + (year if s.principle in IMPROVED else 0)
        if procurement:
            level += 1 if n % 4 == 0 else 0
            level -= 2 if n % 7 == 0 else 0
        owner = "Head of Procurement" if s.principle in {"P3", "P6"} else "Head of Commissioning"
        evidence = ("Procurement strategy 2024-27, section 4" if procurement and n % 5 == 0
                    else "")
        out.append((s.id, None if procurement and n % 11 == 5 else _level(level), evidence,
                    owner))
    return out


def _colleague(data: demo.DemoData) -> User:
    user = User.objects.filter(email=COLLEAGUE).first()
    if user is None:
        user = User.objects.create_user(email=COLLEAGUE, full_name="Sam Okafor")
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, organisation=data.council,
                                     defaults={"role": Role.EDITOR})
    return user


@demo.loader
def assessment_demo(data: demo.DemoData) -> None:
    council = data.council
    if Assessment.objects.for_org(council).exists():
        return
    colleague = _colleague(data)
    for year, on in enumerate(DATES):
        item = Assessment.objects.create(
            organisation=council, title=f"Keep it Local self-assessment {on.year}",
            assessed_on=on, created_by=data.user,
        )
        for user, team, procurement in ((data.user, Team.COMMISSIONING, False),
                                        (colleague, Team.PROCUREMENT, True)):
            services.save_ratings(item, user, team, _answers(year, procurement), submit=True)
        submitted = timezone.make_aware(datetime.combine(on, time(12)))
        Rater.objects.for_org(council).filter(assessment=item).update(submitted_at=submitted)
        services.generate_actions(item)
    NetworkStatus.objects.get_or_create(organisation=council, defaults={
        "endorsed_on": date(2024, 11, 20), "conversation": Conversation.PLANNED,
        "conversation_on": date(2026, 5, 14), "working_with_locality": True,
        "notes": "Demo data: invented dates.",
    })
    for name, role, level in (
        ("Cllr Jordan Hale", "Cabinet member for communities", ChampionLevel.CABINET),
        ("Priya Nair", "Director of public services", ChampionLevel.SENIOR),
    ):
        Champion.objects.get_or_create(organisation=council, name=name,
                                       defaults={"role": role, "level": level})
