"""The shared layout, GOV.UK form rendering and the navigation registry."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from keepitlocal.web.core import nav
from keepitlocal.web.core.context_processors import active_nav_key


class _Example(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the contract.")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")],
                             widget=forms.RadioSelect)
    agree = forms.BooleanField(label="I agree")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    code = forms.CharField(label="Code", widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))


def test_forms_render_with_govuk_markup_and_linked_errors():
    html = str(_Example(data={"notes": "x"}))
    assert 'class="govuk-error-summary"' in html
    assert 'href="#id_name"' in html and 'href="#id_kind_0"' in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in html
    assert 'class="govuk-textarea"' in html
    assert 'class="govuk-radios"' in html and 'class="govuk-radios__input"' in html
    assert '<legend class="govuk-fieldset__legend' in html
    assert 'class="govuk-checkboxes__input"' in html
    assert 'id="id_name_error"' in html and 'aria-describedby="id_name_helptext id_name_error"' in html
    assert '<label class="govuk-label govuk-label--s" for="id_name">Name</label>' in html


def test_valid_forms_show_no_error_summary():
    html = str(_Example(data={"name": "x", "kind": "a", "agree": "on", "code": "c"}))
    assert "govuk-error-summary" not in html and "--error" not in html


def test_placeholders_never_replace_a_registered_capability(monkeypatch):
    monkeypatch.setattr(nav, "_items", dict(nav._items))
    nav.register("lm3", "LM3", url_name="core:about", order=20)
    nav.register("lm3", "LM3", order=20)  # a late placeholder
    item = nav.get("lm3")
    assert item.url_name == "core:about" and not item.is_placeholder
    assert item.description  # kept from the placeholder
    assert [i.key for i in nav.items()][:2] == ["home", "lm3"]


def test_the_asset_map_has_replaced_its_placeholder():
    item = nav.get("assetmap")
    assert item is not None and not item.is_placeholder
    assert item.url == reverse("assetmap:index")


def test_the_framework_has_replaced_its_placeholder():
    item = nav.get("framework")
    assert item is not None and not item.is_placeholder
    assert item.url == reverse("framework:index")


def test_placeholders_link_to_coming_soon(client, org, admin, monkeypatch):
    client.force_login(admin)
    # every capability has its app now, so follow a placeholder of a capability still to come
    monkeypatch.setattr(nav, "_items", dict(nav._items))
    waiting = nav.register("later", "Later", order=99, description="Still to come.")
    assert waiting.url == reverse("core:coming_soon", kwargs={"key": "later"})
    response = client.get(waiting.url)
    assert b"Coming soon" in response.content
    assert b'aria-current="true"' in response.content
    assert client.get(reverse("core:coming_soon", kwargs={"key": "nope"})).status_code == 404


def test_active_nav_follows_the_url_namespace(rf, monkeypatch):
    from django.urls import resolve

    monkeypatch.setattr(nav, "_items", dict(nav._items))
    request = rf.get("/")
    request.resolver_match = resolve("/")
    assert active_nav_key(request) == "home"
    request.resolver_match = resolve("/soon/lm3/")
    assert active_nav_key(request) == "lm3"


def test_an_app_mounted_under_a_capability_highlights_it(rf):
    from django.urls import resolve

    request = rf.get("/framework/assessment/")
    request.resolver_match = resolve("/framework/assessment/")
    assert request.resolver_match.namespace == "assessment"
    assert active_nav_key(request) == "framework"


def test_layout_has_skip_link_landmarks_and_attribution(client, org, admin):
    client.force_login(admin)
    html = client.get(reverse("core:home")).content.decode()
    assert 'class="govuk-skip-link"' in html and 'id="main-content"' in html
    assert '<html lang="en-GB"' in html
    assert "Contains OS data © Crown copyright" in html
    assert "Calder Valley Community Trust" in html
    for forbidden in ("govuk-crest", "GDS Transport", "govuk-logo", "govuk-header__logotype"):
        assert forbidden not in html


def test_about_page_has_the_data_licences(client, db):
    html = client.get(reverse("core:about")).content.decode()
    assert "Open Government Licence v3.0" in html
    assert "Royal Mail copyright and database right 2025" in html
    assert "Land and Property Services" in html


def test_vendored_stylesheet_has_no_gds_font_or_crest():
    from pathlib import Path

    import keepitlocal.web.core as core

    css = (Path(core.__file__).parent / "static/govuk/govuk-frontend.min.css").read_text()
    assert "GDS Transport" not in css and "govuk-crest" not in css and "woff" not in css
    assert "font-family:arial,sans-serif" in css
