import pytest


@pytest.fixture(autouse=True)
def _intake_protection_off(settings):
    """Challenges and rate limits are tested on their own; elsewhere they would only add noise."""
    settings.GUICHET_ALTCHA_ENABLED = False
    settings.GUICHET_RATE_LIMITS_ENABLED = False


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    """SMS go to an in-memory outbox in tests, like e-mail (django.core.mail.outbox)."""
    from guichet.notifications import sms

    settings.GUICHET_SMS_BACKEND = "guichet.notifications.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
