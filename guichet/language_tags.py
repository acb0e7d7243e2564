"""`{% load languages %}` in templates.

`{% french_term "titre de séjour" %}` after a translated word shows the French one the person
will read on their papers, in parentheses and marked lang="fr"; in French it shows nothing
(guichet.languages). `{{ value|ltr }}` keeps a request number, an e-mail address, a phone
number or a link readable left to right inside a right-to-left sentence.
"""

from django import template
from django.utils.html import format_html

from guichet.languages import french_term_html

register = template.Library()

register.simple_tag(french_term_html, name="french_term")


@register.filter
def ltr(value) -> str:
    """`value` isolated left to right (<bdi dir="ltr">): « 34-GX73-SHHM » never reads
    « SHHM-GX73-34 » in Arabic. Nothing changes in a left-to-right page."""
    if value in (None, ""):
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)
