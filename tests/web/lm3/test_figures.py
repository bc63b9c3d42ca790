"""The pages show the engine's figures: one computation, one rounding rule, the project's own
thresholds."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template
from django.urls import reverse

from keepitlocal import lm3
from keepitlocal.lm3.report import render_text
from keepitlocal.web.lm3 import selectors, services
from keepitlocal.web.lm3.models import ResponseSource


def test_with_no_suppliers_the_progress_share_is_the_engines_zero(client, admin, make_project,
                                                                   org):
    """Corrected copy: the page's own share said 1 (100%) with no supplier spend; the engine says
    0. The rating is the engine's too: green, as there is nothing to survey."""
    project = make_project(org, suppliers=[])
    progress = selectors.supplier_progress(project)
    assert progress.share == Decimal(0) == lm3.run(
        services.lm3_project_build(project)).supplier_value_responded_share
    assert progress.confidence == "green"
    client.force_login(admin)
    data = client.get(reverse("lm3:progress_json", args=[project.pk])).json()
    assert (data["share"], data["share_percent"]) == ("0.0000", "0.0%")


def test_the_results_page_names_the_projects_own_green_threshold(client, admin, project):
    client.force_login(admin)
    project.proxies = {"confidence_green": "0.6"}
    project.save()
    page = client.get(reverse("lm3:results", args=[project.pk])).content.decode()
    assert "until this reaches 60%" in page and "50%" not in page


def test_a_share_of_42_65_percent_reads_42_7_on_the_page_and_in_the_command(client, admin,
                                                                            make_project, org):
    """Half-up everywhere: the page used to round half-even (42.6%) where the command said 42.7%."""
    project = make_project(org, suppliers=[
        ("Halifax Bakery", "4265.00", True, "bakery@example.org"),
        ("Leeds Print Ltd", "5735.00", False, "print@example.org"),
    ])
    services.response_record(project.suppliers.get(name="Halifax Bakery"),
                             local_staff_share=Decimal("0.5"),
                             local_supplier_share=Decimal("0.2"), source=ResponseSource.PHONE)
    result = services.lm3_result_compute(project)
    assert result.supplier_value_responded_share == Decimal("0.4265")
    assert "hold 42.7% of supplier spend" in render_text(result)
    client.force_login(admin)
    page = client.get(reverse("lm3:results", args=[project.pk])).content.decode()
    assert "hold 42.7% of supplier spend" in page
    progress = client.get(reverse("lm3:progress", args=[project.pk])).content.decode()
    assert "42.7%" in progress
    assert Template("{% load kil_format %}{{ v|percent }}").render(
        Context({"v": Decimal("0.4265")})) == "42.7%"
