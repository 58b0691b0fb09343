import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from programme.models import Fokusomrade, Viljeinriktning
from tests.conftest import PROGRAMME_FILE

URL = "/admin/programme/programme/import/"


@pytest.fixture
def staff_client(client, db):
    admin = get_user_model().objects.create_superuser(
        email="admin@example.org", password="x", display_name="Admin"
    )
    client.force_login(admin)
    return client


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("programme.json", content, content_type="application/json")


def test_staff_import_a_programme_file_in_the_admin(staff_client):
    response = staff_client.post(URL, {"file": _upload(PROGRAMME_FILE.read_bytes())})

    assert response.status_code == 302
    assert Viljeinriktning.objects.count() == 5
    assert Fokusomrade.objects.count() == 7


def test_a_broken_file_is_refused_in_the_admin_with_the_reason(staff_client):
    data = json.loads(PROGRAMME_FILE.read_text(encoding="utf-8"))
    del data["viljeinriktningar"][0]["slug"]

    response = staff_client.post(URL, {"file": _upload(json.dumps(data).encode())})

    assert response.status_code == 200
    assert "viljeinriktningar[0]: ”slug” saknas. Inget har ändrats." in response.content.decode()
    assert not Viljeinriktning.objects.exists()


def test_a_binary_file_is_refused_in_the_admin(staff_client):
    response = staff_client.post(URL, {"file": _upload(b"\\xff\\xfe\\x00garbage")})

    assert response.status_code == 200
    assert "Inget har ändrats." in response.content.decode()


def test_residents_cannot_reach_the_import(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    assert client.get(URL).status_code == 302
