"""The spend by district goes into the figures downloads, as the engine computed it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from keepitlocal.web.accounts.access import SESSION_KEY

pytestmark = [pytest.mark.postcodes, pytest.mark.django_db]


def test_districts_in_the_figures_csv(client, council, editor, analysed):
    client.force_login(editor)
    session = client.session
    session[SESSION_KEY] = council.pk
    session.save()
    districts = analysed.latest_result_run.result["by_district"]
    assert districts, "the fixture's suppliers are placed in districts"
    text = client.get(reverse("spend:figures_csv", args=[analysed.pk])).content.decode()
    # long format: section, item (the district code), measure, value
    for d in districts:
        code = d["code"]
        assert f"Districts,{code},District,{d['name']}\r\n" in text
        assert f"Districts,{code},Spend,{d['spend']}\r\n" in text
        assert f"Districts,{code},Share,{d['share']}\r\n" in text
        assert f"Districts,{code},Suppliers,{d['suppliers']}\r\n" in text
        council_district = "yes" if d["council"] else "no"
        assert f"Districts,{code},The council's district,{council_district}\r\n" in text
