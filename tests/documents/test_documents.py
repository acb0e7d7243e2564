"""Documents sent before the visit: the person sends from the status page, the préfecture's
agents check each one, the person is told what to redo and by when, agents see « dossier
complet » at check-in. Files are bounded, cleaned of their metadata, served only to those who
may see them, and deleted a set time after the appointment."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from selectolax.lexbor import LexborHTMLParser

from guichet.associations.models import Mandate
from guichet.backoffice.enums import JournalAction, Role
from guichet.backoffice.models import JournalEntry
from guichet.booking.services import cancel_request
from guichet.documents.enums import DocumentState, EventKind
from guichet.documents.models import Document, DocumentEvent, Dossier, Requirement
from guichet.documents.services import dossier_of
from guichet.documents.storage import documents_dir
from guichet.duework.jobs import run_due_work
from guichet.notifications.services import send_due_messages
from tests import factories
from tests.applicant_space import dated, text_of
from tests.documents_space import GPS_IFD, MAKE, pdf, phone_photo, with_list
from tests.factories import NOW

APPOINTMENT = NOW + datetime.timedelta(days=14)
LIST = ["Passeport", "Justificatif de domicile", "Acte de mariage"]  # with_list's


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def person():
    """A request dated in 14 days, its service asking for three documents."""
    request = dated(start=APPOINTMENT, email="aminata@example.org")
    with_list(request.service)
    return request


def documents_of(request) -> list[Document]:
    return list(dossier_of(request).documents.order_by("requirement__position"))


def page(request) -> str:
    return reverse("documents:person", args=[request.access_token])


def send(client, request, document, data, name="photo.jpg"):
    return client.post(
        reverse("documents:person_send", args=[request.access_token, document.pk]),
        {"upload": SimpleUploadedFile(name, data)},
    )


def stored_files() -> list:
    root = documents_dir()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def agent_client(client, prefecture, role=Role.AGENT, username=None):
    return factories.log_in_agent(client, factories.make_agent(prefecture, role, username))


def check(client, request, decisions: dict):
    """POST the agent's decisions: {document: (decision, reason, note)}."""
    form = {}
    for document, (decision, reason, note) in decisions.items():
        form |= {
            f"d{document.pk}-decision": decision,
            f"d{document.pk}-reason": reason,
            f"d{document.pk}-note": note,
        }
    return client.post(reverse("documents:review", args=[request.pk]), form)


def test_the_status_page_shows_the_list_and_leads_to_the_documents_page(client, person):
    status = text_of(client.get(reverse("booking:status", args=[person.access_token])))
    assert "Vos documents" in status
    assert "Documents acceptés : 0 sur 3." in status
    assert "Passeport" in status and "Acte de mariage" in status

    response = client.get(page(person))

    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert 'accept="image/*,application/pdf,.heic,.heif"' in html
    assert "Seulement : si marié(e)" in text_of(response)


def checklist(client, request) -> list[str]:
    """The status page's lines of the documents' checklist, as read."""
    html = client.get(reverse("booking:status", args=[request.access_token])).content.decode()
    return [
        line.text(separator=" ", strip=True)
        for line in LexborHTMLParser(html).css(".dossier-checklist li")
    ]


def test_the_checklist_names_each_document_before_and_after_the_dossier_is_opened(client, person):
    expected = [f"{DocumentState.EXPECTED.label} {name}" for name in LIST]
    assert checklist(client, person) == expected  # nothing sent yet: no dossier
    dossier_of(person)
    assert checklist(client, person) == expected


def test_a_document_asked_or_no_longer_asked_shows_on_the_next_view(client, person):
    """The list a motif asks for is kept a minute by each process (catalogue.cache), but a
    change saved by an agent is on the next page it serves."""
    expected = [f"{DocumentState.EXPECTED.label} {name}" for name in LIST]
    assert checklist(client, person) == expected
    visa = Requirement.objects.create(service=person.service, position=40, name="Visa")
    assert checklist(client, person) == [*expected, f"{DocumentState.EXPECTED.label} Visa"]
    visa.active = False
    visa.save()
    assert checklist(client, person) == expected


