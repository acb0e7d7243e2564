"""« La file d'attente en clair »: the national overview, a préfecture's and a service's pages
show the latest daily snapshot, with each chart's numbers in a table beside it."""

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tests import queue_history


@pytest.fixture
def history(db, settings):
    return queue_history.build_published(settings)


def tables(html: str) -> dict[str, list[list[str]]]:
    """Each table's rows (header and cells text), by caption."""
    tree = HTMLParser(html)
    return {
        table.css_first("caption").text(strip=True): [
            [cell.text(strip=True) for cell in row.css("th, td")] for row in table.css("tr")
        ]
        for table in tree.css("table")
    }


def test_a_prefecture_page_shows_its_figures_with_charts_and_tables(history, client):
    response = client.get("/file-attente/94/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Personnes en attente d'une date aujourd'hui : <strong>2</strong>" in html
    shown = tables(html)
    key = shown["Chiffres clés sur 30 et 365 jours"]
    assert ["Délai médian jusqu'au jour de rendez-vous donné", "35,0 j", "37,5 j"] in key
    assert ["Délai que 90 % n'ont pas dépassé (jour donné)", "58,0 j", "58,0 j"] in key
    assert ["Renouvellements datés avant l'expiration du titre", "50 %", "50 %"] in key
    assert ["Taux d'absence", "25 %", "20 %"] in key
    deadlines = shown["Personnes en attente d'une date, selon leur échéance"]
    assert ["Échéance dépassée", "moins de 2"] in deadlines  # one person
    assert ["Dans 30 jours au plus", "0"] in deadlines
    capacity = shown["Créneaux des 30 derniers jours"]
    assert ["Créneaux ouverts", "6"] in capacity
    assert ["Perdu : fermeture", "1"] in capacity
    # One chart per table, drawn without script or inline style.
    assert html.count("<svg") == 3
    assert 'style="' not in html.split("<main", 1)[1]
    # The services' own pages are linked.
    assert 'href="/file-attente/94/receipt_pickup/"' in html


def test_a_service_page(history, client):
    html = client.get("/file-attente/94/receipt_pickup/").content.decode()
    key = tables(html)["Chiffres clés sur 30 et 365 jours"]
    assert ["Délai médian jusqu'au jour de rendez-vous donné", "42,5 j", "42,5 j"] in key


def test_the_national_overview_compares_prefectures(history, client):
    response = client.get("/file-attente/")
    assert response.status_code == 200
    compared = tables(response.content.decode())[
        "Chiffres par préfecture (délais et parts sur 365 jours)"
    ]
    assert compared[1] == ["Val-de-Marne (94)", "2", "37,5 j", "58,0 j", "50 %", "20 %"]


def test_unknown_scopes_are_not_found(history, client):
    assert client.get("/file-attente/99/").status_code == 404
    assert client.get("/file-attente/94/naturalisation/").status_code == 404


def test_pages_work_before_the_first_snapshot(db, client):
    queue_history.build()
    assert client.get("/file-attente/94/").status_code == 200
    assert client.get("/file-attente/").status_code == 200
