"""Each kind of page gets its label, and the slots' count and earliest date when shown."""

import datetime

from guichet.observatory.classify import (
    CAPTCHA,
    ERROR,
    MAINTENANCE,
    NO_SLOT,
    OVERLOADED,
    RDV_PREFECTURE,
    SLOTS,
    TEXT_MATCH,
    UNKNOWN,
    classify_page,
)


def page(body, title="Prise de rendez-vous"):
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def test_legacy_grid_counts_free_cells_and_finds_the_earliest_day():
    grid = """<h2>Choix d'une plage horaire</h2><table>
      <tr><th>Jour</th><th>09:00</th><th>09:20</th></tr>
      <tr><th>mardi 14/05/2030</th><td>complet</td><td>libre</td></tr>
      <tr><th>lundi 13/05/2030</th><td>complet</td><td>complet</td></tr>
      <tr><th>jeudi 16/05/2030</th><td>libre</td><td>libre</td></tr></table>"""
    reading = classify_page(page(grid))
    assert reading.label == SLOTS
    assert reading.slot_count == 3
    assert reading.earliest == datetime.date(2030, 5, 14)


def test_legacy_description_step_means_slots_without_a_count():
    reading = classify_page(page("<h2>Description de la nature du rendez-vous</h2>"))
    assert (reading.label, reading.slot_count, reading.earliest) == (SLOTS, None, None)


def test_legacy_intermediate_steps_are_not_outcomes():
    conditions = classify_page(page('<input type="checkbox" name="condition" id="condition">'))
    planning = classify_page(page('<input type="radio" name="planning" value="7">'))
    assert (conditions.label, conditions.step) == (UNKNOWN, "conditions")
    assert (planning.label, planning.step) == (UNKNOWN, "planning")


def test_old_and_new_captchas_are_recognised():
    old = page('<h2>Contrôle de sécurité</h2><input name="eZHumanCAPTCHACode">')
    new = page('<div class="g-recaptcha" data-sitekey="x"></div>')
    assert classify_page(old).label == CAPTCHA
    assert classify_page(new).label == CAPTCHA


def test_captcha_step_named_only_in_an_image_alt_is_not_a_captcha():
    body = '<img alt="Contrôle de sécurité" src="etape_6.png">'
    body += "<h2>Vérification de disponibilité</h2>"
    body += "Il n’existe plus de plage horaire libre pour votre demande de rendez-vous."
    assert classify_page(page(body)).label == NO_SLOT


def test_failures():
    assert classify_page(page("<h1>Service surchargé</h1>")).label == OVERLOADED
    assert classify_page(page("<p>Site en maintenance</p>")).label == MAINTENANCE
    assert classify_page(page("Request forbidden by administrative rules.")).label == ERROR
    reading = classify_page(page("Bad Gateway"), status=502)
    assert (reading.label, reading.extra["status"]) == (ERROR, 502)


def test_rdv_prefecture_slots_and_no_slot():
    slots = page(
        '<input type="radio" id="trhId_2" value="2030-06-03T10:00">'
        '<input type="radio" id="trhId_1" value="2030-06-02T09:00">'
    )
    reading = classify_page(slots, RDV_PREFECTURE)
    assert (reading.label, reading.slot_count) == (SLOTS, 2)
    assert reading.earliest == datetime.date(2030, 6, 2)
    assert classify_page(page("Aucun créneau disponible"), RDV_PREFECTURE).label == NO_SLOT


def test_text_match_family_uses_the_targets_sentences():
    offered = page("Prochain rendez-vous le 04/07/2030")
    reading = classify_page(offered, TEXT_MATCH, slot_sentences=("Prochain rendez-vous",))
    assert (reading.label, reading.earliest) == (SLOTS, datetime.date(2030, 7, 4))
    full = page("Tout est réservé")
    assert classify_page(full, TEXT_MATCH, no_slot_sentences=("tout est réservé",)).label == NO_SLOT
    assert classify_page(full, TEXT_MATCH).label == UNKNOWN
