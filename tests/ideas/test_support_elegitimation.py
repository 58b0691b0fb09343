"""Supporting, proposing and commenting by what the city asks (settings.IDENTITY_REQUIRED), and
supports from verified residents counted apart. The verification goes through the real provider
of tests/oidc.py."""

import pytest
from django.urls import reverse

from accounts.models import IdentityVerification
from ideas.models import Comment, Initiative, Support
from tests.conftest import use_elegitimation
from tests.factories import InitiativeFactory, UnverifiedUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs_it(settings, oidc_provider):
    """e-legitimation asked for supporting, proposing and commenting."""
    use_elegitimation(
        settings,
        oidc_provider,
        support="e-legitimation",
        propose="e-legitimation",
        comment="e-legitimation",
    )
    return oidc_provider


def page_text(response) -> str:
    return response.content.decode()


def test_pressing_support_verifies_then_gives_the_support(client, needs_it, committing):
    initiative = InitiativeFactory()
    person = UserFactory()
    client.force_login(person)

    pressed = client.post(reverse("ideas:support", args=[initiative.pk]), {"stod": "1"})

    assert pressed.status_code == 302
    assert pressed.url.startswith(needs_it.issuer)
    assert not Support.objects.exists()
    back = client.get(needs_it.sign_in(pressed.url, "anna"))
    assert back.url == reverse("ideas:support_resume", args=[initiative.pk])
    resumed = client.get(back.url)

    assert resumed.status_code == 302
    assert resumed.url == initiative.get_absolute_url()
    assert Support.objects.filter(initiative=initiative, user=person).exists()
    assert Initiative.objects.get(pk=initiative.pk).support_count == 1
    page = page_text(client.get(initiative.get_absolute_url()))
    assert "Tack! Ditt stöd är registrerat, som verifierad invånare." in page
    assert "1 av dem från en invånare verifierad med e-legitimation." in page


def test_the_htmx_button_is_sent_to_the_provider_by_the_browser(client, needs_it):
    initiative = InitiativeFactory()
    client.force_login(UserFactory())

    pressed = client.post(
        reverse("ideas:support", args=[initiative.pk]),
        {"stod": "1"},
        headers={"HX-Request": "true"},
    )

    assert pressed.status_code == 200
    assert pressed["HX-Redirect"].startswith(needs_it.issuer)


def test_a_link_to_the_resume_address_alone_gives_nothing(client, needs_it):
    initiative = InitiativeFactory()
    person = UserFactory()
    client.force_login(person)
    IdentityVerification.objects.create(user=person, digest="0" * 64)
    person.is_verified_resident = True
    person.save()

    response = client.get(reverse("ideas:support_resume", args=[initiative.pk]))

    assert response.status_code == 302
    assert not Support.objects.exists()


def test_a_failed_verification_gives_no_support(client, needs_it):
    initiative = InitiativeFactory()
    client.force_login(UserFactory())
    pressed = client.post(reverse("ideas:support", args=[initiative.pk]), {"stod": "1"})

    refused = client.get(needs_it.sign_in(pressed.url, "utgangen"))

    assert refused.status_code == 401
    assert "hade gått ut" in page_text(refused)
    assert not Support.objects.exists()
    # Nor does a later visit to the resume address give the support asked for before.
    client.get(reverse("ideas:support_resume", args=[initiative.pk]))
    assert not Support.objects.exists()


def test_the_page_offers_verification_to_one_who_lacks_it(client, needs_it):
    initiative = InitiativeFactory()
    client.force_login(UserFactory())

    page = page_text(client.get(initiative.get_absolute_url()))

    assert "du verifierar dig med BankID eller Freja eID först" in page
    assert "Kommentarer här skrivs av invånare verifierade med e-legitimation." in page
    assert "Verifiera med BankID eller Freja eID" in page


def test_proposing_asks_for_it_with_a_way_to_get_it(client, needs_it):
    client.force_login(UserFactory())

    page = client.get(reverse("ideas:create"))

    assert page.status_code == 403
    text = page_text(page)
    assert "Verifiera dig med e-legitimation (BankID eller Freja eID) innan du föreslår" in text
    assert 'name="process" value="connect"' in text


