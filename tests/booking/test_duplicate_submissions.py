"""A submission for an identity that already holds a place answers exactly as a new one: no
oracle of who is in line, and no pumping of messages to the holder (booking/duplicates.py)."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from guichet.booking.enums import DisputeProof, EventKind, RequestStatus
from guichet.booking.models import Dispute, Request
from guichet.booking.services import confirm_contact
from guichet.notifications.models import Message
from tests import factories
from tests.factories import NOW

AMINATA = {
    "family_name": "Diallo",
    "given_names": "Aminata",
    "birth_date": "1992-04-17",
    "nationality": "sénégalaise",
    "passport_number": "A12345678",
}
SOMEONE_ELSE = {**AMINATA, "given_names": "Fatou", "passport_number": "B98765432"}


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def service():
    return factories.make_one_site_service()


@pytest.fixture
def holder(service):
    """Aminata's request, in the queue, with her own e-mail address."""
    return factories.register_at_counter(
        service,
        service.prefecture.sites.get(),
        1,
        **{**AMINATA, "birth_date": datetime.date(1992, 4, 17)},
        email="aminata@example.org",
    )


def payload(service, identity, email):
    return {
        "prefecture": service.prefecture.department_code,
        "service": service.pk,
        **identity,
        "email": email,
        "sites": [site.pk for site in service.prefecture.sites.all()],
    }


def post_api(client, service, identity, email):
    return client.post(
        reverse("api:create_request"),
        payload(service, identity, email),
        content_type="application/json",
    )


def masked(text: str, request: Request) -> str:
    """What differs between any two submissions: their number, secret token and link, code,
    contact; and what differs between any two responses: CSRF tokens and script nonces."""
    for own in (request.number, request.access_token, request.verification_code, request.email):
        text = text.replace(own, "…") if own else text
    text = re.sub(r'value="[A-Za-z0-9]{32,}"', 'value="…"', text)
    text = re.sub(r'nonce="[^"]*"', 'nonce="…"', text)
    text = re.sub(r"/verifier/[^\"<\s]+", "/verifier/…", text)
    return re.sub(r'src="data:image/[^"]+"', 'src="…"', text)


def sent_to(email: str, request: Request) -> list[tuple[str, str, str]]:
    return [
        (message.template, masked(message.subject, request), masked(message.body, request))
        for message in Message.objects.filter(to=email).order_by("id")
    ]


def test_api_two_submissions_for_a_held_identity_answer_as_one_for_a_new_identity(
    client, service, holder
):
    answers = [
        post_api(client, service, AMINATA, "probe1@example.org"),
        post_api(client, service, {**AMINATA, "family_name": "DIALLO"}, "probe2@example.org"),
        post_api(client, service, SOMEONE_ELSE, "fatou@example.org"),
    ]

    assert [answer.status_code for answer in answers] == [201, 201, 201]
    bodies = [answer.json() for answer in answers]
    requests = [Request.objects.get(number=body["number"]) for body in bodies]
    assert {frozenset(body) for body in bodies} == {
        frozenset({"number", "status", "registered_at", "receipt_url", "status_url"})
    }
    contents = [
        masked(answer.content.decode(), request)
        for answer, request in zip(answers, requests, strict=True)
    ]
    assert contents[0] == contents[1] == contents[2]
    assert holder.number not in str(bodies)
    # The same messages, to the submitter's contact only, and nothing yet to the holder.
    emails = ["probe1@example.org", "probe2@example.org", "fatou@example.org"]
    messages = [sent_to(email, r) for email, r in zip(emails, requests, strict=True)]
    assert messages[0] == messages[1] == messages[2]
    assert [template for template, _subject, _body in messages[2]] == ["verify_contact"]
    assert not holder.messages.exclude(template="request_registered").exists()


def fill_the_web_intake(client, service, identity, email):
    client.post(reverse("booking:start"), {"prefecture": service.prefecture.department_code})
    client.post(reverse("booking:step", args=["motif"]), {"service": service.pk})
    client.post(reverse("booking:step", args=["identite"]), identity)
    client.post(reverse("booking:step", args=["contact"]), {"email": email, "phone": ""})
    client.post(
        reverse("booking:step", args=["lieux"]),
        {"sites": [str(site.pk) for site in service.prefecture.sites.all()]},
    )
    sent = client.post(reverse("booking:step", args=["recapitulatif"]))
    request = Request.objects.filter(email=email).get()
    receipt = client.get(sent.url)
    return sent, receipt, request


