from django.urls import path

from . import views

app_name = "booking"

urlpatterns = [
    path("demande/", views.start, name="start"),
]
