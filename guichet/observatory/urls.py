from django.urls import include, path

from . import views

app_name = "observatory"

# A dossier's pages, below its address dossier/<token>/.
dossier_pages = [
    path("", views.dossier_detail, name="dossier"),
    path("dossier.pdf", views.dossier_pdf, name="dossier_pdf"),
    path("preparer-le-pdf/", views.dossier_pdf_prepare, name="dossier_pdf_prepare"),
    path("lettre-au-prefet.txt", views.dossier_draft, {"draft": "letter"}, name="dossier_letter"),
    path(
        "bordereau-des-pieces.txt",
        views.dossier_draft,
        {"draft": "exhibits"},
        name="dossier_exhibits",
    ),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("export.json", views.export_json, name="export_json"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("dossier/", views.dossier_create, name="dossier_create"),
    path("dossier/<str:token>/", include(dossier_pages)),
]
