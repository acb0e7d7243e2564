"""Django's accounts backend, reading a session's user with their agent profile in one query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .access import remember_agent


class AgentBackend(ModelBackend):
    """Passwords as Django's ModelBackend checks them; the user of a session, read at every
    request, comes with their agent profile and its préfecture (`access.agent_of` asks for them
    next on every back-office page): one query, not two. A user without a profile reads as
    before, their profile None.

    A plain filter, not ModelBackend's `get()`: its LIMIT makes PostgreSQL weigh more plans for a
    join (docs/decisions/0015-pages-opened-all-day.md)."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.filter(pk=user_id)
        found = list(users.select_related("agent__prefecture"))
        if not found:
            return None
        user = found[0]
        remember_agent(user)
        return user if self.user_can_authenticate(user) else None
