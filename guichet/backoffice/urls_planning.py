"""URLs of the back-office planning pages (see guichet/backoffice/urls.py)."""

urlpatterns: list = []
