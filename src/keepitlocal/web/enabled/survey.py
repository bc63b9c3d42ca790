"""The tenant survey: the anchor e-mails each tenant a link; the tenant answers without an account.

Links come from `keepitlocal.web.surveys` (purpose "enabled-tenant", one group per project), so
only a hash of each token is stored and a link works until it expires or the anchor closes the
survey. Every question is optional and explained in plain words; the answer is saved onto the
tenant's row, and the anchor sees who has answered.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_tasks import task

from keepitlocal.web.accounts.access import org_required
from keepitlocal.web.accounts.models import Role
from keepitlocal.web.core.forms import PlainWords, field_of
from keepitlocal.web.core.http import OrgRequest
from keepitlocal.web.enabled.forms import InviteTenantForm, TenantForm
from keepitlocal.web.enabled.models import EnabledProject, Source, Tenant, name_key
from keepitlocal.web.surveys.services import (
    link_email,
    link_emails_send,
    link_issue,
    link_mark_used,
)
from keepitlocal.web.surveys.views import survey_link_view

PURPOSE = "enabled-tenant"

# Plain words for the kinds of space a tenant may use (the HCA use classes behind them).
SPACE_CHOICES = [
    ("", "Not sure"),
    ("B1a", "Office"),
    ("B1c", "Workshop or studio (light industry, making things)"),
    ("B2", "Factory or industrial unit"),
    ("B8", "Storage or distribution"),
    ("A1", "Shop"),
    ("A3", "Café or restaurant"),
    ("D1", "Community space: hall, nursery, clinic, classroom"),
    ("D2-fitness", "Gym, fitness or sports space"),
]


def group(project: EnabledProject) -> str:
    return f"enabled-project:{project.pk}"


class TenantSurveyForm(TenantForm):
    """What the tenant is asked: every field optional, each explained without jargon."""

    description = forms.CharField(
        label="What does your organisation do?",
        required=False,
        max_length=500,
        help_text="In a few words, for example \"a café\", \"a children's nursery\" or "
        "\"graphic design\".",
    )

    class Meta(TenantForm.Meta):
        fields = (
            "sic",
            "use_class",
            "floorspace_m2",
            "area_basis",
            "fte",
            "headcount",
            "weekly_hours",
            "turnover",
            "gva",
        )
        labels: ClassVar[dict[str, Any]] = {
            "sic": "Your SIC code (optional)",
            "use_class": "What kind of space do you use?",
            "area_basis": "How was the floor area measured?",
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "sic": "The Standard Industrial Classification code of what you do, for example "
            "56.10 for a café. Companies House lists it for a company. Leave it blank if you "
            "are not sure.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["use_class"].widget = forms.Select(choices=SPACE_CHOICES)
        field_of(self, "area_basis", forms.ChoiceField).choices = [
            ("NIA", "The usable floor inside the walls (what a lease usually gives)"),
            ("GIA", "Everything inside the outer walls, including corridors and stairs"),
            ("GEA", "Including the thickness of the outer walls"),
            ("", "Not sure"),
        ]
        self.fields["floorspace_m2"].label = "How much floor space do you use, in square metres?"
        self.fields["floorspace_m2"].help_text = "A rough figure is fine. 10 feet by 10 feet is " \
            "about 9 m²."
        self.fields["fte"].label = "How many full-time equivalent staff do you have?"
        self.fields["fte"].help_text = "Count two half-time workers as 1. Leave blank if you " \
            "do not know, and answer the next two questions instead."
        self.fields["headcount"].label = "How many people work for you?"
        self.fields["headcount"].help_text = "Paid staff, full-time and part-time."
        self.fields["weekly_hours"].label = "On average, how many hours a week does each work?"
        self.fields["weekly_hours"].help_text = "With the number of people, this tells us how " \
            "many full-time jobs that makes."
        self.fields["turnover"].label = "What was your turnover last year, in pounds?"
        self.fields["turnover"].help_text = "Your total income from sales, grants and fees. " \
            "Leave blank if you would rather not say."
        self.fields["gva"].label = "Do you know your gross value added (GVA), in pounds?"
        self.fields["gva"].help_text = "Only if your accountant has worked it out. Roughly, " \
            "your wages plus your profit. Most organisations leave this blank."


def save_answer(tenant: Tenant, form: TenantSurveyForm) -> Tenant:
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


@task()
def send_survey_emails(items: list[list[Any]]) -> int:
    """E-mail each tenant its link: items are [tenant id, survey URL]."""
    tenants = Tenant.objects.select_related("project", "organisation").in_bulk(
        [tenant_id for tenant_id, _ in items]
    )
    messages_out = []
    for tenant_id, url in items:
        tenant = tenants.get(tenant_id)
        if tenant is None or not tenant.contact_email:
            continue
        messages_out.append(
            link_email(
                to=tenant.contact_email,
                subject=f"{tenant.organisation}: a short survey about your organisation",
                template="enabled/email/survey.txt",
                context={"tenant": tenant, "project": tenant.project, "url": url},
                organisation=tenant.organisation,
            )
        )
    return link_emails_send(messages_out)


class TenantChoiceField(forms.ModelMultipleChoiceField):
    """Tenants with their address and whether they have answered yet."""

    def label_from_instance(self, obj: Tenant) -> str:
        if obj.survey_answered_at:
            state = " – answered"
        elif obj.survey_sent_at:
            state = " – sent, no answer yet"
        else:
            state = ""
        return f"{obj.name} ({obj.contact_email}){state}"


class SendForm(PlainWords, forms.Form):
    tenants = TenantChoiceField(
        queryset=Tenant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Send the survey to",
        error_messages={"required": "Choose at least one tenant to send the survey to"},
    )

    def __init__(self, *args: Any, project: EnabledProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "tenants", TenantChoiceField).queryset = (
            project.tenants.exclude(contact_email=""))


@org_required(role=Role.EDITOR)
@require_http_methods(["GET", "POST"])
def survey_send(request: OrgRequest, pk: int) -> HttpResponse:
    project = EnabledProject.objects.for_org(request.org).get(pk=pk)
    invite = InviteTenantForm(request.POST if "add" in request.POST else None)
    send = SendForm(request.POST if "send" in request.POST else None, project=project,
                    initial={"tenants": project.tenants.exclude(contact_email="")
                             .filter(survey_answered_at__isnull=True)})
    if "add" in request.POST and invite.is_valid():
        data = invite.cleaned_data
        name = " ".join(data["name"].split())
        if any(name_key(t.name) == name_key(name) for t in project.tenants.all()):
            invite.add_error("name", "There is already a tenant with this name this year")
        else:
            Tenant.objects.create(
                organisation=request.org, project=project, name=name,
                contact_name=data["contact_name"], contact_email=data["contact_email"],
                source=Source.INVITED,
            )
            messages.success(request, f"{name} is added. Send the survey when you are ready.")
            return redirect("enabled:survey_send", pk=project.pk)
    if "send" in request.POST and send.is_valid():
        chosen = list(send.cleaned_data["tenants"])
        items = []
        for tenant in chosen:
            token = link_issue(tenant, PURPOSE, request.org, group=group(project))
            url = request.build_absolute_uri(reverse("enabled:survey", args=[token]))
            items.append([tenant.pk, url])
        send_survey_emails.enqueue(items)
        now = timezone.now()
        Tenant.objects.filter(pk__in=[t.pk for t in chosen]).update(survey_sent_at=now)
        messages.success(request, f"The survey is on its way to {len(chosen)} tenant"
                                  f"{'s' if len(chosen) != 1 else ''}.")
        return redirect("enabled:project", pk=project.pk)
    return render(request, "enabled/survey_send.html", {
        "project": project, "invite": invite, "send": send,
        "tenants": list(project.tenants.all()),
        "without_email": [t for t in project.tenants.all() if not t.contact_email],
    })


@survey_link_view(PURPOSE)
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, link: Any, token: str) -> HttpResponse:
    """Public: the tenant's survey, reached only through its e-mailed link."""
    tenant = Tenant.objects.select_related("project", "organisation").get(
        pk=link.target_id, organisation=link.organisation
    )
    form = TenantSurveyForm(request.POST if request.method == "POST" else None,
                            instance=tenant, project=tenant.project)
    if request.method == "POST" and form.is_valid():
        save_answer(tenant, form)
        link_mark_used(link)
        return render(request, "enabled/survey_thanks.html", {"tenant": tenant})
    return render(request, "enabled/survey.html", {"form": form, "tenant": tenant,
                                                   "project": tenant.project})
