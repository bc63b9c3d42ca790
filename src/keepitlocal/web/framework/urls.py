from django.urls import path

from keepitlocal.web.framework import views

app_name = "framework"

plan = "<int:pk>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("indicators/", views.bank, name="bank"),
    path("new/", views.plan_create, name="plan_create"),
    path(plan, views.plan_detail, name="plan"),
    path(plan + "theory/", views.theory, name="theory"),
    path(plan + "area/", views.area, name="area"),
    path(plan + "steps/", views.steps, name="steps"),
    path(plan + "indicators/add/", views.indicator_add, name="indicator_add"),
    path(plan + "indicators/new/", views.indicator_edit, name="indicator_create"),
    path(plan + "indicators/<int:indicator_pk>/", views.indicator_detail, name="indicator"),
    path(plan + "indicators/<int:indicator_pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path(
        plan + "indicators/<int:indicator_pk>/record/",
        views.measurement_record,
        name="measurement_record",
    ),
    path(
        plan + "indicators/<int:indicator_pk>/link/<str:feed>/", views.feed_link, name="feed_link"
    ),
    path(
        plan + "values/<int:measurement_pk>/correct/",
        views.measurement_correct,
        name="measurement_correct",
    ),
    path(
        plan + "values/<int:measurement_pk>/check/",
        views.measurement_check,
        name="measurement_check",
    ),
    path(plan + "values/<int:measurement_pk>/evidence/", views.evidence_add, name="evidence_add"),
    path(plan + "evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
    path(
        plan + "evidence/<int:evidence_pk>/remove/", views.evidence_remove, name="evidence_remove"
    ),
    path(plan + "report/", views.report, name="report"),
    path(plan + "report.<str:fmt>", views.report_download, name="report_download"),
]
