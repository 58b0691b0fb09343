"""Whatever a person sends, they get a clear message in their language, keep what they typed,
and never see a server error."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ideas.models import Initiative, Support
from tests.factories import (
    CommentFactory,
    DraftFactory,
    FokusomradeFactory,
    InitiativeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _form(fokusomrade, **overrides) -> dict:
    return {
        "title": "Utegym vid Råå",
        "summary": "Ett utegym nära stranden.",
        "body": "Träning för alla åldrar.",
        "fokusomrade": fokusomrade.pk,
        "save": "1",
        **overrides,
    }


def _png(size=(800, 600)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return SimpleUploadedFile("bild.png", buffer.getvalue(), content_type="image/png")


def test_an_over_long_title_is_refused_and_everything_typed_is_kept(client, author):
    fokusomrade = FokusomradeFactory()
    title = "Ett mycket långt förslag " * 6

    response = client.post("/initiativ/nytt/", _form(fokusomrade, title=title))

    assert response.status_code == 200
    content = response.content.decode()
    assert "som mest 120 tecken" in content
    assert "Ett utegym nära stranden." in content
    assert "Träning för alla åldrar." in content
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("field", ["title", "summary"])
def test_html_in_title_or_summary_is_refused_with_a_message(client, author, field):
    response = client.post(
        "/initiativ/nytt/", _form(FokusomradeFactory(), **{field: "<script>alert(1)</script>"})
    )

    assert response.status_code == 200
    assert "Skriv vanlig text utan HTML-taggar" in response.content.decode()
    assert not Initiative.objects.exists()


def test_html_in_the_body_is_kept_as_text_never_run(client, author):
    fokusomrade = FokusomradeFactory()

    client.post("/initiativ/nytt/", _form(fokusomrade, body='<img src=x onerror="alert(1)">'))

    initiative = Initiative.objects.get()
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=" in page


def test_a_focus_area_is_required(client, author):
    response = client.post("/initiativ/nytt/", {**_form(FokusomradeFactory()), "fokusomrade": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["fokusomrade"]


def test_a_double_submitted_proposal_creates_one_draft(client, author):
    data = _form(FokusomradeFactory(), client_token=str(uuid.uuid4()))

    first = client.post("/initiativ/nytt/", data)
    second = client.post("/initiativ/nytt/", data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Initiative.objects.count() == 1


def test_a_stale_edit_keeps_the_text_and_explains(client, author):
    draft = DraftFactory(author=author, title="Original")
    form = _form(draft.fokusomrade, title="Min ändring", version=draft.version)
    client.post(f"/initiativ/{draft.pk}/redigera/", {**form, "title": "Någon annans ändring"})

    response = client.post(f"/initiativ/{draft.pk}/redigera/", form)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Initiativet ändrades efter att du öppnade formuläret" in content
    assert 'value="Min ändring"' in content
    draft.refresh_from_db()
    assert draft.title == "Någon annans ändring"


def test_an_image_is_stored_re_encoded_with_its_description(client, author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = _form(FokusomradeFactory(), image_alt="Ett utegym i solsken")

    response = client.post("/initiativ/nytt/", {**data, "image": _png()})

    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.image.name.endswith(".webp")
    assert initiative.image_alt == "Ett utegym i solsken"


def test_an_image_without_a_description_is_refused(client, author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    response = client.post("/initiativ/nytt/", {**_form(FokusomradeFactory()), "image": _png()})

    assert response.status_code == 200
    assert "Beskriv bilden för den som inte kan se den." in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a" + b"\x00" * 100, "Använd en bild i formatet JPEG, PNG eller WebP."),
        (b"\xff\xd8\xff\xe0 trasig", "Filen går inte att läsa som en bild."),
        (b"x" * (10 * 1024 * 1024 + 1), "Bilden är större än 10 MB."),
    ],
    ids=["wrong type", "corrupt", "too large"],
)
def test_bad_images_are_refused_with_a_clear_message(
    client, author, settings, tmp_path, content, message
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("bild.jpg", content, content_type="image/jpeg")
    data = {**_form(FokusomradeFactory()), "image": upload, "image_alt": "Beskrivning"}

    response = client.post("/initiativ/nytt/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Utegym vid Råå" in response.content.decode()
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("own", "Du kan inte stödja ditt eget initiativ."),
        ("closed", "Tiden för att stödja initiativet har tagit slut."),
    ],
)
def test_supports_that_cannot_be_given_explain_why(client, author, case, message):
    initiative = (
        InitiativeFactory(author=author)
        if case == "own"
        else InitiativeFactory(support_ends_at=timezone.now() - timedelta(days=1))
    )

    response = client.post(f"/initiativ/{initiative.pk}/stod/", {"stod": "1"}, follow=True)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Support.objects.exists()


def test_a_support_on_an_unpublished_initiative_is_not_found(client, author):
    draft = DraftFactory()

    response = client.post(f"/initiativ/{draft.pk}/stod/", {"stod": "1"})

    assert response.status_code == 404


def test_a_visitor_who_supports_is_sent_to_sign_in(client):
    initiative = InitiativeFactory()

    response = client.post(f"/initiativ/{initiative.pk}/stod/", {"stod": "1"})

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_a_double_submitted_support_counts_once(client, author):
    initiative = InitiativeFactory()

    client.post(f"/initiativ/{initiative.pk}/stod/", {"stod": "1"})
    client.post(f"/initiativ/{initiative.pk}/stod/", {"stod": "1"})

    initiative.refresh_from_db()
    assert initiative.support_count == 1


def test_support_by_htmx_returns_the_button_part_only(client, author):
    initiative = InitiativeFactory()

    response = client.post(
        f"/initiativ/{initiative.pk}/stod/", {"stod": "1"}, headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="support-form"')
    assert "Du stödjer det här initiativet." in content


@pytest.mark.parametrize(
    "url",
    [
        "/initiativ/999999/",
        "/initiativ/999999-x/",
        "/initiativ/1/live/annat/",
        "/initiativ/?sida=99999",
        "/initiativ/?sort=okänd&typ=x&status=y",
        "/initiativ/?fokusomrade=" + "x" * 5000,
    ],
)
def test_odd_addresses_never_fail(client, url):
    assert client.get(url).status_code in {200, 404}


def test_the_author_removes_the_image_of_a_draft(client, author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = _form(FokusomradeFactory(), image_alt="Ett utegym")
    client.post("/initiativ/nytt/", {**data, "image": _png()})
    draft = Initiative.objects.get()
    assert draft.image

    response = client.post(
        f"/initiativ/{draft.pk}/redigera/",
        {**data, "version": draft.version, "image-clear": "on"},
    )

    draft.refresh_from_db()
    assert response.status_code == 302
    assert not draft.image
    assert draft.image_alt == ""


DISCUSSION_ADDRESSES = [
    "?kommentarer=abc",
    "?kommentarer=-3",
    "?kommentarer=0",
    "?kommentarer=99999999999999999999999999",
    "?kommentarer=1e9",
    "?kommentarer=%00",
    "?alla-svar=abc",
    "?alla-svar=-1",
    "?alla-svar=99999999999999999999999999",
    "?kommentarer=1&alla-svar=%FF",
    "?svara=abc",
    "?svara=99999999999999999999999999",
]


@pytest.mark.parametrize("reader", ["visitor", "resident", "commenter"])
@pytest.mark.parametrize("address", DISCUSSION_ADDRESSES)
def test_an_initiative_page_with_a_broken_address_is_a_page_not_an_error(client, reader, address):
    """Whichever way the discussion's page is made (from the cache for a reader with no part in
    it, afresh for someone who has commented), a broken page number or thread is no error."""
    initiative = InitiativeFactory()
    comment = CommentFactory(initiative=initiative)
    if reader != "visitor":
        client.force_login(comment.author if reader == "commenter" else UserFactory())

    response = client.get(initiative.get_absolute_url() + address)

    assert response.status_code == 200
    assert comment.body_html in response.content.decode()
