"""The public JSON API (OpenAPI at /api/docs). Each domain app adds its router here."""

from ninja import NinjaAPI

from guichet.booking.api import router as booking_router

api = NinjaAPI(
    title="Guichet",
    version="1",
    description="Demandes de rendez-vous au service des étrangers des préfectures.",
    urls_namespace="api",
)
api.add_router("/", booking_router)
