"""Self-assessment pages: the flow, independence of raters, isolation, roles, CSRF, downloads."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from keepitlocal.framework.assessment import MIN_GROUP
from keepitlocal.framework.principles import statements
from keepitlocal.web.assessment.models import Action, Assessment, Champion, Rater

from .conftest import answers

pytestmark = pytest.mark.django_db


def form_data(level: str, team: str = "procurement", **extra: str) -> dict[str, str]:
    data = {"team": team, **extra}
    for s in statements():
        data[f"level_{s.id.replace('.', '_')}"] = level
    return data


def test_create_rate_submit_and_see_the_agreed_rating_and_spread(client_for, commissioner, buyer,
                                                                  council):
    alice = client_for(commissioner)
    response = alice.post(reverse("assessment:create"), {
        "title": "Self-assessment 2025", "assessed_on": "2025-03-03", "target_level": "3"})
    item = Assessment.objects.get(organisation=council)
    assert response.status_code == 302 and response.url == reverse("assessment:detail",
                                                                   args=[item.pk])
    rate = reverse("assessment:rate", args=[item.pk])
    # a draft: saved, not submitted, hidden from the result
    assert alice.post(rate, form_data("1", save="1")).status_code == 302
    draft = Rater.objects.get(assessment=item, user=commissioner)
    assert not draft.submitted and draft.ratings.count() == len(statements())
    page = alice.get(reverse("assessment:detail", args=[item.pk])).content.decode()
    assert "hidden until you submit" in page
    assert alice.post(rate, form_data("1", submit="1")).status_code == 302
    bob = client_for(buyer)
    # bob has not rated: he may see the result so far (alice's alone)
    assert "Raters counted" in bob.get(reverse("assessment:detail", args=[item.pk])).content.decode()
    assert bob.post(rate, form_data("4", submit="1")).status_code == 302
    html = bob.get(reverse("assessment:detail", args=[item.pk])).content.decode()
    assert "1 Bystander" in html and "1–4" in html and "Disagree" in html
    assert html.count("Disagree</strong>") == len(statements())
    # once submitted, answers are final
    response = bob.post(rate, form_data("2", submit="1"))
    assert response.status_code == 302
    assert set(Rater.objects.get(user=buyer).ratings.values_list("level", flat=True)) == {4}


def test_while_my_own_rating_is_a_draft_i_cannot_see_the_others(client_for, commissioner, buyer,
                                                                 council, make_assessment):
    item = make_assessment(council, raters={commissioner: 3})
    bob = client_for(buyer)
    bob.post(reverse("assessment:rate", args=[item.pk]), form_data("0", save="1"))
    html = bob.get(reverse("assessment:detail", args=[item.pk])).content.decode()
    assert "hidden until you submit" in html and "3 Adopter" not in html
    assert bob.get(reverse("assessment:export", args=[item.pk, "csv"])).status_code == 404


def test_submitting_needs_every_statement_answered(client_for, commissioner, council,
                                                   make_assessment):
    item = make_assessment(council)
    data = form_data("2", submit="1")
    del data["level_S6_3"]
    response = client_for(commissioner).post(reverse("assessment:rate", args=[item.pk]), data)
    assert response.status_code == 400
    assert "Choose a level for S6.3" in response.content.decode()
    assert not Rater.objects.filter(assessment=item).exists()


def test_action_plan_from_gaps_then_edited(client_for, commissioner, council, make_assessment):
    item = make_assessment(council, raters={commissioner: 1})
    alice = client_for(commissioner)
    assert alice.post(reverse("assessment:actions", args=[item.pk])).status_code == 302
    actions = list(Action.objects.filter(assessment=item))
    assert len(actions) == len(statements())
    assert {a.due for a in actions} == {date(2025, 9, 1)}  # 3 March + 182 days: a gap of 2 levels
    first = actions[0]
    response = alice.post(reverse("assessment:action_edit", args=[item.pk, first.pk]), {
        "text": "Agree a lots policy", "owner": "Head of Procurement", "due": "2025-06-30",
        "status": "started"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.owner, first.due, first.status) == ("Head of Procurement", date(2025, 6, 30),
                                                      "started")
    alice.post(reverse("assessment:actions", args=[item.pk]))  # again: nothing added twice
    assert Action.objects.filter(assessment=item).count() == len(statements())


def test_comparison_with_the_previous_assessment(client_for, commissioner, council,
                                                 make_assessment):
    make_assessment(council, date(2024, 3, 1), raters={commissioner: 1})
    later = make_assessment(council, date(2025, 3, 1), raters={commissioner: 2})
    html = client_for(commissioner).get(reverse("assessment:detail", args=[later.pk])).content
    text = html.decode()
    assert f"{len(statements())} statements improved, 0 declined" in text
    assert "+1.0" in text


def test_downloads_csv_xlsx_pdf_neutralised(client_for, commissioner, council, make_assessment):
    from openpyxl import load_workbook

    from keepitlocal.web.assessment import services
    from keepitlocal.web.assessment.models import Team

    item = make_assessment(council)
    services.save_ratings(item, commissioner, Team.PROCUREMENT,
                          [(s.id, 2, "=HYPERLINK(\"x\")", "-Bob") for s in statements()],
                          submit=True)
    alice = client_for(commissioner)
    csv_text = alice.get(reverse("assessment:export", args=[item.pk, "csv"])).content.decode(
        "utf-8-sig")
    assert "S6.3" in csv_text and "'-Bob" in csv_text
    book = load_workbook(io.BytesIO(
        alice.get(reverse("assessment:export", args=[item.pk, "xlsx"])).content))
    assert book.sheetnames == ["Profile", "Statements", "Ratings", "Actions"]
    evidence = [row[4] for row in book["Ratings"].iter_rows(min_row=2, values_only=True)]
    assert set(evidence) == {"'=HYPERLINK(\"x\")"}
    pdf = alice.get(reverse("assessment:export", args=[item.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert alice.get(reverse("assessment:export", args=[item.pk, "exe"])).status_code == 404


# --- isolation, roles, CSRF ---------------------------------------------------------------


def test_another_councils_assessment_action_and_champion_are_404(client_for, outsider, council,
                                                                  commissioner, make_assessment):
    item = make_assessment(council, raters={commissioner: 2})
    action = Action.objects.create(organisation=council, assessment=item, text="x")
    champion = Champion.objects.create(organisation=council, name="A", role="B", level="cabinet")
    eve = client_for(outsider)
    for name, args in (("detail", [item.pk]), ("rate", [item.pk]), ("actions", [item.pk]),
                       ("action_create", [item.pk]), ("action_edit", [item.pk, action.pk]),
                       ("export", [item.pk, "pdf"]), ("export", [item.pk, "csv"])):
        assert eve.get(reverse(f"assessment:{name}", args=args)).status_code == 404, name
    for name, args in (("rate", [item.pk]), ("actions", [item.pk]),
                       ("action_delete", [item.pk, action.pk])):
        assert eve.post(reverse(f"assessment:{name}", args=args)).status_code == 404, name
    assert eve.post(reverse("assessment:champion_delete", args=[champion.pk])).status_code == 404
    assert Action.objects.filter(pk=action.pk).exists()
    assert Champion.objects.filter(pk=champion.pk).exists()
    listing = eve.get(reverse("assessment:index")).content.decode()
    assert item.title not in listing
    network = eve.get(reverse("assessment:network")).content.decode()
    assert "No champions recorded yet" in network


def test_viewer_reads_but_cannot_change_anything(client_for, viewer, commissioner, council,
                                                 make_assessment):
    item = make_assessment(council, raters={commissioner: 2})
    action = Action.objects.create(organisation=council, assessment=item, text="x")
    champion = Champion.objects.create(organisation=council, name="A", role="B", level="cabinet")
    vic = client_for(viewer)
    assert vic.get(reverse("assessment:detail", args=[item.pk])).status_code == 200
    assert vic.get(reverse("assessment:actions", args=[item.pk])).status_code == 200
    assert vic.get(reverse("assessment:network")).status_code == 200
    for name, args in (("create", []), ("rate", [item.pk]), ("action_create", [item.pk]),
                       ("action_edit", [item.pk, action.pk])):
        assert vic.get(reverse(f"assessment:{name}", args=args)).status_code == 403, name
    for name, args, data in (
        ("create", [], {"title": "x", "assessed_on": "2025-01-01", "target_level": "3"}),
        ("rate", [item.pk], form_data("4", submit="1")),
        ("actions", [item.pk], {}),
        ("action_delete", [item.pk, action.pk], {}),
        ("network", [], {"conversation": "held"}),
        ("champion_add", [], {"name": "x", "role": "y", "level": "cabinet"}),
        ("champion_delete", [champion.pk], {}),
        ("compare", [], {"share": "yes"}),
    ):
        assert vic.post(reverse(f"assessment:{name}", args=args), data).status_code == 403, name
    assert Assessment.objects.count() == 1 and Action.objects.count() == 1
    assert Champion.objects.count() == 1


def test_an_editor_cannot_opt_the_council_in_only_an_admin_can(client_for, buyer, commissioner,
                                                               council):
    assert client_for(buyer).post(reverse("assessment:compare"), {"share": "yes"}).status_code == 403
    alice = client_for(commissioner)
    assert alice.post(reverse("assessment:compare"), {"share": "yes"}).status_code == 302
    assert "shares</strong> its latest" in alice.get(reverse("assessment:compare")).content.decode()


def test_csrf_is_required(commissioner, council, make_assessment):
    item = make_assessment(council)
    client = Client(enforce_csrf_checks=True)
    client.force_login(commissioner)
    for url, data in ((reverse("assessment:create"), {"title": "x"}),
                      (reverse("assessment:rate", args=[item.pk]), form_data("2", submit="1")),
                      (reverse("assessment:actions", args=[item.pk]), {}),
                      (reverse("assessment:compare"), {"share": "yes"})):
        assert client.post(url, data).status_code == 403
    assert not Rater.objects.exists()


# --- membership and the network -----------------------------------------------------------


def test_membership_is_pending_until_all_four_commitments_are_met(client_for, commissioner,
                                                                   council):
    alice = client_for(commissioner)
    url = reverse("assessment:network")
    assert "Not started" in alice.get(url).content.decode()
    alice.post(url, {"endorsed_on": "2024-11-20", "conversation": "planned",
                     "conversation_on": "2026-05-14"})
    assert "Pending" in alice.get(url).content.decode()
    for name, level in (("Cllr A", "cabinet"), ("B Person", "senior leadership")):
        alice.post(reverse("assessment:champion_add"), {"name": name, "role": "Lead",
                                                        "level": level})
    alice.post(url, {"endorsed_on": "2024-11-20", "conversation": "planned",
                     "conversation_on": "2026-05-14", "working_with_locality": "on"})
    html = alice.get(url).content.decode()
    assert "Member" in html and "Cllr A" in html and "Senior leadership team" in html


def test_network_comparison_shows_only_aggregates_of_enough_sharing_councils(
        make_org, make_member, client_for, make_assessment):
    from keepitlocal.web.assessment.models import ComparisonOptIn

    councils = [make_org(f"Council {n}", kind="council") for n in range(MIN_GROUP)]
    users = [make_member(f"c{n}@example.org", c, "admin") for n, c in enumerate(councils)]
    for n, (c, u) in enumerate(zip(councils, users, strict=True)):
        make_assessment(c, raters={u: n % 5})
    for c in councils[:-1]:
        ComparisonOptIn.objects.create(organisation=c)
    url = reverse("assessment:compare")
    html = client_for(users[0]).get(url).content.decode()
    assert f"Fewer than {MIN_GROUP} councils: not shown" in html
    assert "Council 1" not in html and "Council 2" not in html
    ComparisonOptIn.objects.create(organisation=councils[-1])
    html = client_for(users[0]).get(url).content.decode()
    assert "not shown" not in html and "2.0" in html  # median of 0, 1, 2, 3, 4
    assert "2 of 5" in html  # councils at Adopter or above
    for other in councils[1:]:
        assert other.name not in html


def test_the_demo_loads_calderdales_two_assessments(db):
    from keepitlocal.web.demo import load_demo

    data = load_demo()
    load_demo()  # idempotent
    items = list(Assessment.objects.for_org(data.council))
    assert [a.assessed_on.year for a in items] == [2026, 2025]
    assert all(a.raters.filter(submitted_at__isnull=False).count() == 2 for a in items)
    assert Action.objects.for_org(data.council).exists()
    assert Champion.objects.for_org(data.council).count() == 2


def test_answers_helper_covers_every_statement():
    assert len(answers(2)) == len(statements())


def test_an_incomplete_champion_is_refused_with_the_form_errors_shown(client_for, commissioner,
                                                                       council):
    response = client_for(commissioner).post(reverse("assessment:champion_add"), {"role": "x"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not Champion.objects.exists()
