from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "keepitlocal.web.assessment"
    label = "assessment"
    verbose_name = "Keep it Local self-assessment"

    def ready(self) -> None:
        from keepitlocal.web.assessment import demo  # noqa: F401  (registers the demo loader)
