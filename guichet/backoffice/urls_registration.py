"""URLs of the back-office registration pages (see guichet/backoffice/urls.py)."""

from django.urls import path

from . import views_registration

urlpatterns = [
    path("", views_registration.registration, name="registration"),
    path(
        "<int:request_id>/attestation/",
        views_registration.registration_receipt,
        name="registration_receipt",
    ),
]
