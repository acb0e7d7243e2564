"""Public intake as JSON: the same rules as the web pages."""

from ninja import Router

router = Router(tags=["demandes"])
