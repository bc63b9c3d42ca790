from django.apps import AppConfig


class AssetMapConfig(AppConfig):
    name = "keepitlocal.web.assetmap"
    label = "assetmap"
    verbose_name = "VCSE asset map"

    def ready(self) -> None:
        from keepitlocal.web.assetmap import demo  # noqa: F401  (registers the demo loader)
        from keepitlocal.web.core import nav

        nav.register("assetmap", "VCSE map", url_name="assetmap:index", order=60)
