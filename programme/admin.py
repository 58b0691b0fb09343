from django.contrib import admin

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
