from django.contrib import admin

from keepitlocal.web.lm3.models import Lm3Project


@admin.register(Lm3Project)
class Lm3ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("name",)
    raw_id_fields = ("organisation", "created_by")
    readonly_fields = ("final_result",)
