import pytest
from django.contrib.auth import get_user_model

from ideas.models import Initiative
from tests.factories import CommentFactory, DraftFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(
        get_user_model().objects.create_superuser(
            email="admin@example.org", password="x", display_name="Admin"
        )
    )
    return client


def test_the_admin_offers_no_way_to_publish_past_the_moderation_queue(staff_client):
    """Publishing is a moderator's decision on the site: it writes the moderation log and tells
    the author. The admin once published without either."""
    in_review = DraftFactory(status=Initiative.Status.SUBMITTED)

    listing = staff_client.get("/admin/ideas/initiative/")
    response = staff_client.post(
        "/admin/ideas/initiative/",
        {"action": "publish", "_selected_action": [in_review.pk]},
        follow=True,
    )

    assert 'value="publish"' not in listing.content.decode()
    assert response.status_code == 200
    in_review.refresh_from_db()
    assert in_review.status == Initiative.Status.SUBMITTED


def test_the_admin_does_not_change_an_initiatives_text_or_visibility(staff_client):
    """The page shows body_html and the search reads search_vector, which only the site's
    actions keep in step with the text: a text edited here would never show."""
    initiative = InitiativeFactory(title="Boulebana", body="Original")
    page = staff_client.get(f"/admin/ideas/initiative/{initiative.pk}/change/").content.decode()

    for field in ["title", "summary", "body", "status", "hidden_at"]:
        assert f'name="{field}"' not in page


def test_the_admin_does_not_change_a_comments_text(staff_client):
    comment = CommentFactory()
    page = staff_client.get(f"/admin/ideas/comment/{comment.pk}/change/").content.decode()

    assert 'name="body"' not in page
    assert 'name="hidden_at"' not in page


@pytest.mark.parametrize("url", ["/admin/ideas/initiative/", "/admin/ideas/comment/"])
def test_admin_lists_open(staff_client, url):
    DraftFactory()

    assert staff_client.get(url).status_code == 200
