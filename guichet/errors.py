"""Error views Django does not give us as we need them: a CSRF refusal explained in French, and
400 and 500 pages that still say something useful when the request, the database or even the
template is what broke.

403 and 404 use Django's own handlers with our templates (403.html, 404.html).
"""

import logging

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)

# The last resort, when even the template cannot be rendered: no template, no URL resolving. The
# paths are those of `home`, `booking:find_link` and `backoffice:login` (a test checks them).
LAST_RESORT = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>%(heading)s — Guichet</title></head>
<body>
<main>
<h1>%(heading)s</h1>
<p>%(lead)s</p>
<ul>
<li><a href="/">Page d'accueil</a></li>
<li><a href="/suivi/retrouver-mon-lien/">Retrouver mon lien de suivi</a></li>
<li><a href="/agent/connexion/">Espace agents : se connecter</a></li>
</ul>
</main>
</body>
</html>
"""


def _render_without_request(template_name: str, heading: str, lead: str) -> str:
    """No request context: neither context processors, the database (maybe what failed), nor
    the request (maybe malformed, e.g. an unknown host) can break the error page."""
    try:
        return loader.get_template(template_name).render()
    except Exception:
        logger.exception("%s could not be rendered; the last-resort page was sent.", template_name)
        return LAST_RESORT % {"heading": heading, "lead": lead}


def bad_request(request, exception):
    """handler400: 400.html, rendered without the request that was found suspicious."""
    return HttpResponseBadRequest(
        _render_without_request(
            "400.html",
            "Demande incorrecte",
            "Votre navigateur a envoyé une demande que le site ne peut pas traiter.",
        )
    )


def unstorable_characters(request):
    """A request carrying a character the database cannot store (guichet.bad_input): 400, said
    in French, with what to do, rendered like 400.html since the request itself is the problem."""
    return HttpResponseBadRequest(
        _render_without_request(
            "400_unstorable.html",
            "Caractère non accepté",
            "Ce que vous avez envoyé contient un caractère invisible que le site ne peut pas "
            "enregistrer. Rien n'a été enregistré.",
        )
    )


def server_error(request):
    """handler500: 500.html, rendered without request context."""
    return HttpResponseServerError(
        _render_without_request(
            "500.html",
            "Erreur inattendue",
            "Le service a rencontré un problème. Ce n'est pas de votre fait. "
            "Réessayez dans quelques minutes.",
        )
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a person whose form was refused learns why, and what to do, in French.

    The reason (technical, in English) stays in Django's security log, not on the page.
    """
    return render(request, "403_csrf.html", status=403)
