"""The associations' space, mounted at /association/ (namespace `associations`)."""

from django.urls import path

from . import views

app_name = "associations"

urlpatterns = [
    path("", views.people, name="people"),
    path("deposer/", views.file_request, name="file"),
    path("personnes/<int:request_id>/", views.person, name="person"),
    path("personnes/<int:request_id>/attestation.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("mandats/<int:mandate_id>/revoquer/", views.revoke, name="revoke"),
]
