from django.contrib import admin

from guichet.read_only_admin import ReadOnlyAdmin

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
class MandateAdmin(ReadOnlyAdmin):
    """Read-only: mandates are granted and revoked by members, with their events."""

    list_display = ["person_name", "organisation", "scope", "ends_on", "revoked_at"]
    list_filter = ["organisation", "scope"]
