"""Each document's state is a DSFR badge whose colour says what to do: done (green), to redo
(orange), missing (red), being checked (blue), still to send (« new »)."""

import pytest
from django.template import Context, Template

from guichet.documents.enums import DocumentState

COLOURS = {
    DocumentState.EXPECTED: "fr-badge--new",
    DocumentState.SENT: "fr-badge--info",
    DocumentState.ACCEPTED: "fr-badge--success",
    DocumentState.NOT_CONCERNED: "fr-badge--success",
    DocumentState.REDO: "fr-badge--warning",
    DocumentState.MISSING: "fr-badge--error",
}


@pytest.mark.parametrize("state", list(DocumentState))
def test_each_state_has_its_colour_and_label(state):
    html = Template("{% load dossiers %}{{ state|state_badge:label }}").render(
        Context({"state": state.value, "label": state.label})
    )

    assert html == (
        '<span class="fr-badge fr-badge--sm fr-mb-0 document-state '
        f'{COLOURS[state]}">{state.label}</span>'
    )


def test_the_label_is_escaped():
    html = Template("{% load dossiers %}{{ 'sent'|state_badge:label }}").render(
        Context({"label": "<b>Envoyé</b>"})
    )

    assert "<b>" not in html and "&lt;b&gt;Envoyé&lt;/b&gt;" in html
