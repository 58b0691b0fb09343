from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Membership, Organisation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "forvaltning", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "groups", "forvaltning", "is_verified_resident"]
    search_fields = ["email", "display_name"]
    # Verified only by e-legitimation (accounts.elegitimation): one identity, one account.
    readonly_fields = ["date_joined", "last_login", "deleted_at", "is_verified_resident"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "language", "is_verified_resident"]}),
        (
            _("Staff"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "forvaltning",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["date_joined", "last_login", "deleted_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})
    ]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Staff verify organisations here. Whether one is shown at all is a moderator's decision
    in the moderation queue, logged and told to its administrators, so here it is only read."""

    list_display = ["name", "kind", "review_state", "is_verified", "created_at"]
    list_filter = ["kind", "review_state", "is_verified"]
    readonly_fields = ["review_state", "review_reason", "review_decided_at"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["fokusomraden"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at", "declined_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token", "created_at"]
