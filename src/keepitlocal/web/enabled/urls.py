from django.urls import path

from keepitlocal.web.enabled import views

app_name = "enabled"

urlpatterns = [
    path("enabled/", views.index, name="index"),
    path("enabled/new/", views.project_create, name="project_create"),
    path("enabled/compare/", views.compare, name="compare"),
    path("enabled/network/", views.network, name="network"),
    path("enabled/<int:pk>/", views.project_detail, name="project"),
    path("enabled/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("enabled/<int:pk>/delete/", views.project_delete, name="project_delete"),
    path("enabled/<int:pk>/tenants/new/", views.tenant_edit, name="tenant_create"),
    path("enabled/<int:pk>/tenants/<int:tenant_pk>/", views.tenant_edit, name="tenant_edit"),
    path(
        "enabled/<int:pk>/tenants/<int:tenant_pk>/delete/",
        views.tenant_delete,
        name="tenant_delete",
    ),
    path("enabled/<int:pk>/upload/", views.upload, name="upload"),
    path("enabled/<int:pk>/overrides/", views.overrides, name="overrides"),
    path(
        "enabled/<int:pk>/overrides/<int:override_pk>/delete/",
        views.override_delete,
        name="override_delete",
    ),
    path("enabled/<int:pk>/share/", views.share, name="share"),
    path(
        "enabled/<int:pk>/share/<int:share_pk>/delete/", views.share_delete, name="share_delete"
    ),
    path("enabled/<int:pk>/download/<str:fmt>", views.export, name="export"),
    path("enabled/<int:pk>/survey/", views.survey_send, name="survey_send"),
    # public: reached only through the link e-mailed to a tenant
    path("enabled/survey/<str:token>/", views.survey, name="survey"),
]
