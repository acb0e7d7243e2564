from django.urls import include, path

from . import views

app_name = "backoffice"

# Object ids in URLs are named <int:request_id>, <int:site_id>, <int:rule_id>, … so one test can
# check every page against an agent of another préfecture.
urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("accueil/", views.checkin, name="checkin"),
    path("capacite/", include("guichet.backoffice.urls_planning")),
    path("enregistrer/", include("guichet.backoffice.urls_registration")),
    path("registre/", include("guichet.registry.urls")),
]
