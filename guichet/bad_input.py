"""Refuse, before any view runs, characters that PostgreSQL cannot store in text.

PostgreSQL refuses NUL in text and psycopg cannot encode a lone UTF-16 surrogate: either one, in a
secret link, a query string, a form field or a JSON body, made the view's first query fail with a
500. One middleware early in MIDDLEWARE covers every endpoint, those of today and those to come
(public pages, the API, the back-office, the admin), where checks in the intake rules and the URL
converters would each cover a few and miss query strings, other forms and headers. Nothing has
been read from or written to the database when it answers: a French page (DSFR) or, under /api/,
the API's JSON error shape, both 400.

Web forms and URLs cannot carry a lone surrogate (Django decodes them with replacement), but a JSON
string can (« \\ud800 »), so JSON bodies are parsed and walked.
"""

import json
import logging
import re

from django.http import JsonResponse
from django.utils.translation import gettext as _

from guichet.errors import unstorable_characters
from guichet.logs import mask_secrets

logger = logging.getLogger(__name__)

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
JSON_TYPES = re.compile(r"^application/(?:[\w.+-]+\+)?json$")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_unstorable(text: str) -> bool:
    return UNSTORABLE.search(text) is not None


def json_strings(value):
    """Every key and string of a parsed JSON document, walked without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def request_texts(request):
    """The texts of a request a view may store or look up: path, query, headers, form, JSON."""
    yield request.path_info
    for key, values in request.GET.lists():
        yield key
        yield from values
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str):
            yield value
    if request.method == "POST" and request.content_type in FORM_TYPES:
        for key, values in request.POST.lists():
            yield key
            yield from values
        for key, files in request.FILES.lists():
            yield key
            yield from (upload.name or "" for upload in files)
    elif JSON_TYPES.match(request.content_type or ""):
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError):
            return  # not JSON: the view answers that, as it always has
        yield from json_strings(document)


class RefuseUnstorableCharacters:
    """A request carrying NUL or a lone surrogate anywhere is answered 400, with nothing written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(has_unstorable(text) for text in request_texts(request)):
            logger.warning(
                "Refused a request with characters PostgreSQL cannot store: %s %s",
                request.method,
                mask_secrets(UNSTORABLE.sub("\N{REPLACEMENT CHARACTER}", request.path)),
            )
            if request.path_info.startswith("/api/"):
                detail = _(
                    "La requête contient un caractère que le service ne peut pas enregistrer "
                    "(caractère nul ou moitié de caractère Unicode). Rien n'a été enregistré."
                )
                return JsonResponse({"detail": detail, "errors": {}}, status=400)
            return unstorable_characters(request)
        return self.get_response(request)
