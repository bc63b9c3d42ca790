"""The writes: a rater's answers, the action plan made from the gaps, the comparison opt-in."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from keepitlocal.framework import assessment as engine
from keepitlocal.web.accounts.models import Organisation, User
from keepitlocal.web.assessment import selectors
from keepitlocal.web.assessment.models import Action, Assessment, ComparisonOptIn, Rater, Rating


@transaction.atomic
def save_ratings(
    assessment: Assessment, user: User, team: str,
    answers: list[tuple[str, int | None, str, str]], submit: bool,
) -> Rater:
    """Replace the user's draft answers; submitting locks them and shows them to colleagues."""
    rater, _ = Rater.objects.get_or_create(
        organisation=assessment.organisation, assessment=assessment, user=user,
        defaults={"name": user.get_full_name(), "team": team},
    )
    if rater.submitted:
        raise ValueError("these answers are already submitted")
    rater.team = team
    rater.ratings.all().delete()
    Rating.objects.bulk_create(
        Rating(organisation=assessment.organisation, rater=rater, statement=statement,
               level=level, evidence=evidence, owner=owner)
        for statement, level, evidence, owner in answers
    )
    if submit:
        rater.submitted_at = timezone.now()
    rater.save()
    return rater


@transaction.atomic
def generate_actions(assessment: Assessment) -> int:
    """Add an action for every gap that has none yet; edited actions are left as they are."""
    have = set(assessment.actions.exclude(statement="").values_list("statement", flat=True))
    plan = engine.action_plan(selectors.result(assessment))
    new = [
        Action(organisation=assessment.organisation, assessment=assessment,
               statement=item.statement, text=item.text, owner=item.owner, due=item.due,
               generated=True)
        for item in plan if item.statement not in have
    ]
    Action.objects.bulk_create(new)
    return len(new)


def set_opt_in(org: Organisation, user: User, share: bool) -> None:
    if share:
        ComparisonOptIn.objects.get_or_create(organisation=org, defaults={"opted_in_by": user})
    else:
        ComparisonOptIn.objects.for_org(org).delete()
