"""Each kind of page or screenshot text gets its label, and the slots' count and earliest date."""

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
    classify_screenshot_text,
    parse_date,
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


# Screenshots are classified from the text OCR reads in them; these texts keep OCR's noise (radio
# buttons read as « O » or « © », stray marks, a summary column mixed into the lines).
EAPPOINTMENT_TOP = """Services en ligne Prise de rendez-vous pour le service aux étrangers
3/4 : Lieu, date et heure
Veuillez sélectionner la date puis l'heure souhaitée.
Choisissez la date (cliquez sur le calendrier), ———— Résumé :
"""


def test_time_choice_counts_the_distinct_times_shown_on_the_chosen_day():
    text = (
        EAPPOINTMENT_TOP
        + """Choix de la date À partir de Rendez-vous au
23/01/2020 BL 09:00 Préfecture de Créteil
Choix d'une heure
© À 09:45 OA 10:57 OA 11:51
OA 09:48 Oa 11:21 OA 11:54
O A 09:51 OA 11:24 OA 14:24 OA 09:48
Continuer"""
    )
    reading = classify_screenshot_text(text)
    assert (reading.label, reading.step) == (SLOTS, "times")
    assert reading.slot_count == 9  # 09:48 read twice is one time; the 09:00 filter is none
    assert reading.earliest == datetime.date(2020, 1, 23)


def test_open_calendar_counts_the_days_printed_dark_enough_to_be_read():
    text = (
        EAPPOINTMENT_TOP
        + """Choix de la date À partir de Rendez-vous au
Choisissez... 7 Préfecture de Créteil
L M M J V S D L M M J V S D
3 4 6 7 2
23 24 17 18
Fermer
Retour Continuer"""
    )
    reading = classify_screenshot_text(text)
    assert (reading.label, reading.step) == (SLOTS, "calendar")
    assert reading.extra == {"bookable_days": 9}


def test_calendar_without_a_readable_day_is_not_read_as_availability():
    text = EAPPOINTMENT_TOP + "L M M J V S D L M M J V S D\nFermer"
    reading = classify_screenshot_text(text)
    assert (reading.label, reading.step) == (UNKNOWN, "calendar")


def test_a_day_chosen_in_the_calendar_means_slots_that_day():
    text = EAPPOINTMENT_TOP + "Choix de la date À partir de\n23/01/2020 Choisissez... v"
    reading = classify_screenshot_text(text)
    assert (reading.label, reading.step) == (SLOTS, "date")
    assert reading.earliest == datetime.date(2020, 1, 23)


def test_date_step_with_nothing_chosen_says_nothing():
    text = EAPPOINTMENT_TOP + "Choix de la date À partir de\nChoisissez... v"
    assert classify_screenshot_text(text).label == UNKNOWN


def test_personal_details_step_means_a_time_was_chosen():
    text = """4/4 : informations personnelles
Veuillez compléter les informations suivantes afin de vous identifier lors de votre venue.
Email * Téléphone * Le 23 janv. 2020
à 09:45
Ccde de vérification (*
2895"""
    reading = classify_screenshot_text(text)
    assert (reading.label, reading.step) == (SLOTS, "details")
    assert reading.earliest == datetime.date(2020, 1, 23)


def test_eappointment_refusal_is_no_slot_even_on_the_date_step():
    text = EAPPOINTMENT_TOP + (
        "23/01/2020\nAucun rendez-vous n'est possible pour les motifs selectionnnés "
        "ou le créneau horaire séléctionné."
    )
    assert classify_screenshot_text(text).label == NO_SLOT


def test_legacy_messages_read_the_same_on_a_screenshot():
    no_slot = "Vérification de disponibilité\nIl n’existe plus de plage horaire libre pour votre"
    assert classify_screenshot_text(no_slot).label == NO_SLOT
    assert classify_screenshot_text("Service surchargé").label == OVERLOADED
    assert classify_screenshot_text("Choix d'une plage horaire\nlibre complet").label == SLOTS
    assert classify_screenshot_text("Contrôle de sécurité").label == CAPTCHA


def test_a_lone_short_code_is_a_captcha_image_and_nothing_else_is():
    assert classify_screenshot_text("2895\n\n").label == CAPTCHA
    assert classify_screenshot_text("xK7p2").label == CAPTCHA
    assert classify_screenshot_text("Retour Continuer").label == UNKNOWN
    assert classify_screenshot_text("  \n").label == UNKNOWN


def test_dates_written_with_french_month_names():
    assert parse_date("Le 23 janv. 2020 à 09:45") == datetime.date(2020, 1, 23)
    assert parse_date("le 1 décembre 2030") == datetime.date(2030, 12, 1)
    assert parse_date("31 févr. 2020") is None