@pytest.mark.django_db(transaction=True)
def test_sent_checked_redone_then_complete_at_check_in(client, person):
    passport, address, marriage = documents_of(person)
    for document in (passport, address, marriage):
        assert send(client, person, document, phone_photo()).status_code == 302
    assert {d.state for d in documents_of(person)} == {DocumentState.SENT}
    assert len(stored_files()) == 3

    agent = agent_client(client, person.prefecture)
    queue = text_of(client.get(reverse("documents:queue")))
    assert person.number in queue and "3" in queue
    response = check(
        client,
        person,
        {
            passport: ("accepted", "", ""),
            address: ("redo", "too_old", "Il date de plus de 3 mois."),
            marriage: ("accepted", "", ""),
        },
    )
    assert response.status_code == 302

    # Told at once, with what to redo, why, and by when (3 days before the appointment).
    send_due_messages()
    body = mail.outbox[-1].body
    assert "Justificatif de domicile : trop ancien ou expiré (Il date de plus de 3 mois.)" in body
    assert "avant le vendredi 4 décembre 2026" in body
    assert reverse("documents:person", args=[person.access_token]) in body
    line = JournalEntry.objects.get(action=JournalAction.DOCUMENTS_CHECKED)
    assert line.detail == {"accepted": 2, "redo": 1, "missing": 0} and line.request == person

    client.logout()
    status = text_of(client.get(reverse("booking:status", args=[person.access_token])))
    assert "Documents acceptés : 2 sur 3." in status
    assert "à refaire : trop ancien ou expiré (Il date de plus de 3 mois.)" in status
    old = Document.objects.get(pk=address.pk).file
    assert send(client, person, address, phone_photo("green")).status_code == 302
    assert not (documents_dir() / old).exists()  # the replaced file is gone
    assert len(stored_files()) == 3

    agent_client(client, person.prefecture, username="agent-2")
    check(client, person, {Document.objects.get(pk=address.pk): ("accepted", "", "")})
    site = person.sites.get()
    checkin = client.get(reverse("backoffice:checkin"), {"site": site.pk, "number": person.number})
    assert "Dossier complet" in text_of(checkin)
    assert "Accepté Justificatif de domicile" in text_of(checkin)  # each document's state
    agenda = client.get(
        reverse("backoffice:agenda"), {"site": site.pk, "day": APPOINTMENT.date().isoformat()}
    )
    assert "Dossier complet" in text_of(agenda)
    send_due_messages()
    assert "votre dossier est complet" in mail.outbox[-1].body
    assert agent is not None


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>", "ni une photo"),
        ("photo.jpg", b"\xff\xd8\xff\xe0 not really a photo", "ni une photo"),
        ("image.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "ni une photo"),
        ("scan.pdf", b"%PDF-1.7\nnot a pdf at all", "Ce PDF est illisible"),
        ("scan.pdf", pdf(script=True), "Ce PDF contient des scripts"),
        ("gros.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), "Le fichier dépasse 10 Mo."),
    ],
    ids=["html", "broken-jpeg", "gif", "broken-pdf", "pdf-with-script", "over-10-mo"],
)
def test_a_refused_file_is_said_in_french_at_its_field_and_nothing_is_stored(
    client, person, name, data, words
):
    passport = documents_of(person)[0]

    response = send(client, person, passport, data, name)

    assert response.status_code == 200
    html = response.content.decode()
    assert words in text_of(response)
    assert f'id="id_doc{passport.pk}_upload-error"' in html
    assert (
        f'aria-describedby="id_doc{passport.pk}_upload-hint id_doc{passport.pk}_upload-error"'
        in html
    )
    assert stored_files() == []
    assert Document.objects.get(pk=passport.pk).state == DocumentState.EXPECTED
    assert not DocumentEvent.objects.exists()


def test_a_phone_photo_loses_its_gps_position_and_a_heic_photo_becomes_a_jpeg(client, person):
    passport, address, _marriage = documents_of(person)
    original = phone_photo(size=(80, 60))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)

    send(client, person, passport, original)
    send(client, person, address, phone_photo(kind="HEIF"), "IMG_0001.HEIC")

    for document in (passport, address):
        document.refresh_from_db()
        stored = (documents_dir() / document.file).read_bytes()
        image = Image.open(io.BytesIO(stored))
        assert image.format == "JPEG" and document.file.endswith(".jpg")
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD) and MAKE not in exif
        assert b"PhoneMaker" not in stored
    assert Image.open(io.BytesIO((documents_dir() / passport.file).read_bytes())).size == (80, 60)


