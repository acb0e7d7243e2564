from django.contrib import admin

from .models import AllocationBatch, Request


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ["number", "prefecture", "service", "status", "deadline", "registered_at"]
    list_filter = ["prefecture", "status", "channel"]
    search_fields = ["number", "family_name"]
    readonly_fields = ["number", "registered_at", "deadline", "status"]


@admin.register(AllocationBatch)
class AllocationBatchAdmin(admin.ModelAdmin):
    list_display = ["ran_at", "prefecture", "service", "waiting", "free_units", "dated", "seed"]
    list_filter = ["prefecture"]
