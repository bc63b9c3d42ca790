from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "keepitlocal.web.framework"
    label = "framework"
    verbose_name = "Resilience framework"

    def ready(self) -> None:
        from keepitlocal.web.core import nav
        from keepitlocal.web.framework import demo  # noqa: F401  (registers the demo loader)

        nav.register("framework", "Resilience framework", url_name="framework:index", order=50)
