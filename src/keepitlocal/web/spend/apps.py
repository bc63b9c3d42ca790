from django.apps import AppConfig


class SpendConfig(AppConfig):
    name = "keepitlocal.web.spend"
    label = "spend"
    verbose_name = "Local spend"

    def ready(self) -> None:
        from keepitlocal.web.core import nav
        from keepitlocal.web.spend import demo  # noqa: F401 - registers the demo loader

        nav.register("spend", "Local spend", url_name="spend:index", order=30)
