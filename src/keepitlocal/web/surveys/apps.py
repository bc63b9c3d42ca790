from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "keepitlocal.web.surveys"
    label = "surveys"
    verbose_name = "Survey links"
