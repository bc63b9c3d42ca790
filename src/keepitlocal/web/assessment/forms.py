"""Forms: a new assessment, one rater's answers, an action, the membership record, a champion."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from keepitlocal.framework.principles import Statement, maturity_scale, principles, statements
from keepitlocal.web.assessment.models import (
    Action,
    Assessment,
    Champion,
    NetworkStatus,
    Rating,
    Team,
)
from keepitlocal.web.core.forms import PlainWords

DONT_KNOW = "x"
LEVELS = [(str(m.level), f"{m.level} {m.name}: {m.descriptor}") for m in maturity_scale()]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssessmentForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ("title", "assessed_on", "target_level")
        widgets: ClassVar[dict[str, Any]] = {"assessed_on": DATE}


def _key(statement: Statement) -> str:
    return statement.id.replace(".", "_")


class RatingForm(PlainWords, forms.Form):
    """One rater's answers: a level (or "don't know"), evidence and an owner per statement.

    A draft may leave statements unanswered; submitting needs an answer to every one.
    """

    team = forms.ChoiceField(label="Which team do you work in?", choices=Team.choices)

    def __init__(self, *args: Any, submitting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        for statement in statements():
            key = _key(statement)
            self.fields[f"level_{key}"] = forms.ChoiceField(
                label=f"{statement.id}. {statement.text}", required=False,
                choices=[*LEVELS, (DONT_KNOW, "Don't know")], widget=forms.RadioSelect,
            )
            self.fields[f"evidence_{key}"] = forms.CharField(
                label=f"Evidence for {statement.id} (optional)", required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"owner_{key}"] = forms.CharField(
                label=f"Who should own {statement.id}? (optional)", required=False,
                max_length=150, help_text="A name or a post, for the action plan.",
            )

    @staticmethod
    def initial_from(team: str, ratings: list[Rating]) -> dict[str, Any]:
        initial: dict[str, Any] = {"team": team}
        for rating in ratings:
            key = rating.statement.replace(".", "_")
            initial[f"level_{key}"] = DONT_KNOW if rating.level is None else str(rating.level)
            initial[f"evidence_{key}"] = rating.evidence
            initial[f"owner_{key}"] = rating.owner
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.submitting:
            for statement in statements():
                name = f"level_{_key(statement)}"
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Choose a level for {statement.id}, or "
                                         f"\"Don't know\", before you submit")
        return data

    def answers(self) -> list[tuple[str, int | None, str, str]]:
        """(statement, level or None for don't know, evidence, owner) for each one answered."""
        found = []
        for statement in statements():
            key = _key(statement)
            choice = self.cleaned_data.get(f"level_{key}")
            if not choice:
                continue
            found.append((statement.id, None if choice == DONT_KNOW else int(choice),
                          self.cleaned_data.get(f"evidence_{key}", ""),
                          self.cleaned_data.get(f"owner_{key}", "")))
        return found

    def groups(self) -> list[tuple[Any, list[tuple[Any, Any, Any]]]]:
        """(principle, [(level field, evidence field, owner field), ...]) for the template."""
        out = []
        for p in principles():
            rows = []
            for statement in statements():
                if statement.principle == p.id:
                    key = _key(statement)
                    rows.append((self[f"level_{key}"], self[f"evidence_{key}"],
                                 self[f"owner_{key}"]))
            out.append((p, rows))
        return out


class ActionForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Action
        fields = ("text", "owner", "due", "status")
        widgets: ClassVar[dict[str, Any]] = {"due": DATE, "text": forms.Textarea(attrs={"rows": 3})}


class NetworkStatusForm(PlainWords, forms.ModelForm):
    class Meta:
        model = NetworkStatus
        fields = ("endorsed_on", "conversation", "conversation_on", "working_with_locality",
                  "internal_processes", "notes")
        widgets: ClassVar[dict[str, Any]] = {"endorsed_on": DATE, "conversation_on": DATE,
                   "conversation": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}


class ChampionForm(PlainWords, forms.ModelForm):
    class Meta:
        model = Champion
        fields = ("name", "role", "level", "appointed_on")
        widgets: ClassVar[dict[str, Any]] = {"appointed_on": DATE, "level": forms.RadioSelect}
        labels: ClassVar[dict[str, Any]] = {"level": "Where they champion Keep it Local"}
