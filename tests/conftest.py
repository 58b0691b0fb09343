from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

PROGRAMME_FILE = Path(settings.BASE_DIR) / "programme" / "data" / "livskvalitetsprogrammet-2016.json"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def programme(db):
    """The real 2016 programme and the city's reference data, imported from the repo's files."""
    call_command("import_programme", str(PROGRAMME_FILE), verbosity=0)
    call_command("load_reference_data", verbosity=0)
    from programme.models import Programme

    return Programme.objects.get(slug="livskvalitetsprogrammet-2016")
