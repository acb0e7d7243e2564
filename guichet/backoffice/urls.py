from django.urls import include, path

from . import views, views_auth

app_name = "backoffice"

# Object ids in URLs are named <int:request_id>, <int:site_id>, <int:rule_id>, … so one test can
# check every page against an agent of another préfecture.
urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("accueil/", views.checkin, name="checkin"),
    path("journal/", views.journal, name="journal"),
    path("connexion/", views_auth.Login.as_view(), name="login"),
    path("connexion/code/", views_auth.second_factor, name="second_factor"),
    path("deconnexion/", views_auth.logout, name="logout"),
    path("capacite/", include("guichet.backoffice.urls_planning")),
    path("enregistrer/", include("guichet.backoffice.urls_registration")),
    path("registre/", include("guichet.registry.urls")),
    path("", include("guichet.backoffice.urls_duplicates")),
]
