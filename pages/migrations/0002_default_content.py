"""The four trust pages with the text they ship with (the municipality's pages/), for staff to edit."""

from django.db import migrations


def add_pages(apps, schema_editor):
    # The text is read from the files when the migration runs, so that the pages start as the
    # files say; a page staff have already saved is left as it is.
    from pages.models import TrustPage, default_fields

    page_model = apps.get_model("pages", "TrustPage")
    for slug in TrustPage.Slug.values:
        page_model.objects.get_or_create(slug=slug, defaults=default_fields(slug))


def remove_pages(apps, schema_editor):
    apps.get_model("pages", "TrustPage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_trust_page")]

    operations = [migrations.RunPython(add_pages, remove_pages)]
