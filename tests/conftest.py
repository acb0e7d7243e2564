import pytest


@pytest.fixture(autouse=True)
def _intake_protection_off(settings):
    """Challenges and rate limits are tested on their own; elsewhere they would only add noise."""
    settings.GUICHET_ALTCHA_ENABLED = False
    settings.GUICHET_RATE_LIMITS_ENABLED = False
