from django.contrib import admin
from django.db import models

from guichet.read_only_admin import ReadOnlyAdmin

from .models import Check, Dossier, PersonalTry, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "procedure",
        "prefecture",
        "department_code",
        "family",
        "checks_per_day",
        "enabled",
    ]
    list_display_links = ["procedure"]
    list_editable = ["checks_per_day", "enabled"]
    list_filter = ["enabled", "family", "department_code"]
    search_fields = ["prefecture", "procedure", "url"]
    readonly_fields = ["next_check_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Check)
class CheckAdmin(ReadOnlyAdmin):
    """Read only: a check is evidence, chained to the others; changing one would break the chain.

    Filtered on « page non reconnue », it lists the pages to label into the corpus
    (`guichet observe label <numéro> <label>`, docs/observatory.md).
    """

    list_display = [
        "sequence",
        "target",
        "checked_at",
        "outcome",
        "bucket",
        "slot_count",
        "earliest",
        "rule",
        "evidence",
    ]
    list_filter = ["outcome", "bucket", "rule", "target__department_code"]
    date_hierarchy = "checked_at"


class PersonalTryInline(admin.TabularInline):
    model = PersonalTry
    extra = 0
    readonly_fields = ["file", "file_sha256"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["target", "period_start", "period_end", "created_at"]
    inlines = [PersonalTryInline]
