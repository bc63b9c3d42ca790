"""The tenant survey's forms and e-mails: the anchor e-mails each tenant a link; the tenant answers
without an account (the pages are `views.survey_send` and `views.survey`).

Links come from `keepitlocal.web.surveys` (purpose "enabled-tenant", one group per project), so
only a hash of each token is stored and a link works until it expires or the anchor closes the
survey. Every question is optional and explained in plain words; the answer is saved onto the
tenant's row, and the anchor sees who has answered.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django_tasks import task

from keepitlocal.web.core.forms import PlainWords, field_of
from keepitlocal.web.enabled.forms import TENANT_FACTS, TenantForm
from keepitlocal.web.enabled.models import EnabledProject, Tenant
from keepitlocal.web.surveys.services import (
    link_email,
    link_emails_send,
)

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

    sections: ClassVar[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
        ("What you do", "", ("description", "sic")),
        ("Your space", "", ("use_class", "floorspace_m2", "area_basis")),
        ("Your staff", "", ("fte", "headcount", "weekly_hours")),
        ("Money", "", ("turnover", "gva")),
    )

    class Meta(TenantForm.Meta):
        fields = TENANT_FACTS
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
