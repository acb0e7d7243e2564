"""URLs of the back-office planning pages (see guichet/backoffice/urls.py)."""

from django.urls import path

from . import views_planning

urlpatterns = [
    path("", views_planning.planning_list, name="planning"),
    path("seance/", views_planning.planning_change, {"kind": "session"}, name="planning_session"),
    path("regle/", views_planning.planning_change, {"kind": "rule"}, name="planning_rule"),
    path(
        "fermeture/", views_planning.planning_change, {"kind": "closure"}, name="planning_closure"
    ),
]
