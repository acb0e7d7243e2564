from django.contrib import admin

from .models import Closure, OpeningRule, Prefecture, Service, Site


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ["department_code", "name", "time_zone", "allocation_interval_minutes"]
    inlines = [SiteInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "prefecture", "kind", "deadline_kind", "target_wait_days"]
    list_filter = ["prefecture", "kind"]


@admin.register(OpeningRule)
class OpeningRuleAdmin(admin.ModelAdmin):
    list_display = ["site", "service", "weekday", "opens_at", "closes_at", "desks", "slot_minutes"]
    list_filter = ["site__prefecture"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["prefecture", "site", "starts_on", "ends_on", "reason"]
