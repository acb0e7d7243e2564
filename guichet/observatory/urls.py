from django.urls import path

from . import views

app_name = "observatory"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.json", views.export_json, name="export_json"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("dossier/", views.dossier_create, name="dossier_create"),
    path("dossier/<str:token>/", views.dossier_detail, name="dossier"),
    path("dossier/<str:token>/dossier.pdf", views.dossier_pdf, name="dossier_pdf"),
    path(
        "dossier/<str:token>/preparer-le-pdf/",
        views.dossier_pdf_prepare,
        name="dossier_pdf_prepare",
    ),
    path(
        "dossier/<str:token>/lettre-au-prefet.txt",
        views.dossier_draft,
        {"draft": "letter"},
        name="dossier_letter",
    ),
    path(
        "dossier/<str:token>/bordereau-des-pieces.txt",
        views.dossier_draft,
        {"draft": "exhibits"},
        name="dossier_exhibits",
    ),
]
