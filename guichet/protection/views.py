from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .challenges import new_challenge


@never_cache
@require_GET
def challenge(request):
    """A fresh proof-of-work challenge for the intake form's script."""
    return JsonResponse(new_challenge())
