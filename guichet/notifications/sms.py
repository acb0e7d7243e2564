"""SMS backends. Production plugs an operator's gateway behind `send`; demo and tests use these."""

import sys

from django.conf import settings
from django.utils.module_loading import import_string

# Messages "sent" by LocmemBackend, like django.core.mail.outbox for e-mail.
outbox: list[dict] = []


class BaseBackend:
    def send(self, to: str, body: str) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send(self, to, body):
        sys.stdout.write(f"--- SMS to {to} ---\n{body}\n---\n")
        sys.stdout.flush()


class LocmemBackend(BaseBackend):
    def send(self, to, body):
        outbox.append({"to": to, "body": body})


def get_backend() -> BaseBackend:
    return import_string(settings.GUICHET_SMS_BACKEND)()
