"""The site's URLs: each capability's app adds one include() here under its own namespace."""

from django.contrib import admin
from django.urls import include, path

from keepitlocal.web.spend.admin import registers as admin_registers

admin.site.site_header = "keepitlocal administration"
admin.site.site_title = "keepitlocal"
admin.site.index_template = "spend/admin_index.html"  # adds the national registers page

# Addresses are tried in order. The apps under their own prefix come first, so that a supplier's
# survey link (the busiest address under survey load, first in lm3's list) is found in two steps,
# not after every pattern of the apps mounted at the root.
urlpatterns = [
    path("lm3/", include("keepitlocal.web.lm3.urls")),
    path("spend/", include("keepitlocal.web.spend.urls")),
    path("framework/assessment/", include("keepitlocal.web.assessment.urls")),
    path("framework/", include("keepitlocal.web.framework.urls")),
    path("assetmap/", include("keepitlocal.web.assetmap.urls")),
    path("admin/registers/", admin.site.admin_view(admin_registers), name="admin_registers"),
    path("admin/", admin.site.urls),
    path("", include("keepitlocal.web.core.urls")),
    path("", include("keepitlocal.web.accounts.urls")),
    path("", include("keepitlocal.web.enabled.urls")),
]
