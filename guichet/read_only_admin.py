"""The admin's read-only pages: records written by Guichet's own steps (requests, batches, the
journal, mandates, the observatory's checks) are read in the admin, never added, changed or
deleted there, since an edit would write no history (docs/decisions/0002)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model admin that shows rows and refuses to add, change or delete them, even to a
    superuser."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
