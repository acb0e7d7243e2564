from django.urls import path

from guichet.protection import views as protection

from .views import follow, intake

app_name = "booking"

urlpatterns = [
    # Intake (views/intake.py).
    path("demande/", intake.start, name="start"),
    path("demande/defi/", protection.challenge, name="challenge"),
    path("demande/<slug:slug>/", intake.step, name="step"),
    # After registration (views/follow.py). `token` is the request's secret access token.
    path("demande/<str:token>/attestation/", follow.receipt, name="receipt"),
    path("demande/<str:token>/attestation.pdf", follow.receipt_pdf, name="receipt_pdf"),
    path("demande/<str:token>/suivi/", follow.status, name="status"),
    path("demande/<str:token>/confirmer/", follow.confirm_code, name="confirm_code"),
    path("demande/<str:token>/confirmer/<str:code>/", follow.confirm_link, name="confirm_link"),
    path("demande/<str:token>/renvoyer-le-code/", follow.resend_code, name="resend_code"),
    path("demande/<str:token>/rendez-vous.ics", follow.appointment_calendar, name="calendar"),
    path(
        "demande/<str:token>/confirmer-ma-venue/",
        follow.confirm_attendance,
        name="confirm_attendance",
    ),
    path(
        "demande/<str:token>/proposition/<int:offer_id>/accepter/",
        follow.answer_offer,
        {"accept": True},
        name="accept_offer",
    ),
    path(
        "demande/<str:token>/proposition/<int:offer_id>/refuser/",
        follow.answer_offer,
        {"accept": False},
        name="decline_offer",
    ),
    path(
        "demande/<str:token>/toujours-besoin/",
        follow.still_needed,
        name="still_needed",
    ),
    path("demande/<str:token>/annuler/", follow.cancel, name="cancel"),
    path("demande/<str:token>/ce-n-est-pas-moi/", follow.dispute, name="dispute"),
    path("demande/<str:token>/preferences/", follow.preferences, name="preferences"),
    path("demande/<str:token>/coordonnees/", follow.new_contact, name="new_contact"),
    path("suivi/retrouver-mon-lien/", follow.find_link, name="find_link"),
    path("verifier/<str:signed>/", follow.verify, name="verify"),
]
