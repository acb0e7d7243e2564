from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.i18n import set_language

from guichet.api import api

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("", include("guichet.booking.urls")),
    path("", include("guichet.documents.urls")),
    path("agent/", include("guichet.backoffice.urls")),
    path("association/", include("guichet.associations.urls")),
    path("observatoire/", include("guichet.observatory.urls")),
    path("file-attente/", include("guichet.transparency.urls")),
    path("", include("guichet.privacy.urls")),
    path("", include("guichet.legal.urls")),
    path("api/", api.urls),
    # The language switcher posts to Django's set_language (/langue/ : a cookie, then back).
    path("langue/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

# 400.html and 500.html are rendered without request context or database (guichet.errors).
handler400 = "guichet.errors.bad_request"
handler500 = "guichet.errors.server_error"
