"""URLs of the registry pages, mounted in the back-office under registre/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.registry, name="registry"),
    path("importer/", views.upload, name="registry_upload"),
    path("verifications/", views.review_queue, name="registry_review"),
    path("verifications/<int:request_id>/accepter/", views.accept, name="registry_review_accept"),
    path("verifications/<int:request_id>/refuser/", views.reject, name="registry_review_reject"),
]
