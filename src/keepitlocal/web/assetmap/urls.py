from django.urls import path

from keepitlocal.web.assetmap import views

app_name = "assetmap"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="map"),
    path("<int:pk>/files/", views.upload, name="upload"),
    path("<int:pk>/files/<int:file_pk>/delete/", views.file_delete, name="file_delete"),
    path("<int:pk>/build/", views.build, name="build"),
    path("<int:pk>/organisations/<str:key>/", views.organisation, name="organisation"),
    path("<int:pk>/download/<str:fmt>", views.export, name="export"),
]
