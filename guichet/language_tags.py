"""`{% load languages %}` in templates: `{% french_term "titre de séjour" %}` after a
translated word shows the French one the person will read on their papers, in parentheses
and marked lang="fr"; in French it shows nothing (guichet.languages)."""

from django import template

from guichet.languages import french_term_html

register = template.Library()

register.simple_tag(french_term_html, name="french_term")
