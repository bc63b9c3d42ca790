from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "keepitlocal.web.core"
    label = "core"
    verbose_name = "keepitlocal core"
