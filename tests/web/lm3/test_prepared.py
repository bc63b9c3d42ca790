"""The survey pages' lookups built once (web.core.prepared) give what the ORM's `.first()` gives:
the same rows, the same typed values (dates, decimals) and the related rows already loaded."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.forms.models import model_to_dict

from keepitlocal.web.core.prepared import PreparedLookup
from keepitlocal.web.lm3 import services
from keepitlocal.web.lm3.models import ResponseSource, Supplier

pytestmark = pytest.mark.postcodes

by_org = PreparedLookup(
    lambda pk, organisation: Supplier.objects.select_related(
        "project", "project__organisation", "response"
    ).filter(pk=pk, project__organisation_id=organisation),
    pk=int, organisation=int,
)
by_name = PreparedLookup(
    lambda name: Supplier.objects.select_related("project").filter(name=name), name=str
)


def fields(obj: Any) -> dict[str, Any]:
    return {**model_to_dict(obj), "pk": obj.pk}


def test_the_same_rows_and_values_as_the_orm(project, org, django_assert_num_queries):
    answered, *others = list(project.suppliers.order_by("pk"))
    services.response_record(answered, local_staff_share=Decimal("0.25"),
                             local_supplier_share=Decimal("0.125"),
                             source=ResponseSource.SURVEY, respondent="Ann")
    for supplier in [answered, *others]:
        expected = Supplier.objects.select_related(
            "project", "project__organisation", "response"
        ).filter(pk=supplier.pk).first()
        with django_assert_num_queries(1):
            got = by_org.first(pk=supplier.pk, organisation=org.pk)
            assert got is not None
            response = getattr(got, "response", None)  # loaded with the row: no second query
            project_row, organisation = got.project, got.project.organisation
        assert fields(got) == fields(expected)
        assert fields(project_row) == fields(expected.project)
        assert fields(organisation) == fields(expected.project.organisation)
        if supplier == answered:
            assert response is not None
            assert fields(response) == fields(expected.response)
            assert response.local_supplier_share == Decimal("0.125")
            assert response.received_at == expected.response.received_at  # a datetime, not text
        else:
            assert response is None


def test_no_row_wrong_organisation_and_strings_that_look_like_sql(project, org, make_org):
    supplier = project.suppliers.first()
    assert by_org.first(pk=supplier.pk, organisation=make_org(name="Another").pk) is None
    assert by_org.first(pk=10**12, organisation=org.pk) is None
    assert by_name.first(name="Halifax Bakery").name == "Halifax Bakery"
    for name in ["x' OR '1'='1", "%", "_", "Halifax%", "\\"]:
        assert by_name.first(name=name) is None


def test_values_are_checked_and_each_thread_builds_its_own(project, org):
    supplier = project.suppliers.first()
    with pytest.raises(TypeError):
        by_org.first(pk=str(supplier.pk), organisation=org.pk)
    with pytest.raises(TypeError):
        by_org.first(pk=supplier.pk)
    with pytest.raises(TypeError):
        PreparedLookup(lambda when: Supplier.objects.filter(pk=when), when=float)
    # a compiled query holds its thread's connection: another thread builds its own
    mine = by_name._compiled()
    theirs: list[Any] = []
    thread = threading.Thread(target=lambda: theirs.append(by_name._compiled()))
    thread.start()
    thread.join()
    assert by_name._compiled() is mine and theirs[0] is not mine
    assert theirs[0].sql == mine.sql


def test_upsert_inserts_then_updates_only_the_named_fields(project):
    from datetime import timedelta

    from django.utils import timezone

    from keepitlocal.web.core.prepared import upsert
    from keepitlocal.web.lm3.models import SupplierResponse

    supplier = project.suppliers.first()
    first_time = timezone.now() - timedelta(days=2)

    def answer(staff: str, respondent: str, when: Any) -> None:
        upsert(SupplierResponse(supplier=supplier, local_staff_share=Decimal(staff),
                                local_supplier_share=Decimal("0.1"),
                                source=ResponseSource.SURVEY, respondent=respondent, note="",
                                received_at=when, updated_at=when),
               unique=("supplier",), update=("local_staff_share", "respondent", "updated_at"))

    answer("0.2", "Ann", first_time)
    stored = SupplierResponse.objects.get()
    assert (stored.local_staff_share, stored.respondent) == (Decimal("0.2"), "Ann")
    assert stored.received_at == first_time
    later = timezone.now()
    answer("0.35", "Bob", later)
    again = SupplierResponse.objects.get()  # still one row, the same one
    assert again.pk == stored.pk
    assert (again.local_staff_share, again.respondent, again.updated_at) == (
        Decimal("0.35"), "Bob", later)
    assert again.received_at == first_time  # not named in `update`: kept


@pytest.mark.django_db(transaction=True)  # the real commit, as a survey answer makes it
def test_an_upsert_touches_its_other_row_only_when_it_is_written(project, org):
    """The answer and the link's last use are one write: both land, or (when the answer is
    refused by the database) neither does."""
    from django.db import IntegrityError
    from django.utils import timezone

    from keepitlocal.web.core.prepared import Touch, upsert
    from keepitlocal.web.lm3.models import SURVEY_PURPOSE, SupplierResponse
    from keepitlocal.web.surveys.models import SurveyLink
    from keepitlocal.web.surveys.services import links_issue_many

    supplier, other = project.suppliers.order_by("pk")[:2]
    (_, _), (_, _) = links_issue_many([supplier, other], SURVEY_PURPOSE, org)
    link, other_link = SurveyLink.objects.order_by("target_id")
    when = timezone.now()

    def answer(staff: str, **extra: Any) -> SupplierResponse:
        return SupplierResponse(supplier=supplier, local_staff_share=Decimal(staff),
                                local_supplier_share=Decimal("0.1"),
                                source=ResponseSource.SURVEY, respondent="", note="",
                                received_at=when, updated_at=when, **extra)

    upsert(answer("0.2"), unique=("supplier",), update=("local_staff_share",),
           touch=Touch(SurveyLink, link.pk, "last_used_at", when))
    link.refresh_from_db()
    other_link.refresh_from_db()
    assert link.last_used_at == when and other_link.last_used_at is None
    assert SupplierResponse.objects.get().local_staff_share == Decimal("0.2")

    later = when + timedelta(minutes=5)
    with pytest.raises(IntegrityError):  # a supplier that does not exist: the write fails
        upsert(answer("0.3", supplier_id=10**9), unique=("supplier",),
               update=("local_staff_share",), touch=Touch(SurveyLink, link.pk, "last_used_at",
                                                          later))
    link.refresh_from_db()
    assert link.last_used_at == when  # not touched by the refused write
    assert SupplierResponse.objects.get().local_staff_share == Decimal("0.2")
