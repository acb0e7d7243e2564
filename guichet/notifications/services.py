"""Tell people what happens to their request, by e-mail and SMS, once each, never lost.

`notify` records the message; `send_due_messages` (run by the worker) sends it, retrying with
back-off. A message whose sending was interrupted is marked uncertain rather than sent again.
"""

import datetime
import logging
from collections.abc import Callable
from typing import cast

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from guichet.bulk import insert_rows
from guichet.languages import supported

from . import sms
from .enums import MessageChannel, MessageStatus
from .models import Message

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A message still "sending" after this long was interrupted by a crash: its outcome is unknown.
STALE_SENDING = datetime.timedelta(minutes=10)


# Builders of the .ics a message rendered at sending carries: name -> f(request, **refs) -> text.
# Apps register theirs when ready (booking: "appointment").
CALENDARS: dict[str, Callable[..., str]] = {}


def secret_link(request) -> str:
    return settings.SITE_URL + reverse("booking:status", args=[request.access_token])


def retry_delay(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes, at most 6 hours."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), 360))


def template_names(template: str, language: str) -> list[str]:
    """notifications/<lang>/<template>.txt (the folder named by the language code, « zh-hans »,
    or by its locale, « zh_Hans »), else the French one: a message missing in a language still
    goes, in French. tests/project/test_catalogues.py checks that none is missing."""
    folders = dict.fromkeys((language, translation.to_locale(language), settings.LANGUAGE_CODE))
    return [f"notifications/{folder}/{template}.txt" for folder in folders]


def render(template: str, channel: str, language: str, context: dict) -> tuple[str, str]:
    """(subject, body) from the template in the person's language (`template_names`); an
    e-mail's subject is line 1. Dates and numbers inside are written in that language too."""
    with translation.override(language):
        text = render_to_string(template_names(template, language), {**context, "channel": channel})
    if channel == MessageChannel.EMAIL:
        subject, _, body = text.partition("\n")
        return subject.strip(), body.strip() + "\n"
    return "", " ".join(text.split())


def base_context(request) -> dict:
    return {"request": request, "link": secret_link(request), "tz": request.prefecture.tz}


def message_language(language: str) -> str:
    """The person's language if the site speaks it, else French (`languages.supported`)."""
    return supported(language)


def notify(
    request,
    template: str,
    *,
    event_key: str,
    context=None,
    calendar: str = "",
    now=None,
    contacts: tuple | None = None,
    fresh: bool = False,
) -> list[Message]:
    """Queue the message about one event to each contact the person gave; idempotent per event:
    returns the messages queued, none if the event's were already.

    `contacts` overrides the request's own (email, phone), e.g. to check a new address. `fresh`
    says no message of the event can exist yet (its request was created in this transaction):
    no lookup then; the unique key still keeps one message per event and channel.
    """
    now = now or timezone.now()
    email, phone = contacts or (request.email, request.phone)
    to_of = {
        f"{event_key}:{channel}": (channel, to)
        for channel, to in ((MessageChannel.EMAIL, email), (MessageChannel.SMS, phone))
        if to
    }
    if not fresh:  # one look for every channel, so that a replayed job renders nothing
        taken = Message.objects.filter(key__in=list(to_of)).order_by().values_list("key", flat=True)
        for key in taken:
            del to_of[key]
    if not to_of:
        return []
    language = message_language(request.language)
    context = {**base_context(request), **(context or {})}
    messages = []
    for key, (channel, to) in to_of.items():
        subject, body = render(template, channel, language, context)
        messages.append(
            Message(
                key=key,
                request=request,
                channel=channel,
                template=template,
                language=language,
                to=to,
                subject=subject,
                body=body,
                calendar=calendar if channel == MessageChannel.EMAIL else "",
                created_at=now,
                next_attempt_at=now,
            )
        )
    return insert_new(messages)


def insert_new(messages: list[Message]) -> list[Message]:
    """Insert the messages in one statement and return those inserted, their pk set.

    A message whose key is taken (queued meanwhile by another job: that one is the message) is
    skipped by the database, `ON CONFLICT DO NOTHING`: no error, so no savepoint is needed to
    keep the caller's transaction usable. PostgreSQL, and SQLite from 3.35 (RETURNING).
    """
    columns = [field for field in Message._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    names = ", ".join(quote(cast(str, field.column)) for field in columns)  # concrete: all have one
    row = f"({', '.join(['%s'] * len(columns))})"
    sql = (
        f"INSERT INTO {quote(Message._meta.db_table)} ({names}) "
        f"VALUES {', '.join([row] * len(messages))} "
        f"ON CONFLICT DO NOTHING RETURNING {quote('id')}, {quote('key')}"
    )
    params = [
        field.get_db_prep_save(getattr(message, field.attname), connection)
        for message in messages
        for field in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = {key: pk for pk, key in cursor.fetchall()}
    queued = [message for message in messages if message.key in inserted]
    for message in queued:
        message.pk = inserted[message.key]
        message._state.adding, message._state.db = False, connection.alias
    return queued


# The columns `unrendered` gives; the others take their defaults (queued, nothing rendered yet).
UNRENDERED_FIELDS = (
    "key",
    "request_id",
    "channel",
    "template",
    "language",
    "to",
    "context",
    "created_at",
    "next_attempt_at",
)


def unrendered(
    *,
    request_id: int,
    language: str,
    contacts: tuple[str, str],
    template: str,
    event_key: str,
    refs: dict,
    calendar: str = "",
    now,
) -> list[tuple]:
    """The messages about one event, to each contact, as rows of `UNRENDERED_FIELDS` for
    `queue_all`: stored with what they are about and rendered by the sender, so that a batch
    renders no text and no calendar.

    `refs` names the rows the template reads (name -> (model, pk)); `calendar`, a builder of
    `CALENDARS` for e-mails."""
    stored_refs = {name: [model._meta.label_lower, pk] for name, (model, pk) in refs.items()}
    language = message_language(language)
    return [
        (
            f"{event_key}:{channel}",
            request_id,
            channel,
            template,
            language,
            to,
            {"refs": stored_refs}
            | ({"calendar": calendar} if calendar and channel == MessageChannel.EMAIL else {}),
            now,
            now,
        )
        for channel, to in zip((MessageChannel.EMAIL, MessageChannel.SMS), contacts, strict=True)
        if to
    ]


def queue_all(rows: list[tuple]) -> None:
    """Queue many messages (`unrendered` rows) in a few statements; one already queued for its
    event (a replayed job) stays as it is: the unique key decides, with no query per message."""
    insert_rows(Message, UNRENDERED_FIELDS, rows, ignore_conflicts=True)


def rendered(message: Message) -> Message:
    """Render a message queued unrendered, once: its text and calendar are stored before the
    first attempt, so every retry sends exactly the same."""
    if message.body or not message.context:
        return message
    request = (
        apps.get_model("booking", "Request")
        .objects.select_related("prefecture", "service")
        .get(pk=message.request_id)
    )
    refs = {
        name: apps.get_model(label).objects.get(pk=pk)
        for name, (label, pk) in message.context.get("refs", {}).items()
    }
    message.subject, message.body = render(
        message.template,
        message.channel,
        message.language,
        {**base_context(request), **refs},
    )
    if builder := message.context.get("calendar"):
        message.calendar = CALENDARS[builder](request, **refs)
    message.context = {}
    Message.objects.filter(pk=message.pk).update(
        subject=message.subject, body=message.body, calendar=message.calendar, context={}
    )
    return message


def deliver(message: Message) -> None:
    if message.channel == MessageChannel.EMAIL:
        email = EmailMessage(message.subject, message.body, to=[message.to])
        if message.calendar:
            email.attach("rendez-vous.ics", message.calendar, "text/calendar")
        email.send()
    else:
        sms.get_backend().send(message.to, message.body)


def send_due_messages(now=None) -> int:
    """Send every queued message whose time has come; returns how many were sent."""
    now = now or timezone.now()
    Message.objects.filter(
        status=MessageStatus.SENDING, next_attempt_at__lte=now - STALE_SENDING
    ).update(status=MessageStatus.UNCERTAIN)
    sent = 0
    due = Message.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
    for message in due.order_by("next_attempt_at", "id"):
        # Claim it: only one worker moves it from queued to sending.
        claimed = Message.objects.filter(pk=message.pk, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SENDING, next_attempt_at=now, attempts=message.attempts + 1
        )
        if not claimed:
            continue
        message.attempts += 1
        try:
            deliver(rendered(message))
        except Exception as error:  # noqa: BLE001 - any failure of a backend is retried
            failed = message.attempts >= MAX_ATTEMPTS
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED if failed else MessageStatus.QUEUED,
                next_attempt_at=now + retry_delay(message.attempts),
                last_error=f"{type(error).__name__}: {error}"[:1000],
            )
            logger.warning(
                "message %s not sent (attempt %s): %s", message.pk, message.attempts, error
            )
            continue
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT, sent_at=now)
        sent += 1
    return sent
