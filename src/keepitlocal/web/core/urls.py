from django.urls import path

from keepitlocal.web.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("soon/<slug:key>/", views.coming_soon, name="coming_soon"),
    path("uploads/<int:pk>/", views.upload_job, name="upload_job"),
    path("uploads/<int:pk>.json", views.upload_job_json, name="upload_job_json"),
    path("uploads/<int:pk>/cancel/", views.upload_job_cancel, name="upload_job_cancel"),
]
