from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from programme.actions import do_programme_import, do_programme_import_preview
from programme.forms import ProgrammeImportForm
from programme.models import (
    Fokusomrade,
    Forvaltning,
    Prioritering,
    Programme,
    Stadsdel,
    Viljeinriktning,
)


class ViljeinriktningInline(admin.TabularInline):
    model = Viljeinriktning
    fields = ["position", "title_sv", "title_en", "slug"]
    extra = 0
    show_change_link = True


class FokusomradeInline(admin.TabularInline):
    model = Fokusomrade
    fields = ["position", "title_sv", "title_en", "slug"]
    extra = 0
    show_change_link = True


class PrioriteringInline(admin.TabularInline):
    model = Prioritering
    fields = ["position", "tag", "slug", "summary_sv", "summary_en"]
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name_sv", "owner", "valid_from", "valid_to", "is_complete"]
    prepopulated_fields = {"slug": ["name_sv"]}
    inlines = [ViljeinriktningInline]
    change_list_template = "admin/programme/programme/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="programme_programme_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Import a programme file in two steps: the file first shows what it would create and
        change (nothing is written), then staff confirm and it is imported, all or nothing."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = ProgrammeImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import a programme file"),
        }
        if request.method == "POST" and form.is_valid():
            data = form.data_to_import
            if "confirm" in request.POST and not form.cleaned_data.get("file"):
                report = do_programme_import(data=data)
                self.message_user(
                    request,
                    _(
                        "Imported: %(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged."
                    )
                    % {
                        "created": len(report.created),
                        "updated": len(report.updated),
                        "unchanged": report.unchanged,
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:programme_programme_changelist")
            context |= {
                "preview": do_programme_import_preview(data=data),
                "programme_name": data.name_sv,
                "confirm_form": ProgrammeImportForm(initial={"content": form.cleaned_data["text"]}),
            }
        return TemplateResponse(request, "admin/programme/programme/import.html", context)


@admin.register(Viljeinriktning)
class ViljeinriktningAdmin(admin.ModelAdmin):
    list_display = ["title_sv", "title_en", "programme", "position"]
    list_filter = ["programme"]
    prepopulated_fields = {"slug": ["short_title_sv"]}
    inlines = [FokusomradeInline]


@admin.register(Fokusomrade)
class FokusomradeAdmin(admin.ModelAdmin):
    list_display = ["title_sv", "viljeinriktning", "position"]
    list_filter = ["viljeinriktning__programme", "viljeinriktning"]
    search_fields = ["title_sv", "title_en"]
    prepopulated_fields = {"slug": ["title_sv"]}
    inlines = [PrioriteringInline]


@admin.register(Prioritering)
class PrioriteringAdmin(admin.ModelAdmin):
    list_display = ["tag", "summary_sv", "fokusomrade", "position"]
    list_filter = ["fokusomrade__viljeinriktning"]
    search_fields = ["tag", "summary_sv", "summary_en"]
    prepopulated_fields = {"slug": ["tag"]}


@admin.register(Forvaltning)
class ForvaltningAdmin(admin.ModelAdmin):
    list_display = ["name_sv", "name_en"]
    search_fields = ["name_sv", "name_en"]
    prepopulated_fields = {"slug": ["name_sv"]}


@admin.register(Stadsdel)
class StadsdelAdmin(admin.ModelAdmin):
    list_display = ["name", "area"]
    list_filter = ["area"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
