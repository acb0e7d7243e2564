from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .challenges import new_challenge, set_client_cookie


@never_cache
@require_GET
def challenge(request):
    """A fresh proof-of-work challenge for the intake form's script, priced for the préfecture
    the form is for (`?prefecture=94`) and bound to this browser by a cookie."""
    challenge, cookie = new_challenge(request, request.GET.get("prefecture"))
    response = JsonResponse(challenge)
    set_client_cookie(response, request, cookie)
    return response
