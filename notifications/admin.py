from django.contrib import admin

from notifications.models import Follow, Notification, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "initiative", "created_at", "read_at", "email", "attempts"]
    list_filter = ["kind", "email"]
    raw_id_fields = ["recipient", "initiative", "comment", "actor"]
    date_hierarchy = "created_at"


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "initiative", "active", "created_at"]
    list_filter = ["active"]
    raw_id_fields = ["user", "initiative"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "own_content", "followed", "last_digest_at"]
    raw_id_fields = ["user"]
