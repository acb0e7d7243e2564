"""URLs of the back-office registration pages (see guichet/backoffice/urls.py)."""

urlpatterns: list = []