def test_a_pdf_is_kept_as_sent_and_served_to_the_person_only_by_their_link(client, person):
    passport = documents_of(person)[0]
    data = pdf(pages=2)
    send(client, person, passport, data, "passeport.pdf")
    passport.refresh_from_db()
    assert (documents_dir() / passport.file).read_bytes() == data
    # Under var/, not under the static files, and named by nothing the person sent.
    assert "passeport" not in passport.file

    served = client.get(reverse("documents:person_file", args=[person.access_token, passport.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == data
    assert served["Cache-Control"] == "private, no-store"
    assert served["Content-Security-Policy"].startswith("default-src 'none'")
    assert served["X-Content-Type-Options"] == "nosniff"

    someone_else = dated(n=2, start=APPOINTMENT + datetime.timedelta(hours=1))
    wrong = reverse("documents:person_file", args=[someone_else.access_token, passport.pk])
    assert client.get(wrong).status_code == 404


def test_a_photo_is_served_sandboxed(client, person):
    passport = documents_of(person)[0]
    send(client, person, passport, phone_photo())
    served = client.get(reverse("documents:person_file", args=[person.access_token, passport.pk]))
    assert served["Content-Type"] == "image/jpeg"
    assert served["Content-Security-Policy"].endswith("; sandbox")


def test_to_redo_needs_a_reason_and_nothing_is_recorded_without_one(client, person):
    passport, address, _marriage = documents_of(person)
    send(client, person, passport, phone_photo())
    agent_client(client, person.prefecture)

    response = check(client, person, {passport: ("redo", "", ""), address: ("missing", "", "")})

    assert response.status_code == 400
    assert "Choisissez la raison : la personne doit savoir quoi refaire." in text_of(response)
    assert Document.objects.get(pk=passport.pk).state == DocumentState.SENT
    assert Document.objects.get(pk=address.pk).state == DocumentState.EXPECTED
    assert not mail.outbox and not JournalEntry.objects.exists()

    check(client, person, {passport: ("redo", "other", ""), address: ("missing", "", "")})
    assert Document.objects.get(pk=passport.pk).state == DocumentState.SENT  # « other »: say why

    check(client, person, {passport: ("redo", "unreadable", ""), address: ("missing", "", "")})
    send_due_messages()
    body = mail.outbox[-1].body
    assert "Passeport : illisible ou flou" in body
    assert "À envoyer :\n- Justificatif de domicile\n- Acte de mariage" in body


def test_bringing_everything_on_the_day_is_noted(client, person):
    response = client.post(reverse("documents:person_bring", args=[person.access_token]))
    assert response.status_code == 302
    assert Dossier.objects.get(request=person).bring_on_the_day
    assert DocumentEvent.objects.get().kind == EventKind.BRING_ON_THE_DAY
    status = text_of(client.get(reverse("booking:status", args=[person.access_token])))
    assert "Vous avez choisi d'apporter vos documents le jour du rendez-vous." in status


def test_a_condition_that_does_not_apply_is_declared_and_counts_as_done(client, person):
    passport, _address, marriage = documents_of(person)
    url = reverse("documents:person_not_concerned", args=[person.access_token, marriage.pk])
    assert client.post(url).status_code == 302
    assert Document.objects.get(pk=marriage.pk).state == DocumentState.NOT_CONCERNED
    # A document asked of everyone cannot be waved away.
    url = reverse("documents:person_not_concerned", args=[person.access_token, passport.pk])
    client.post(url)
    assert Document.objects.get(pk=passport.pk).state == DocumentState.EXPECTED


def test_an_association_member_sends_under_a_live_mandate_only(client, person):
    organisation = factories.make_organisation(person.prefecture)
    member = factories.make_member(organisation)
    mandate = factories.make_mandate(member, person)
    factories.log_in_agent(client, member)
    passport = documents_of(person)[0]
    send_url = reverse("documents:member_send", args=[person.pk, passport.pk])

    assert client.get(reverse("documents:member", args=[person.pk])).status_code == 200
    assert (
        client.post(send_url, {"upload": SimpleUploadedFile("p.jpg", phone_photo())}).status_code
        == 302
    )
    passport.refresh_from_db()
    assert passport.sent_by == "association" and passport.state == DocumentState.SENT
    file_url = reverse("documents:member_file", args=[person.pk, passport.pk])
    assert client.get(file_url).status_code == 200

    Mandate.objects.filter(pk=mandate.pk).update(revoked_at=NOW)
    for url in (reverse("documents:member", args=[person.pk]), file_url):
        assert client.get(url).status_code == 404
    assert (
        client.post(send_url, {"upload": SimpleUploadedFile("p.jpg", phone_photo())}).status_code
        == 404
    )


def test_an_agent_attaches_a_document_received_by_post(client, person):
    agent_client(client, person.prefecture)
    passport = documents_of(person)[0]
    url = reverse("documents:agent_post", args=[person.pk, passport.pk])

    response = client.post(url, {"upload": SimpleUploadedFile("scan.pdf", pdf())})

    assert response.status_code == 302
    passport.refresh_from_db()
    assert passport.sent_by == "post" and passport.state == DocumentState.SENT
    assert JournalEntry.objects.filter(action=JournalAction.DOCUMENT_RECEIVED_BY_POST).exists()


def test_an_agent_of_another_prefecture_can_list_open_or_download_nothing(client, person):
    passport = documents_of(person)[0]
    send(client, person, passport, phone_photo())
    requirement = passport.requirement
    other = factories.make_prefecture("34", "Hérault")
    factories.make_service(other)
    for role in (Role.AGENT, Role.MANAGER):
        agent_client(client, other, role, username=f"herault-{role}")
        queue = client.get(reverse("documents:queue"))
        assert queue.status_code == 200 and person.number not in queue.content.decode()
        lists = client.get(reverse("documents:lists"))
        assert lists.status_code in (200, 403)
        assert (
            reverse("documents:service_list", args=[person.service_id])
            not in lists.content.decode()
        )
        for name, args in [
            ("review", [person.pk]),
            ("agent_file", [person.pk, passport.pk]),
            ("service_list", [person.service_id]),
            ("requirement", [requirement.pk]),
        ]:
            url = reverse(f"documents:{name}", args=args)
            assert client.get(url).status_code in (403, 404), url
        posts = [
            (
                reverse("documents:review", args=[person.pk]),
                {f"d{passport.pk}-decision": "accepted"},
            ),
            (
                reverse("documents:agent_post", args=[person.pk, passport.pk]),
                {"upload": SimpleUploadedFile("p.jpg", phone_photo())},
            ),
            (reverse("documents:service_list", args=[person.service_id]), {"name": "Piège"}),
            (reverse("documents:requirement", args=[requirement.pk]), {"name": "Piège"}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code in (403, 404), url
    passport.refresh_from_db()
    assert passport.state == DocumentState.SENT and len(stored_files()) == 1
    assert not JournalEntry.objects.exists()
    assert requirement.name == "Passeport"
    requirement.refresh_from_db()
    assert requirement.name == "Passeport"


def test_every_agent_page_of_the_documents_is_checked_above(client):
    """A new agent's page must join the test above: the namespace's agent URLs, listed."""
    from django.urls import URLResolver, get_resolver

    def routes(patterns, start=""):
        """(full route, name) of every page, through the included lists."""
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from routes(p.url_patterns, start + str(p.pattern))
            else:
                yield start + str(p.pattern), p.name

    patterns = get_resolver().namespace_dict["documents"][1].url_patterns
    agent_pages = {name for route, name in routes(patterns) if route.startswith("agent/")}
    assert agent_pages == {
        "queue",
        "review",
        "agent_post",
        "agent_file",
        "lists",
        "service_list",
        "requirement",
    }


def test_a_manager_edits_the_list_and_the_person_sees_it(client, person):
    agent_client(client, person.prefecture, Role.MANAGER)
    url = reverse("documents:service_list", args=[person.service_id])
    response = client.post(
        url,
        {
            "name": "Attestation de la CAF",
            "condition": "si vous touchez des prestations",
            "criteria": ["recent", "copy"],
            "details": "",
            "position": "40",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert JournalEntry.objects.get().action == JournalAction.DOCUMENT_LIST_CHANGED
    client.logout()
    shown = text_of(client.get(page(person)))
    assert "Attestation de la CAF" in shown
    assert "Seulement : si vous touchez des prestations" in shown
    assert "De moins de 3 mois ; photocopie lisible" in shown
    # The receipt's « pièces à apporter » is the same list, not a second one to keep in step.
    receipt = text_of(client.get(reverse("booking:receipt", args=[person.access_token])))
    assert "Attestation de la CAF (si vous touchez des prestations)" in receipt
    # An agent who is not a manager cannot edit the lists.
    agent_client(client, person.prefecture, Role.AGENT, username="simple-agent")
    assert client.get(url).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_files_are_deleted_30_days_after_the_appointment_by_the_due_work(client, person):
    passport, address, _marriage = documents_of(person)
    send(client, person, passport, phone_photo())
    send(client, person, address, pdf())
    assert len(stored_files()) == 2

    with time_machine.travel(APPOINTMENT + datetime.timedelta(days=29), tick=False):
        run_due_work()
        assert len(stored_files()) == 2
    with time_machine.travel(APPOINTMENT + datetime.timedelta(days=30, hours=1), tick=False):
        done = run_due_work()
        assert done["documents_erased"] == 1
        assert stored_files() == []
        assert not Document.objects.exclude(file="").exists()
        event = DocumentEvent.objects.get(kind=EventKind.ERASED)
        assert event.detail == {"files": 2, "reason": "retention"}
        url = reverse("documents:person_file", args=[person.access_token, passport.pk])
        assert client.get(url).status_code == 404
        assert run_due_work()["documents_erased"] == 0


@pytest.mark.django_db(transaction=True)
def test_files_of_a_cancelled_request_go_30_days_after_it_closed(client, person):
    send(client, person, documents_of(person)[0], phone_photo())
    cancel_request(person, by="applicant", now=NOW)
    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        assert run_due_work()["documents_erased"] == 1
    assert stored_files() == []


def test_a_closed_request_sends_nothing_more(client, person):
    cancel_request(person, by="applicant", now=NOW)
    passport = documents_of(person)[0]
    response = send(client, person, passport, phone_photo())
    assert "Cette demande est close" in text_of(response)
    assert "Cette demande est close" in text_of(client.get(page(person)))
    assert stored_files() == []


def test_the_queue_puts_the_nearest_appointment_first_and_says_which_are_late(client, person):
    soon = dated(n=2, start=NOW + datetime.timedelta(days=5), prefecture=person.prefecture)
    later = dated(n=3, start=NOW + datetime.timedelta(days=30), prefecture=person.prefecture)
    for request in (later, person, soon):
        send(client, request, documents_of(request)[0], phone_photo())
    agent_client(client, person.prefecture)

    response = client.get(reverse("documents:queue"))

    rows = text_of(response).split("Vérifier avant le")[1]
    numbers = [r.number for r in (soon, person, later)]
    assert [rows.index(n) for n in numbers] == sorted(rows.index(n) for n in numbers)
    # Five days ahead, the « 7 days before » target is already past.
    assert rows.count("en retard") == 1
    assert rows.index("en retard") < rows.index(person.number)


def test_a_photo_with_too_many_pixels_is_refused_before_it_is_decoded(client, person, monkeypatch):
    monkeypatch.setattr("guichet.uploads.MAX_PIXELS", 1000)
    response = send(client, person, documents_of(person)[0], phone_photo(size=(60, 40)))
    assert "Cette photo a trop de pixels" in text_of(response)
    assert stored_files() == []


def test_a_large_photo_is_kept_at_3000_pixels_at_most(client, person):
    passport = documents_of(person)[0]
    send(client, person, passport, phone_photo(size=(4000, 3000)))
    passport.refresh_from_db()
    stored = Image.open(io.BytesIO((documents_dir() / passport.file).read_bytes()))
    assert max(stored.size) <= 3000 and stored.size[0] > stored.size[1]
