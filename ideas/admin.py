from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ideas.actions import initiative_publish
from ideas.models import Comment, Initiative, InitiativeEvent


class InitiativeEventInline(admin.TabularInline):
    model = InitiativeEvent
    fields = ["created_at", "kind", "status", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "fokusomrade", "author", "support_count", "submitted_at"]
    list_filter = ["status", "fokusomrade__viljeinriktning", "stadsdel", "seeking_partners"]
    search_fields = ["title", "summary", "author__email", "author__display_name"]
    date_hierarchy = "created_at"
    list_select_related = ["fokusomrade", "author"]
    autocomplete_fields = ["author", "organisation"]
    filter_horizontal = ["prioriteringar"]
    readonly_fields = [
        "status",
        "submitted_at",
        "published_at",
        "support_ends_at",
        "support_threshold",
        "ready_at",
        "support_count",
        "comment_count",
        "created_at",
    ]
    exclude = ["body_html", "search_vector", "client_token", "version"]
    inlines = [InitiativeEventInline]
    actions = ["publish"]

    @admin.action(description=_("Publish the selected initiatives in review"))
    def publish(self, request, queryset):
        """Until the moderation queue exists, staff approve initiatives here."""
        published = 0
        for initiative in queryset.filter(status=Initiative.Status.SUBMITTED):
            try:
                initiative_publish(initiative=initiative, actor=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                published += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d initiative was published.",
                "%(count)d initiatives were published.",
                published,
            )
            % {"count": published},
            messages.SUCCESS if published else messages.WARNING,
        )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "initiative", "author", "created_at", "is_staff_comment"]
    list_filter = ["is_staff_comment"]
    search_fields = ["body", "author__email", "initiative__title"]
    list_select_related = ["initiative", "author"]
    readonly_fields = ["initiative", "parent", "author", "created_at", "edited_at", "removed_at"]
    exclude = ["body_html", "client_token"]
