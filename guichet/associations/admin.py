from django.contrib import admin

from .models import Mandate, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "accredited", "accredited_until"]
    list_filter = ["kind", "accredited", "prefectures"]
    filter_horizontal = ["prefectures"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "active"]
    list_filter = ["organisation", "active"]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    """Read-only: mandates are granted and revoked by members, with their events."""

    list_display = ["person_name", "organisation", "scope", "ends_on", "revoked_at"]
    list_filter = ["organisation", "scope"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
