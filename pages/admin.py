from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pages.models import TrustPage


@admin.register(TrustPage)
class TrustPageAdmin(admin.ModelAdmin):
    """The four pages exist from the start (a data migration writes their text). Staff edit
    them; they can add one only if it is missing, and never delete one: the personal data
    and accessibility pages are required by law."""

    list_display = ["__str__", "title_sv", "has_english", "updated_at"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "updated_at"]}),
        (_("Swedish"), {"fields": ["title_sv", "body_sv"]}),
        (_("English"), {"fields": ["title_en", "body_en"]}),
    ]

    @admin.display(boolean=True, description=_("in English"))
    def has_english(self, page: TrustPage) -> bool:
        return bool(page.body_en.strip())

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    def has_add_permission(self, request) -> bool:
        missing = set(TrustPage.Slug.values) - set(TrustPage.objects.values_list("slug", flat=True))
        return bool(missing) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
