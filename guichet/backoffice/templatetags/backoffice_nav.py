"""`{% backoffice_urls as urls %}`: the pages the back-office's nav links to, reversed once per
process rather than on every page (every agent's page shows the nav: ten reversals)."""

import functools

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

register = template.Library()

PAGES = {
    "agenda": "backoffice:agenda",
    "checkin": "backoffice:checkin",
    "documents": "documents:queue",
    "registration": "backoffice:registration",
    "requests": "backoffice:requests",
    "disputes": "backoffice:disputes",
    "planning": "backoffice:planning",
    "registry": "backoffice:registry",
    "journal": "backoffice:journal",
    "logout": "backoffice:logout",
}


@functools.lru_cache(maxsize=16)
def reversed_pages(urlconf: str, prefix: str) -> dict[str, str]:
    """Those of the URL configuration, as `{% url … as name %}` finds them: absent, none."""
    found = {}
    for key, name in PAGES.items():
        try:
            found[key] = reverse(name, urlconf=urlconf)
        except NoReverseMatch:
            pass
    return found


@register.simple_tag
def backoffice_urls() -> dict[str, str]:
    return reversed_pages(get_urlconf(settings.ROOT_URLCONF), get_script_prefix())
