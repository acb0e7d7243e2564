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
    path("verifier/<str:signed>/", follow.verify, name="verify"),
]
