from django.urls import path

from keepitlocal.web.lm3 import views

app_name = "lm3"

project = "<int:pk>/"

urlpatterns = [
    # first: a supplier's survey link is the address most asked for under survey load
    path("survey/<str:token>/", views.survey, name="survey"),
    path("", views.index, name="index"),
    path("new/", views.project_create, name="create"),
    path("import/", views.project_import, name="import"),
    path("suppliers-template.csv", views.template_csv, name="template_csv"),
    path("suppliers-template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("staff-template.csv", views.template_csv, {"kind": "staff"}, name="staff_template_csv"),
    path("staff-template.xlsx", views.template_xlsx, {"kind": "staff"},
         name="staff_template_xlsx"),
    path("assets/plotly.min.js", views.plotly_js, name="plotly_js"),
    path(project, views.overview, name="overview"),
    path(project + "edit/", views.project_edit, name="edit"),
    path(project + "delete/", views.project_delete, name="delete"),
    path(project + "area/", views.area, name="area"),
    path(project + "budget/", views.budget, name="budget"),
    path(project + "staff/<int:member>/remove/", views.staff_remove, name="staff_remove"),
    path(project + "costs/<int:cost>/remove/", views.cost_remove, name="cost_remove"),
    path(project + "suppliers/", views.suppliers, name="suppliers"),
    path(project + "suppliers/add/", views.supplier_add, name="supplier_add"),
    path(project + "suppliers/<int:supplier>/", views.supplier_detail, name="supplier"),
    path(project + "suppliers/<int:supplier>/response/", views.supplier_response,
         name="supplier_response"),
    path(project + "suppliers/<int:supplier>/remind/", views.supplier_remind,
         name="supplier_remind"),
    path(project + "suppliers.csv", views.suppliers_csv, name="suppliers_csv"),
    path(project + "uploads/<int:upload>/", views.upload_preview, name="upload"),
    path(project + "uploads/<int:upload>/rows/<int:row>/", views.upload_row, name="upload_row"),
    path(project + "uploads/<int:upload>/import/", views.upload_import, name="upload_import"),
    path(project + "uploads/<int:upload>/cancel/", views.upload_cancel, name="upload_cancel"),
    path(project + "uploads/<int:upload>/problems.csv", views.upload_problems_csv,
         name="upload_problems_csv"),
    path(project + "notify/", views.notify, name="notify"),
    path(project + "remind/", views.remind_all, name="remind_all"),
    path(project + "progress/", views.progress, name="progress"),
    path(project + "progress.json", views.progress_json, name="progress_json"),
    path(project + "results/", views.results, name="results"),
    path(project + "results.pdf", views.results_pdf, name="results_pdf"),
    path(project + "results.csv", views.results_csv, name="results_csv"),
    path(project + "close/", views.close, name="close"),
    path(project + "reopen/", views.reopen, name="reopen"),
    path(project + "export.json", views.export_json, name="export_json"),
    path(project + "export.xlsx", views.export_xlsx, name="export_xlsx"),
]
