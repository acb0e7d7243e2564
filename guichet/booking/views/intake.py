"""Public intake pages: préfecture → service → identity → contact → expiry → sites → confirm."""

from django.shortcuts import redirect


def start(request):
    return redirect("home")
