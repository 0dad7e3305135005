from django.urls import path

from . import views

app_name = "hazards"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("new/", views.report, name="report"),
    path("import/", views.import_ledger, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("stats/", views.statistics, name="stats"),
    path("cleared/", views.cleared, name="cleared"),
    path("standards/", views.standards, name="standards"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/listing/", views.listing_view, name="listing"),
    path("<int:pk>/dossier.docx", views.dossier_docx, name="dossier_docx"),
    path("<int:pk>/dossier.pdf", views.dossier_pdf, name="dossier_pdf"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("accept/", views.accept_batch, name="accept_batch"),
]
