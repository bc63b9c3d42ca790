from django.apps import AppConfig


class Lm3Config(AppConfig):
    name = "keepitlocal.web.lm3"
    label = "lm3"
    verbose_name = "LM3"

    def ready(self) -> None:
        from keepitlocal.web.core import nav
        from keepitlocal.web.lm3 import demo  # noqa: F401 - registers the demo loader

        nav.register("lm3", "LM3", url_name="lm3:index", order=20)
