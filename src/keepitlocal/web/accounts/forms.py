"""Forms for signing up, signing in, organisations and invitations."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator

from keepitlocal.web.accounts.models import Organisation, OrganisationKind, Role, User
from keepitlocal.web.core.fields import AreaField
from keepitlocal.web.core.forms import PlainWords, field_of

EMAIL_ERRORS = {
    "required": "Enter your e-mail address",
    "invalid": "Enter an e-mail address in the correct format, like name@example.org",
}
EMAIL_MAX_LENGTH = 254  # the User model's e-mail column, and RFC 5321's limit
KIND_ERRORS = {"required": "Select what kind of organisation it is"}


def _council_area() -> AreaField:
    return AreaField(required=False, label="Council area (optional)", blank="Not chosen")


class EmailAuthenticationForm(PlainWords, AuthenticationForm):
    error_messages = {  # noqa: RUF012 - replaces AuthenticationForm's own, as Django documents
        "invalid_login": "Enter a correct e-mail address and password.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].error_messages["required"] = "Enter your e-mail address"
        # Django sets the length after the field is built, so no validator enforces it: without
        # one, an over-long address reaches authenticate() and the login-failure log's column.
        self.fields["username"].validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH))
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "spellcheck": "false"}
        )


class EmailPasswordResetForm(PlainWords, PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail address"
        self.fields["email"].error_messages.update(EMAIL_ERRORS)
        self.fields["email"].help_text = (
            "We will send a link to reset your password if this address has an account."
        )


class NewPasswordMixin(PlainWords, forms.Form):
    """Two password fields, checked against each other and the password validators."""

    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. Avoid common passwords and ones that are all numbers.",
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        error_messages={"required": "Confirm your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self) -> User | None:
        """The user the password is for (for the similarity check), if known yet."""
        return None

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError("The passwords do not match")
        return second

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # a ModelForm hook the stubs do not declare
        password = self.cleaned_data.get("password2")
        if password:
            try:
                password_validation.validate_password(password, self.password_user())
            except forms.ValidationError as error:
                self.add_error("password1", error)


class SignupForm(PlainWords, forms.Form):
    """Who is signing up, for which organisation: the password comes after the e-mailed link, so
    the answer never depends on whether the address already has an account."""

    full_name = forms.CharField(label="Your full name", max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}),
                                error_messages={"required": "Enter your full name"})
    email = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        help_text=("We will send a link to this address to finish setting up. "
                   "You will use it to sign in."),
        error_messages=EMAIL_ERRORS,
    )
    organisation_name = forms.CharField(
        label="Organisation name", max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": "Enter the name of your organisation"},
    )
    organisation_kind = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages=KIND_ERRORS,
    )
    lad_code = _council_area()
    field_order = ("full_name", "email", "organisation_name", "organisation_kind", "lad_code")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class SignupPasswordForm(NewPasswordMixin):
    """The last step of signing up, reached from the e-mailed link."""

    def __init__(self, *args: Any, email: str, full_name: str, **kwargs: Any) -> None:
        self.email, self.full_name = email, full_name
        super().__init__(*args, **kwargs)

    def password_user(self) -> User | None:
        return User(email=self.email, full_name=self.full_name)


class OrganisationForm(PlainWords, forms.ModelForm):
    lad_code = _council_area()

    class Meta:
        model = Organisation
        fields = ("name", "kind", "lad_code")
        labels: ClassVar[dict[str, str]] = {
            "name": "Organisation name",
            "kind": "What kind of organisation is it?",
        }
        widgets: ClassVar[dict[str, Any]] = {
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kind", forms.ChoiceField).choices = OrganisationKind.choices
        self.fields["kind"].error_messages.update(KIND_ERRORS)
        self.fields["name"].error_messages["required"] = "Enter the name of the organisation"


class InviteForm(PlainWords, forms.Form):
    email = forms.EmailField(
        label="Their e-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter their e-mail address",
                        "invalid": EMAIL_ERRORS["invalid"]},
    )
    role = forms.ChoiceField(
        label="What can they do?",
        choices=[
            (Role.VIEWER, "Viewer: can see everything, change nothing"),
            (Role.EDITOR, "Editor: can add and change data"),
            (Role.ADMIN, "Admin: can also invite and remove members"),
        ],
        initial=Role.EDITOR,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what they can do"},
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class AcceptInviteForm(NewPasswordMixin):
    full_name = forms.CharField(label="Your full name", max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}),
                                error_messages={"required": "Enter your full name"})
    field_order = ("full_name", "password1", "password2")

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def password_user(self) -> User | None:
        return User(email=self.email, full_name=self.cleaned_data.get("full_name", ""))


class MembershipForm(PlainWords, forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select a role"})


class SwitchOrganisationForm(PlainWords, forms.Form):
    organisation = forms.TypedChoiceField(
        label="Which organisation do you want to work in?", coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "Select an organisation"},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "organisation", forms.ChoiceField).choices = choices
