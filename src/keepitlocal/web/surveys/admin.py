from django.contrib import admin

from keepitlocal.web.surveys.models import SurveyLink


@admin.register(SurveyLink)
class SurveyLinkAdmin(admin.ModelAdmin):
    """Read-only: links are issued by the capabilities, and the token itself is never stored."""

    list_display = ("purpose", "organisation", "target_type", "target_id", "group", "expires_at",
                    "closed")
    list_filter = ("purpose", "closed")
    search_fields = ("group",)
    readonly_fields = tuple(f.name for f in SurveyLink._meta.fields)

    def has_add_permission(self, request: object) -> bool:
        return False
