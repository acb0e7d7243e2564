"""The person's language: which one a page speaks, which one their messages use, and the
French words kept beside a translation.

The public side is negotiated by Django's LocaleMiddleware (the switcher's cookie, then the
browser's Accept-Language); URLs carry no language. Agents' and association members' pages stay
in French whatever the browser asks (`FrenchForAgents`). A request's own pages speak the language
stored with it unless this browser chose another (`speak_their_language`).
docs/decisions/0014-languages.md says why.
"""

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import format_html


def supported(code: str | None) -> str:
    """`code` as one of settings.LANGUAGES (« en-GB » -> « en », « zh-Hans » -> « zh-hans »),
    French when Guichet does not speak it."""
    try:
        return translation.get_supported_language_variant(code or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def current() -> str:
    """The language the page or message being made speaks, as one of settings.LANGUAGES."""
    return supported(translation.get_language())


def is_french() -> bool:
    return current() == settings.LANGUAGE_CODE


def language_name(code: str) -> str:
    """A language named in itself (« العربية », « Español »), as the switcher names it."""
    return dict(settings.LANGUAGES).get(code, code)


class FrenchForAgents:
    """Agents work in French (the authority's language, and what their colleagues read):
    their pages ignore the browser's language and the switcher's cookie. Placed right after
    LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.french_only = request.path_info.startswith(settings.GUICHET_FRENCH_ONLY_PATHS)
        if request.french_only:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)


def speak_their_language(http_request, booking_request) -> None:
    """On a request's own pages, the language stored with it (chosen at intake or in its
    preferences), unless this browser picked one with the switcher: a link opened from a
    message on another device reads as the messages do."""
    if settings.LANGUAGE_COOKIE_NAME in http_request.COOKIES:
        return
    language = supported(booking_request.language)
    translation.activate(language)
    http_request.LANGUAGE_CODE = language


def with_french(translated, french: str) -> str:
    """`translated`, then « (french) » when the page is not in French: the legal and
    administrative words (« titre de séjour », « récépissé », « numéro AGDREF ») the person will
    read on their papers and hear at the counter stay recognisable. In French, or when the
    translation already gives the French word (translators often do, inside the sentence),
    `translated`."""
    if is_french() or french in str(translated):
        return str(translated)
    return f"{translated} ({french})"


# For labels and help texts defined at import time, worked out when shown.
with_french_lazy = lazy(with_french, str)


def french_term_html(french: str) -> str:
    """« <span lang="fr">(titre de séjour)</span> » beside a translation, nothing in French;
    `lang` makes screen readers say it in French."""
    if is_french():
        return ""
    return format_html(' <span lang="{}">({})</span>', settings.LANGUAGE_CODE, french)
