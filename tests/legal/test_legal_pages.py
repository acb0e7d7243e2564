"""The pages a French public service must publish, with the operator's details from settings,
linked from the footer of every public page."""

import pytest
from selectolax.lexbor import LexborHTMLParser

from guichet.production.checks import operator_named

LEGAL_PAGES = {
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles",
    "/accessibilite/": "Accessibilité : partiellement conforme",
    "/plan-du-site/": "Plan du site",
}
PUBLIC_PAGES = [
    "/",
    "/demande/",
    "/suivi/retrouver-mon-lien/",
    "/observatoire/",
    "/file-attente/",
    "/file-attente/donnees/",
    "/page-qui-n-existe-pas/",
    *LEGAL_PAGES,
]


def footer_links(html: str) -> dict[str, str]:
    footer = LexborHTMLParser(html).css_first("footer")
    return {a.text(strip=True): a.attributes["href"] for a in footer.css("a")}


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_footer_links_the_four_pages(client, db, path):
    links = footer_links(client.get(path).content.decode())
    for href, text in LEGAL_PAGES.items():
        assert links.get(text) == href


def test_operator_details_come_from_settings(client, db, settings):
    settings.GUICHET_OPERATOR = {
        **settings.GUICHET_OPERATOR,
        "name": "Préfecture du Val-de-Marne",
        "address": "21-29 avenue du Général de Gaulle, 94000 Créteil",
        "dpo_email": "dpd@val-de-marne.gouv.fr",
        "host_name": "Hébergeur souverain",
    }
    notice = client.get("/mentions-legales/").content.decode()
    assert "Préfecture du Val-de-Marne" in notice
    assert "21-29 avenue du Général de Gaulle, 94000 Créteil" in notice
    assert "Hébergeur souverain" in notice
    data = client.get("/donnees-personnelles/").content.decode()
    assert 'href="mailto:dpd@val-de-marne.gouv.fr"' in data


def test_personal_data_page_states_the_retention_periods_in_force(client, db, settings):
    settings.GUICHET_RETENTION = {
        "closed_request_days": 400,
        "unconfirmed_request_days": 20,
        "dossier_days": 90,
    }
    html = client.get("/donnees-personnelles/").content.decode()
    assert "400 jours après la clôture de la demande" in html
    assert "90 jours après sa création" in html
    assert "20 jours après son expiration" in html


def test_accessibility_statement_is_honest_about_automated_checks(client, db):
    html = client.get("/accessibilite/").content.decode()
    assert "partiellement conforme" in html
    assert "RGAA), version 4.1" in html
    assert "axe-core" in html
    assert "ne remplacent pas un audit RGAA" in html


def test_deploy_check_warns_while_the_operator_is_the_demos(settings):
    settings.DEBUG = False
    assert [message.id for message in operator_named()] == ["guichet.W002"]
    settings.GUICHET_OPERATOR = {**settings.GUICHET_OPERATOR, "name": "Préfecture de l'Hérault"}
    assert operator_named() == []
