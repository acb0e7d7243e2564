from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("accueil/", views.checkin, name="checkin"),
]
