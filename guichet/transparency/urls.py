from django.urls import path

from . import views

app_name = "transparency"

# Stable addresses: the open data's files keep their names; scopes are named by department
# code and service kind, which do not change when a préfecture renames a motif.
urlpatterns = [
    path("", views.national, name="national"),
    path("donnees/", views.open_data, name="open_data"),
    path("donnees/file-attente.csv", views.open_data_csv, name="open_data_csv"),
    path("donnees/file-attente.json", views.open_data_json, name="open_data_json"),
    path("donnees/schema.json", views.open_data_schema, name="open_data_schema"),
    path("<str:code>/", views.prefecture, name="prefecture"),
    path("<str:code>/<slug:kind>/", views.service, name="service"),
]
