from django.contrib import admin

from accounts.models import Block
from moderation.models import AdmissibilityRule, Flag, ModerationDecision


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(admin.ModelAdmin):
    """The log can be read in the admin, never added to, changed or deleted there."""

    list_display = ["created_at", "moderator", "action", "initiative", "comment", "subject_user"]
    list_filter = ["action", "moderator"]
    search_fields = ["text", "initiative__title", "subject_user__email"]
    list_select_related = ["moderator", "initiative", "comment", "subject_user"]
    date_hierarchy = "created_at"
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reason", "initiative", "comment", "resolved_at"]
    list_filter = ["reason", "resolved_at"]
    list_select_related = ["initiative", "comment"]
    readonly_fields = ["reporter", "initiative", "comment", "reason", "text", "created_at"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["user", "moderator", "starts_at", "ends_at", "lifted_at"]
    list_select_related = ["user", "moderator"]
    readonly_fields = ["user", "moderator", "starts_at"]


@admin.register(AdmissibilityRule)
class AdmissibilityRuleAdmin(admin.ModelAdmin):
    """The municipality's rules for proposals that cannot be taken up. A rule that no longer
    applies is switched off, never deleted: decisions that named it keep its words."""

    list_display = ["text_sv", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["text_sv", "text_en", "code"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        # Decisions store the code: once the rule exists it keeps it.
        return ["code"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
