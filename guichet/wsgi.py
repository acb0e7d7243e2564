import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse here to serve production with public or missing secrets.
from guichet.production.checks import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()
