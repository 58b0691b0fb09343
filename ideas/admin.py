from django.contrib import admin
from django.shortcuts import redirect

from ideas.models import Comment, Initiative, InitiativeEvent, SupportRule


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
    # The text is the author's and the status is the moderators' and case officers': the site's
    # actions change them, with the timeline, the moderation log, the rendered HTML, the search
    # index and the people concerned told. Here staff read them; they do not change them.
    readonly_fields = [
        "title",
        "summary",
        "body",
        "status",
        "hidden_at",
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


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "initiative", "author", "created_at", "is_staff_comment"]
    list_filter = ["is_staff_comment"]
    search_fields = ["body", "author__email", "initiative__title"]
    list_select_related = ["initiative", "author"]
    # The body is the author's: moderators hide a comment on the site instead of rewriting it.
    readonly_fields = [
        "initiative",
        "parent",
        "author",
        "body",
        "hidden_at",
        "created_at",
        "edited_at",
        "removed_at",
    ]
    exclude = ["body_html", "client_token"]


@admin.register(SupportRule)
class SupportRuleAdmin(admin.ModelAdmin):
    """The one support rule: staff change it, never add a second or delete it. Initiatives
    published after a change get the new rule; those already open keep theirs."""

    list_display = ["__str__", "updated_at"]
    readonly_fields = ["updated_at"]
    actions = None

    def changelist_view(self, request, extra_context=None):
        # One row: the list is the rule itself.
        rule = SupportRule.current()
        return redirect("admin:ideas_supportrule_change", rule.pk)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
