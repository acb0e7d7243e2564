from django.urls import include, path

from .views import auth, counter, duplicates, journal, planning, registration

app_name = "backoffice"

# Object ids in URLs are named <int:request_id>, <int:site_id>, <int:rule_id>, … so one test can
# check every page against an agent of another préfecture.
urlpatterns = [
    # The day's agenda and the check-in screen (views/counter.py); the journal (views/journal.py).
    path("", counter.agenda, name="agenda"),
    path("accueil/", counter.checkin, name="checkin"),
    path("journal/", journal.journal, name="journal"),
    # Logging in (views/auth.py).
    path("connexion/", auth.Login.as_view(), name="login"),
    path("connexion/code/", auth.second_factor, name="second_factor"),
    path("deconnexion/", auth.logout, name="logout"),
    # Capacity planning (views/planning.py).
    path("capacite/", planning.planning_list, name="planning"),
    path(
        "capacite/seance/", planning.planning_change, {"kind": "session"}, name="planning_session"
    ),
    path("capacite/regle/", planning.planning_change, {"kind": "rule"}, name="planning_rule"),
    path(
        "capacite/fermeture/",
        planning.planning_change,
        {"kind": "closure"},
        name="planning_closure",
    ),
    # Registering a request on someone's behalf (views/registration.py).
    path("enregistrer/", registration.registration, name="registration"),
    path(
        "enregistrer/<int:request_id>/attestation/",
        registration.registration_receipt,
        name="registration_receipt",
    ),
    path("registre/", include("guichet.registry.urls")),
    # Identity: disputes, cancelling and merging (views/duplicates.py). A dispute is named by the
    # request whose person opened it (`request_id`), like every object here.
    path("contestations/", duplicates.disputes, name="disputes"),
    path(
        "contestations/<int:request_id>/trancher/",
        duplicates.settle_dispute,
        name="dispute_settle",
    ),
    path("demandes/", duplicates.requests, name="requests"),
    path("demandes/<int:request_id>/", duplicates.request_detail, name="request_detail"),
    path("demandes/<int:request_id>/annuler/", duplicates.cancel, name="request_cancel"),
    path("demandes/<int:request_id>/fusionner/", duplicates.merge, name="request_merge"),
    path(
        "demandes/<int:request_id>/remettre-dans-la-file/",
        duplicates.resume,
        name="request_resume",
    ),
]
