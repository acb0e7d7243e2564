"""Requests and batches are read in the admin, never written there.

A request changes only through Guichet's own steps, each of which writes its history; an edit here
would write none (and leave the identity key, which finds duplicates, stale), and a deletion would
destroy evidence (docs/decisions/0002-admin-behind-the-back-office-login.md).
"""

from django.contrib import admin

from guichet.read_only_admin import ReadOnlyAdmin

from .models import AllocationBatch, Request


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ["number", "prefecture", "service", "status", "deadline", "registered_at"]
    list_filter = ["prefecture", "status", "channel"]
    search_fields = ["number", "family_name"]


@admin.register(AllocationBatch)
class AllocationBatchAdmin(ReadOnlyAdmin):
    """A batch's seed and counts make it replayable: a record, not a setting."""

    list_display = ["ran_at", "prefecture", "service", "waiting", "free_units", "dated", "seed"]
    list_filter = ["prefecture"]
