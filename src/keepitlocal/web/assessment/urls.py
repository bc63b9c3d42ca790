from django.urls import path

from keepitlocal.web.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("network/", views.network, name="network"),
    path("network/champions/", views.champion_add, name="champion_add"),
    path("network/champions/<int:champion_pk>/delete/", views.champion_delete,
         name="champion_delete"),
    path("compare/", views.compare, name="compare"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/actions/", views.actions, name="actions"),
    path("<int:pk>/actions/new/", views.action_edit, name="action_create"),
    path("<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path("<int:pk>/actions/<int:action_pk>/delete/", views.action_delete, name="action_delete"),
    path("<int:pk>/download/<str:fmt>", views.export, name="export"),
]
