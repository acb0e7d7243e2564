"""The DSFR site configuration (notice banner, mourning) is read once a minute per process, not
twice on every page: the home page needs no database at all."""

import pytest
from dsfr.models import DsfrConfig

from guichet import site_config

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_the_kept_configuration():
    """Rows of one test are rolled back without a signal: no test inherits another's."""
    site_config.forget()
    yield
    site_config.forget()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(site_config.time, "monotonic", clock.monotonic)
    return clock


def test_the_home_page_reads_nothing_from_the_database(client, django_assert_num_queries):
    client.get("/")  # the first page of a process reads the configuration
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_a_notice_saved_in_the_admin_shows_on_the_next_page(client, clock):
    assert "Fermeture exceptionnelle" not in client.get("/").text
    DsfrConfig.objects.create(language="fr", notice_title="Fermeture exceptionnelle")
    assert "Fermeture exceptionnelle" in client.get("/").text
    DsfrConfig.objects.all().delete()
    assert "Fermeture exceptionnelle" not in client.get("/").text


def test_a_change_made_by_another_process_shows_within_a_minute(client, clock):
    DsfrConfig.objects.create(language="fr", notice_title="Fermeture exceptionnelle")
    assert "Fermeture exceptionnelle" in client.get("/").text
    # Another process's save sends no signal here.
    DsfrConfig.objects.update(notice_title="Ouverture le samedi")
    clock.now += site_config.CONFIG_SECONDS - 1
    assert "Fermeture exceptionnelle" in client.get("/").text
    clock.now += 2
    assert "Ouverture le samedi" in client.get("/").text


def test_the_configuration_in_the_page_language_comes_first(clock):
    DsfrConfig.objects.create(language="en", notice_title="Closed")
    assert site_config.current_config("fr").notice_title == "Closed"  # the only one
    site_config.forget()
    DsfrConfig.objects.create(language="fr", notice_title="Fermé")
    assert site_config.current_config("fr").notice_title == "Fermé"
    assert site_config.current_config("en").notice_title == "Closed"
