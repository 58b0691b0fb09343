import pytest
from django.contrib.auth import get_user_model

from ideas.models import Initiative
from tests.factories import DraftFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(
        get_user_model().objects.create_superuser(
            email="admin@example.org", password="x", display_name="Admin"
        )
    )
    return client


def test_staff_publish_initiatives_in_review_from_the_admin(staff_client):
    in_review = DraftFactory(status=Initiative.Status.SUBMITTED)
    draft = DraftFactory()

    response = staff_client.post(
        "/admin/ideas/initiative/",
        {"action": "publish", "_selected_action": [in_review.pk, draft.pk]},
        follow=True,
    )

    assert response.status_code == 200
    in_review.refresh_from_db()
    draft.refresh_from_db()
    assert in_review.status == Initiative.Status.PUBLISHED
    assert in_review.support_ends_at is not None
    assert draft.status == Initiative.Status.DRAFT
    assert "1 initiativ publicerades." in response.content.decode()


@pytest.mark.parametrize("url", ["/admin/ideas/initiative/", "/admin/ideas/comment/"])
def test_admin_lists_open(staff_client, url):
    DraftFactory()

    assert staff_client.get(url).status_code == 200
