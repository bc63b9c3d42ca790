from django.apps import AppConfig


class EnabledConfig(AppConfig):
    name = "keepitlocal.web.enabled"
    label = "enabled"
    verbose_name = "Enabled contribution"

    def ready(self) -> None:
        from keepitlocal.web.core import nav
        from keepitlocal.web.enabled import demo  # noqa: F401  (registers the demo loader)

        nav.register("enabled", "Enabled contribution", url_name="enabled:index", order=40)
