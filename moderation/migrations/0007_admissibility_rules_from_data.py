"""The municipality's admissibility rules, from its data file (settings.MUNICIPALITY_DIR), as the
rules staff start from. A rule staff have already saved is left as it is."""

from django.conf import settings
from django.db import migrations


def add_rules(apps, schema_editor):
    rule_model = apps.get_model("moderation", "AdmissibilityRule")
    for position, rule in enumerate(settings.MUNICIPALITY.get("admissibility", [])):
        rule_model.objects.get_or_create(
            code=rule["code"],
            defaults={
                "text_sv": rule["text_sv"],
                "text_en": rule.get("text_en", ""),
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0006_admissibilityrule")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
