from django.urls import path

from keepitlocal.web.spend import rule_views, views

app_name = "spend"

analysis = "<int:pk>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("help/tiers/", views.tiers_help, name="tiers_help"),
    path(analysis, views.overview, name="overview"),
    path(analysis + "edit/", views.edit, name="edit"),
    path(analysis + "delete/", views.delete, name="delete"),
    path(analysis + "files/", views.files, name="files"),
    path(analysis + "ledgers/<int:ledger>/columns/", views.columns, name="columns"),
    path(analysis + "ledgers/<int:ledger>/remove/", views.ledger_remove, name="ledger_remove"),
    path(analysis + "ledgers/<int:ledger>/leave-out/", views.ledger_leave_out,
         name="ledger_leave_out"),
    path(analysis + "register/<int:register>/remove/", views.register_remove,
         name="register_remove"),
    path(analysis + "national/<int:national>/remove/", views.national_remove,
         name="national_remove"),
    path(analysis + "rules/", rule_views.rules, name="rules"),
    path(analysis + "rules/<int:index>/", rule_views.rule_edit, name="rule_edit"),
    path(analysis + "rules/<int:index>/remove/", rule_views.rule_remove, name="rule_remove"),
    path(analysis + "rules/reset/", rule_views.rules_reset, name="rules_reset"),
    path(analysis + "run/", views.run, name="run"),
    path(analysis + "runs/<int:run_id>/", views.run_status, name="run_status"),
    path(analysis + "runs/<int:run_id>.json", views.run_json, name="run_json"),
    path(analysis + "dashboard/", views.dashboard, name="dashboard"),
    path(analysis + "lines/", views.lines, name="lines"),
    path(analysis + "lines.csv", views.lines_csv, name="lines_csv"),
    path(analysis + "review/", views.review, name="review"),
    path(analysis + "review/decisions/<int:decision>/remove/", views.decision_remove,
         name="decision_remove"),
    path(analysis + "figures.csv", views.figures_csv, name="figures_csv"),
    path(analysis + "figures.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path(analysis + "summary.pdf", views.summary_pdf, name="summary_pdf"),
]