def test_commenting_is_refused_in_words_without_it(client, needs_it):
    initiative = InitiativeFactory()
    client.force_login(UserFactory())

    response = client.post(
        reverse("ideas:comment_add", args=[initiative.pk]), {"body": "Bra idé"}, follow=True
    )

    assert "Verifiera dig med e-legitimation (BankID eller Freja eID) innan du kommenterar." in (
        page_text(response)
    )
    assert not Comment.objects.exists()


def test_a_verified_person_supports_and_comments_at_once(client, needs_it, committing):
    initiative = InitiativeFactory()
    person = UserFactory(is_verified_resident=True)
    client.force_login(person)

    client.post(reverse("ideas:support", args=[initiative.pk]), {"stod": "1"})
    client.post(reverse("ideas:comment_add", args=[initiative.pk]), {"body": "Bra idé"})

    assert Support.objects.filter(user=person).exists()
    assert Comment.objects.filter(author=person).exists()


def test_with_email_asked_an_unverified_email_is_refused_as_before(client, settings):
    settings.IDENTITY_REQUIRED = {"support": "email", "propose": "email", "comment": "email"}
    initiative = InitiativeFactory()
    client.force_login(UnverifiedUserFactory())

    client.post(reverse("ideas:support", args=[initiative.pk]), {"stod": "1"})
    page = page_text(client.get(initiative.get_absolute_url()))

    assert not Support.objects.exists()
    assert "Bekräfta din e-postadress innan du stödjer initiativ." in page
    assert "e-legitimation" not in page


def test_with_it_off_an_account_is_enough(client, settings, committing):
    settings.IDENTITY_REQUIRED = {"support": "off", "propose": "email", "comment": "email"}
    initiative = InitiativeFactory()
    person = UnverifiedUserFactory()
    client.force_login(person)

    client.post(reverse("ideas:support", args=[initiative.pk]), {"stod": "1"})

    assert Support.objects.filter(user=person).exists()


def test_verified_supports_are_those_of_people_verified_now(client, elegitimation, committing):
    initiative = InitiativeFactory()
    verified, unverified = UserFactory(is_verified_resident=True), UserFactory()
    for person in (verified, unverified):
        Support.objects.create(initiative=initiative, user=person)

    counted = Initiative.objects.with_verified_support_count().get(pk=initiative.pk)
    assert counted.verified_support_count == 1
    unverified.is_verified_resident = True
    unverified.save()
    counted = Initiative.objects.with_verified_support_count().get(pk=initiative.pk)
    assert counted.verified_support_count == 2


def test_without_e_legitimation_the_page_says_nothing_of_it(client):
    initiative = InitiativeFactory()
    client.force_login(UserFactory())

    page = page_text(client.get(initiative.get_absolute_url()))

    assert "e-legitimation" not in page
    assert "BankID" not in page


def test_a_verified_support_is_pushed_live_with_the_verified_count(elegitimation, capture_live):
    from ideas.actions import support_set
    from ideas.live import initiative_group

    initiative = InitiativeFactory()
    person = UserFactory(is_verified_resident=True)

    with capture_live() as sent:
        support_set(user=person, initiative=initiative, supported=True)

    pushed = [
        message["html"] for group, message in sent if group == initiative_group(initiative.pk, "sv")
    ]
    assert len(pushed) == 1
    assert "1 av dem från en invånare verifierad med e-legitimation." in pushed[0]


def test_with_e_legitimation_off_nothing_of_it_is_offered(client, settings):
    assert not settings.ELEGITIMATION["issuer"]
    login = client.get(reverse("account_login")).content.decode()
    assert "e-legitimation" not in login
    assert (
        client.post(
            reverse("openid_connect_login", kwargs={"provider_id": "elegitimation"}),
            {"process": "login"},
        ).status_code
        == 404
    )
    client.force_login(UserFactory())
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "BankID" not in profile