def test_web_two_submissions_for_a_held_identity_answer_as_one_for_a_new_identity(service, holder):
    submissions = [
        fill_the_web_intake(Client(), service, AMINATA, "probe1@example.org"),
        fill_the_web_intake(Client(), service, AMINATA, "probe2@example.org"),
        fill_the_web_intake(Client(), service, SOMEONE_ELSE, "fatou@example.org"),
    ]

    for sent, receipt, request in submissions:
        assert sent.status_code == 302
        assert sent.url == reverse("booking:receipt", args=[request.access_token])
        assert receipt.status_code == 200
        assert holder.number not in receipt.content.decode()
    pages = [masked(receipt.content.decode(), request) for _sent, receipt, request in submissions]
    assert pages[0] == pages[1] == pages[2]
    messages = [sent_to(request.email, request) for _sent, _receipt, request in submissions]
    assert messages[0] == messages[1] == messages[2]
    assert not holder.messages.exclude(template="request_registered").exists()


def test_twelve_probes_send_the_holder_one_message_that_day(client, service, holder, clock):
    for n in range(12):
        probe = Request.objects.get(
            number=post_api(client, service, AMINATA, f"probe{n}@example.org").json()["number"]
        )
        assert confirm_contact(probe, probe.verification_code)
        probe.refresh_from_db()
        assert (probe.status, probe.duplicate_of) == (RequestStatus.DUPLICATE, holder)

    holder.refresh_from_db()
    assert holder.status == RequestStatus.WAITING
    told = list(Message.objects.filter(request=holder).exclude(template="request_registered"))
    assert [(message.template, message.to) for message in told] == [
        ("identity_used", "aminata@example.org")
    ]
    assert holder.access_token in told[0].body
    assert holder.events.filter(kind=EventKind.DUPLICATE_SUBMISSION).count() == 12

    clock.move_to(NOW + datetime.timedelta(days=1))
    probe = Request.objects.get(
        number=post_api(client, service, AMINATA, "probe-next-day@example.org").json()["number"]
    )
    confirm_contact(probe, probe.verification_code)
    assert holder.messages.filter(template="identity_used").count() == 2


def confirm_on_the_page(client, request):
    return client.post(
        reverse("booking:confirm_code", args=[request.access_token]),
        {"code": request.verification_code},
        follow=True,
    )


def test_the_duplicate_s_page_says_so_neutrally_and_offers_ce_n_est_pas_moi(
    client, service, holder
):
    number = post_api(client, service, AMINATA, "vraie@example.org").json()["number"]
    duplicate = Request.objects.get(number=number)

    page = html.unescape(confirm_on_the_page(client, duplicate).content.decode())

    assert "Vos coordonnées sont confirmées." in page
    assert "n'a pas pu entrer dans la file d'attente" in page
    assert "Une autre demande existe déjà pour la même personne" in page
    assert "Nous avons envoyé le lien de suivi de l'autre demande" in page
    for secret in (holder.number, holder.access_token, holder.email):
        assert secret not in page
    assert "Ce n'est pas moi" in page

    status_url = reverse("booking:status", args=[duplicate.access_token])
    dispute_url = reverse("booking:dispute", args=[duplicate.access_token])
    refused = client.post(dispute_url, {"account": "  ", "proof": ""})
    assert refused.status_code == 200
    assert "Dites en quelques mots ce qui s'est passé." in html.unescape(refused.content.decode())
    assert "Choisissez comment vous montrerez vos documents." in refused.content.decode()
    assert not Dispute.objects.exists()

    done = client.post(
        dispute_url,
        {"account": "Je n'ai jamais fait d'autre demande.", "proof": DisputeProof.COUNTER},
    )

    assert done.url == status_url
    dispute = Dispute.objects.get()
    assert (dispute.request, dispute.contested, dispute.prefecture) == (
        duplicate,
        holder,
        holder.prefecture,
    )
    page = html.unescape(client.get(status_url).content.decode())
    assert "Votre contestation est enregistrée" in page
    assert "Présentez-vous à l'accueil de la préfecture" in page
    assert 'action="' + dispute_url not in page
    again = client.post(dispute_url, {"account": "Encore", "proof": DisputeProof.POST})
    assert again.url == status_url and Dispute.objects.count() == 1
