import html
import json
import re

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


def _confirm_content(page: str) -> str:
    """The file's text the preview carries on to the confirmation."""
    match = re.search(r'<input type="hidden" name="content" value="([^"]*)"', page)
    assert match, "the preview has no confirmation form"
    return html.unescape(match[1])


def test_staff_see_what_a_file_would_change_before_it_is_imported(staff_client):
    preview = staff_client.post(URL, {"file": _upload(PROGRAMME_FILE.read_bytes())})

    page = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="import-preview"' in page
    assert "Ett varmt välkomnande" in page
    assert not Viljeinriktning.objects.exists()

    imported = staff_client.post(URL, {"content": _confirm_content(page), "confirm": "1"})

    assert imported.status_code == 302
    assert Viljeinriktning.objects.count() == 5
    assert Fokusomrade.objects.count() == 7


def test_the_preview_names_what_a_new_version_changes(staff_client, programme):
    data = json.loads(PROGRAMME_FILE.read_text(encoding="utf-8"))
    data["viljeinriktningar"][0]["title_sv"] = "Ett ännu varmare välkomnande"

    preview = staff_client.post(URL, {"file": _upload(json.dumps(data).encode())})

    page = preview.content.decode()
    assert "1 ändrad post" in page
    assert "title_sv" in page
    assert Viljeinriktning.objects.get(slug="varmt-valkomnande").title_sv == "Ett varmt välkomnande"


def test_a_file_that_changes_nothing_says_so_and_offers_no_import(staff_client, programme):
    preview = staff_client.post(URL, {"file": _upload(PROGRAMME_FILE.read_bytes())})

    page = preview.content.decode()
    assert 'name="confirm"' not in page


def test_a_tampered_confirmation_is_checked_again(staff_client):
    response = staff_client.post(URL, {"content": '{"format": "nope"}', "confirm": "1"})

    assert response.status_code == 200
    assert "Inget har ändrats." in response.content.decode()
    assert not Viljeinriktning.objects.exists()


def test_the_platform_administrator_imports_too(client, db):
    from django.contrib.auth.models import Group

    from accounts.roles import ADMINISTRATOR
    from tests.factories import UserFactory
    from tests.sessions import sign_in

    administrator = UserFactory(is_staff=True)
    administrator.groups.add(Group.objects.get(name=ADMINISTRATOR))
    sign_in(client, administrator)

    preview = client.post(URL, {"file": _upload(PROGRAMME_FILE.read_bytes())})
    imported = client.post(
        URL, {"content": _confirm_content(preview.content.decode()), "confirm": "1"}
    )

    assert imported.status_code == 302
    assert Viljeinriktning.objects.count() == 5


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
