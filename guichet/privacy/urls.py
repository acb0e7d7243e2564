from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    # `token` is the request's secret access token, as on the status page.
    path("demande/<str:token>/mes-donnees/", views.held_data, name="held_data"),
    path("demande/<str:token>/mes-donnees.json", views.held_data_json, name="held_data_json"),
    path("demande/<str:token>/effacer-mes-donnees/", views.erase, name="erase"),
    path("donnees-effacees/", views.erased, name="erased"),
]
