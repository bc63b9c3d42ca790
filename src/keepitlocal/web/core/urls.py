from django.urls import path

from keepitlocal.web.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("soon/<slug:key>/", views.coming_soon, name="coming_soon"),
]
