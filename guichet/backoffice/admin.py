"""The journal is read-only for everyone; agent accounts are managed by Guichet's administrators."""

from django.contrib import admin

from guichet.read_only_admin import ReadOnlyAdmin

from .access import agent_of
from .enums import Role
from .models import Agent, JournalEntry


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    """Readable, never written: not even a superuser may add, change or delete a line."""

    list_display = ["at", "prefecture", "user", "action", "request"]
    list_filter = ["prefecture", "action"]
    search_fields = ["request__number", "user__username"]
    date_hierarchy = "at"
    list_select_related = ["prefecture", "user", "request"]


def is_administrator(user) -> bool:
    if user.is_superuser:
        return True
    agent = agent_of(user)
    return agent is not None and agent.has_role(Role.ADMINISTRATOR)


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    """Who works for which préfecture, with which role: for Guichet's administrators only."""

    list_display = ["user", "prefecture", "role"]
    list_filter = ["prefecture", "role"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user"]

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)
