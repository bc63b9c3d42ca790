"""The Calderdale asset map for `serve --demo`: the packaged demo registers (synthetic
organisations on real Calderdale postcodes, in the published layouts), built for the council."""

from __future__ import annotations

from django.core.files import File

from keepitlocal.assetmap.demo import DEMO_COUNCIL, demo_files
from keepitlocal.web import demo
from keepitlocal.web.assetmap.models import AssetMap, SourceKind

MAP_NAME = "Calderdale VCSE sector (demo registers)"


@demo.loader
def assetmap_demo(data: demo.DemoData) -> None:
    from keepitlocal.web.assetmap import services

    org = data.council
    if AssetMap.objects.for_org(org).filter(name=MAP_NAME).exists():
        return
    asset_map = services.map_create(org, MAP_NAME, org.lad_code or DEMO_COUNCIL)
    files = demo_files()
    kinds = [(SourceKind.CHARITY_COMMISSION, p) for p in files["charities"]]
    kinds += [(SourceKind.GRANTS, files["grants"][0]), (SourceKind.DIRECTORY,
                                                        files["directory"][0])]
    for kind, path in kinds:
        with path.open("rb") as handle:
            services.file_add(asset_map, kind, File(handle, name=path.name), data.user)
    run = services.build_create(asset_map)
    services.build_execute(run.pk)
