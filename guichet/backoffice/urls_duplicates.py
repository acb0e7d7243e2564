"""URLs of the identity pages: disputes, cancelling and merging (see guichet/backoffice/urls.py).

A dispute is named by the request whose person opened it (`request_id`), like every object here.
"""

from django.urls import path

from . import views_duplicates

urlpatterns = [
    path("contestations/", views_duplicates.disputes, name="disputes"),
    path(
        "contestations/<int:request_id>/trancher/",
        views_duplicates.settle_dispute,
        name="dispute_settle",
    ),
    path("demandes/", views_duplicates.requests, name="requests"),
    path("demandes/<int:request_id>/", views_duplicates.request_detail, name="request_detail"),
    path("demandes/<int:request_id>/annuler/", views_duplicates.cancel, name="request_cancel"),
    path("demandes/<int:request_id>/fusionner/", views_duplicates.merge, name="request_merge"),
    path(
        "demandes/<int:request_id>/remettre-dans-la-file/",
        views_duplicates.resume,
        name="request_resume",
    ),
]
