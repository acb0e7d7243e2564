"""URLs of the registry pages, mounted in the back-office under registre/."""

urlpatterns: list = []
