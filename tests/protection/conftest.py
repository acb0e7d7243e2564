import pytest


@pytest.fixture
def altcha_on(settings):
    """The proof of work on, with a known key and small numbers that keep solving quick (the
    rules are the same)."""
    settings.GUICHET_ALTCHA_ENABLED = True
    settings.GUICHET_ALTCHA_HMAC_KEY = "test-key"
    settings.GUICHET_ALTCHA_MAX_NUMBER = 2000
    return settings