# Reading by structure: what a page lets a person choose, whatever its wording.


def radios(*labels):
    return "".join(
        f'<input type="radio" id="c{n}" name="c"><label for="c{n}">{label}</label>'
        for n, label in enumerate(labels)
    )


def test_times_written_every_way_are_choices_of_a_slot():
    for label in ("09h15", "9:15", "à 14 h 30", "14h", "10 heures", "09:00 - 09:15"):
        reading = classify_page(page(radios(label)), TEXT_MATCH)
        assert (reading.label, reading.rule, reading.slot_count) == (SLOTS, "structure:times", 1)


def test_labels_that_only_mention_hours_are_not_times_to_choose():
    body = radios("Guichet 2 - dépôt de 9h à 12h", "Remise de titre") + "<p>Ouvert 9h-12h</p>"
    body += '<a href="/rdv">Prendre rendez-vous</a><select><option value="1">1</option></select>'
    assert classify_page(page(body), TEXT_MATCH).label == UNKNOWN


def test_a_time_takes_its_day_from_its_group_and_the_earliest_day_is_kept():
    body = (
        '<fieldset><legend>Jeudi 14 janvier 2027</legend><button type="button">10h00</button>'
        "</fieldset><fieldset><legend>Mardi 12 janvier 2027</legend><button>9h15</button>"
        "<button disabled>9h30</button></fieldset>"
    )
    reading = classify_page(page(body), RDV_PREFECTURE)
    assert reading.slot_count == 2  # the disabled time is taken
    assert reading.dates == (datetime.date(2027, 1, 12), datetime.date(2027, 1, 14))
    assert reading.earliest == datetime.date(2027, 1, 12)


def test_a_hidden_no_slot_alert_does_not_hide_the_times_offered():
    body = '<div class="fr-alert" hidden>Aucun créneau disponible</div>' + radios("09h15")
    assert classify_page(page(body), RDV_PREFECTURE).label == SLOTS


def test_times_or_days_all_shut_are_no_slot():
    shut = '<button disabled>09:00</button><button aria-disabled="true">09:20</button>'
    reading = classify_page(page(shut), TEXT_MATCH)
    assert (reading.label, reading.rule) == (NO_SLOT, "structure:empty calendar")


def calendar(*cells):
    header = "".join(f"<th>{day}</th>" for day in ("lun.", "mar.", "mer.", "jeu.", "ven."))
    return (
        f"<table><caption>Février 2027</caption><tr>{header}</tr><tr>{''.join(cells)}</tr></table>"
    )


def test_a_calendar_offers_its_clickable_days_and_an_empty_one_offers_none():
    closed = '<td class="disabled"><span>1</span></td>'
    offered = calendar(closed, '<td><a href="#">2</a></td>', "<td><button>3</button></td>")
    reading = classify_page(page(offered), TEXT_MATCH)
    assert (reading.label, reading.rule, reading.extra) == (SLOTS, "structure:days", {"days": 2})
    assert reading.earliest == datetime.date(2027, 2, 2)
    empty = calendar(closed, "<td><button disabled>2</button></td>")
    assert classify_page(page(empty), TEXT_MATCH).label == NO_SLOT


def test_a_select_of_days_offers_those_days_and_its_placeholder_is_not_one():
    days = ("Mercredi 10 février 2027", "Lundi 8 février 2027")
    options = "".join(f'<option value="{n}">{day}</option>' for n, day in enumerate(days))
    select = f'<select><option value="">Choisir une date</option>{options}</select>'
    reading = classify_page(page(select), TEXT_MATCH)
    assert (reading.label, reading.rule) == (SLOTS, "structure:days")
    assert reading.dates == (datetime.date(2027, 2, 8), datetime.date(2027, 2, 10))
    placeholder_only = classify_page(page("<select><option value=''>Lundi 8 février 2027</option>"))
    assert placeholder_only.label == UNKNOWN


def test_every_reading_says_which_rule_decided():
    assert classify_page(page("x"), status=503).rule == "http"
    assert classify_page(page("Aucun créneau disponible")).rule == "message:no_slot"
    assert classify_page(page('<div class="g-recaptcha"></div>')).rule == "captcha"
    assert classify_page(page("Rien"), TEXT_MATCH).rule == "none"


def test_news_links_and_opening_hours_are_neither_slots_nor_an_empty_calendar():
    news = '<ul><li><a href="/actu/1">14h30 : conférence de presse du préfet</a></li></ul>'
    hours = calendar("<td>9:00 - 12:00</td>", "<td>9:00 - 12:00</td>", "<td>Fermé</td>")
    for body in (news, hours):
        assert classify_page(page(body), TEXT_MATCH).label == UNKNOWN
