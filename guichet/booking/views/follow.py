"""Pages a person reaches after registering: receipt, PDF, status by secret link; public check."""

from django.http import Http404


def receipt(request, token):
    raise Http404


def receipt_pdf(request, token):
    raise Http404


def status(request, token):
    raise Http404


def verify(request, signed):
    raise Http404
