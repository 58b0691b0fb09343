"""Verifying with e-legitimation against a real OpenID Connect provider (tests/oidc.py).

Every test goes the whole way: our site redirects to the provider, the person signs in there,
the provider sends them back with a code, our site exchanges it and checks the ID token's
signature against the provider's published keys. Nothing of OpenID Connect is mocked.
"""

import time

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import IdentityVerification, User
from tests.factories import UserFactory
from tests.oidc import IDENTITIES, IDENTITY_CLAIM, LOA3

pytestmark = pytest.mark.django_db

LOGIN = reverse("openid_connect_login", kwargs={"provider_id": "elegitimation"})


def start(client, *, process: str = "connect", next_url: str = "/", prefix: str = "") -> str:
    """Our site's redirect to the provider's authorization endpoint, from the language of
    `prefix` ("/en" for English)."""
    response = client.post(f"{prefix}{LOGIN}", {"process": process, "next": next_url})
    assert response.status_code == 302, response.content.decode()[:500]
    return response.url


def verify(client, provider, username: str, **kwargs):
    """The person goes to the provider, signs in as `username`, and comes back."""
    back = provider.sign_in(start(client, **kwargs), username)
    return client.get(back)


def page_text(response) -> str:
    return response.content.decode()


def test_a_signed_in_person_verifies_their_account(client, elegitimation):
    person = UserFactory()
    client.force_login(person)

    response = verify(client, elegitimation, "anna", next_url="/konto/profil/")

    assert response.status_code == 302
    assert response.url == "/konto/profil/"
    person.refresh_from_db()
    assert person.is_verified_resident
    verification = IdentityVerification.objects.get(user=person)
    assert verification.level_of_assurance == LOA3
    assert verification.layers == 1
    assert IDENTITIES["anna"].number not in verification.digest
    profile = page_text(client.get("/konto/profil/"))
    assert "Ditt konto är verifierat med e-legitimation" in profile
    assert "Tillitsnivå: 3." in profile


def test_the_sign_in_method_keeps_nothing_that_names_the_person(client, elegitimation):
    person = UserFactory()
    client.force_login(person)
    verify(client, elegitimation, "anna")

    account = SocialAccount.objects.get(user=person)
    assert account.provider == "elegitimation"
    # The provider's subject is hashed too: some brokers use the number as the subject.
    assert len(account.uid) == 64
    assert set(account.extra_data) == {"iss", "level_of_assurance", "auth_time"}
    assert IDENTITY_CLAIM not in str(account.extra_data)


def test_a_second_account_with_the_same_identity_is_refused_by_name(client, elegitimation):
    first = UserFactory(email="anna.andersson@example.org")
    client.force_login(first)
    verify(client, elegitimation, "anna")
    second = UserFactory()
    client.force_login(second)

    response = verify(client, elegitimation, "anna")

    assert response.status_code == 401
    text = page_text(response)
    assert "Det gick inte att verifiera dig" in text
    assert "redan kontot an***@ex***.org" in text
    assert "anna.andersson@example.org" not in text
    second.refresh_from_db()
    assert not second.is_verified_resident
    assert IdentityVerification.objects.get().user == first
    assert not SocialAccount.objects.filter(user=second).exists()


def test_signing_in_with_e_legitimation_opens_the_verified_account(client, elegitimation):
    person = UserFactory()
    client.force_login(person)
    verify(client, elegitimation, "bertil")
    client.logout()

    response = verify(client, elegitimation, "bertil", process="login", next_url="/mina-sidor/")

    assert response.status_code == 302
    assert response.url == "/mina-sidor/"
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_new_person_creates_a_verified_account_with_it(
    client, elegitimation, mailoutbox, django_capture_on_commit_callbacks
):
    response = verify(client, elegitimation, "cecilia", process="login")

    assert response.status_code == 302
    form = client.get(response.url)
    assert "Skapa ditt konto" in page_text(form)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            response.url, {"email": "cecilia@example.org", "display_name": "Cecilia"}, follow=True
        )

    assert created.status_code == 200
    person = User.objects.get(email="cecilia@example.org")
    assert person.is_verified_resident
    assert IdentityVerification.objects.get(user=person).level_of_assurance.endswith("loa2")
    # The email address is confirmed as everyone's is, before anything is written.
    assert not EmailAddress.objects.get(user=person).verified
    assert [message.to for message in mailoutbox] == [["cecilia@example.org"]]


def test_the_way_back_speaks_the_language_the_person_set_out_in(client, elegitimation):
    """The callback's address has no language (the broker knows one address)."""
    person = UserFactory()
    client.force_login(person)

    refused = verify(client, elegitimation, "fel-signatur", prefix="/en")
    client.logout()
    new = verify(client, elegitimation, "cecilia", process="login", prefix="/en")
    swedish = Client()
    swedish.force_login(UserFactory())
    refused_in_swedish = verify(swedish, elegitimation, "utgangen")

    assert refused.status_code == 401
    assert refused["Content-Language"] == "en"
    assert '<html lang="en"' in page_text(refused)
    assert "could not be checked as coming from it" in page_text(refused)
    assert new.status_code == 302
    assert new.url.startswith("/en/")
    assert "Create your account" in page_text(client.get(new.url))
    assert refused_in_swedish["Content-Language"] == "sv"
    assert "hade gått ut" in page_text(refused_in_swedish)


def test_the_language_switcher_on_the_way_back_leads_to_signing_in(client, elegitimation):
    """The broker's answer works once: switching language there must not ask it again."""
    client.force_login(UserFactory())

    refused = page_text(verify(client, elegitimation, "fel-signatur"))

    switcher = refused[refused.index('class="language-nav"') :]
    assert 'href="/en/konto/login/" lang="en"' in switcher
    assert 'href="/konto/login/" lang="sv"' in switcher
    assert "callback" not in switcher.split("</nav>")[0]


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("fel-signatur", "kunde inte kontrolleras som kommande från den"),
        ("fel-mottagare", "var avsett för en annan tjänst"),
        ("utgangen", "hade gått ut"),
        ("utan-nummer", "skickade inte ditt personnummer"),
    ],
)
def test_a_token_that_proves_nothing_is_refused_clearly(client, elegitimation, username, message):
    person = UserFactory()
    client.force_login(person)

    response = verify(client, elegitimation, username)

    assert response.status_code == 401
    assert message in page_text(response)
    person.refresh_from_db()
    assert not person.is_verified_resident
    assert not IdentityVerification.objects.exists()
    assert not SocialAccount.objects.exists()


def test_a_replayed_answer_is_refused(client, elegitimation):
    person = UserFactory()
    client.force_login(person)
    back = elegitimation.sign_in(start(client), "anna")
    assert client.get(back).status_code == 302
    IdentityVerification.objects.all().delete()
    User.objects.filter(pk=person.pk).update(is_verified_resident=False)

    replayed = client.get(back)

    assert replayed.status_code == 401
    assert "redan använts" in page_text(replayed)
    assert not IdentityVerification.objects.exists()


def test_an_answer_carried_to_another_browser_is_refused(client, elegitimation, django_user_model):
    person = UserFactory()
    client.force_login(person)
    back = elegitimation.sign_in(start(client), "anna")

    other = Client()
    other.force_login(UserFactory())

    response = other.get(back)

    assert response.status_code == 401
    assert "redan använts" in page_text(response)
    assert not IdentityVerification.objects.exists()


def test_an_unreachable_service_is_said_plainly(client, settings, elegitimation):
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"]["server_url"] = (
        "http://127.0.0.1:9/o"
    )
    client.force_login(UserFactory())

    response = client.post(LOGIN, {"process": "connect", "next": "/"})

    assert response.status_code == 503
    assert "kunde inte nås" in page_text(response)


def test_removing_it_frees_the_identity_for_another_account(client, elegitimation):
    first = UserFactory()
    client.force_login(first)
    verify(client, elegitimation, "anna")

    response = client.post(reverse("accounts:identity_forget"))

    assert response.status_code == 302
    first.refresh_from_db()
    assert not first.is_verified_resident
    assert not IdentityVerification.objects.exists()
    assert not SocialAccount.objects.exists()
    second = UserFactory()
    client.force_login(second)
    verify(client, elegitimation, "anna")
    assert IdentityVerification.objects.get().user == second


def test_a_rotated_key_still_knows_the_person(client, settings, elegitimation, capsys):
    first = UserFactory()
    client.force_login(first)
    verify(client, elegitimation, "anna")
    before = IdentityVerification.objects.get().digest
    settings.IDENTITY_HASH_KEYS = ["first-test-key", "second-test-key"]

    call_command("rotate_identity_key")

    verification = IdentityVerification.objects.get()
    assert (verification.layers, verification.digest != before) == (2, True)
    assert "1 identity hashes wrapped" in capsys.readouterr().out
    # The same person, after the rotation: still refused for a second account, still found
    # when signing in.
    client.force_login(UserFactory())
    assert "an***@" not in page_text(verify(client, elegitimation, "bertil"))
    client.force_login(UserFactory())
    refused = verify(client, elegitimation, "anna")
    assert "Din e-legitimation verifierar redan kontot" in page_text(refused)
    client.logout()
    signed_in = verify(client, elegitimation, "anna", process="login")
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(first.pk)


def test_a_digest_with_fewer_keys_is_found_before_the_rotation(client, settings, elegitimation):
    first = UserFactory()
    client.force_login(first)
    verify(client, elegitimation, "anna")
    settings.IDENTITY_HASH_KEYS = ["first-test-key", "second-test-key"]
    client.force_login(UserFactory())

    refused = verify(client, elegitimation, "anna")

    assert "Din e-legitimation verifierar redan kontot" in page_text(refused)


def test_the_rotation_command_prints_a_new_key(capsys, settings):
    settings.IDENTITY_HASH_KEYS = ["k"]
    call_command("rotate_identity_key", "--new-key")
    key = capsys.readouterr().out.strip()
    assert len(key) >= 64


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?state=finns-inte&code=finns-inte",
        "?code=utan-state",
        "?state=" + "x" * 5000,
        "?error=access_denied",
        "?error=server_error&error_description=%00%ff",
    ],
)
def test_a_made_up_answer_is_refused_without_an_error(client, elegitimation, query):
    client.force_login(UserFactory())

    response = client.get(f"/konto/oidc/elegitimation/login/callback/{query}")

    assert response.status_code < 500
    assert not IdentityVerification.objects.exists()


def test_a_cancelled_verification_changes_nothing(client, elegitimation):
    client.force_login(UserFactory())
    state = start(client).split("state=")[1].split("&")[0]

    response = client.get(
        f"/konto/oidc/elegitimation/login/callback/?error=access_denied&state={state}", follow=True
    )

    assert "Du avbröt e-legitimeringen. Ingenting ändrades." in page_text(response)
    assert not IdentityVerification.objects.exists()


@pytest.mark.parametrize("process", ["connect", "login", "redirect", "okänd", ""])
def test_any_process_from_a_visitor_starts_without_an_error(client, elegitimation, process):
    response = client.post(LOGIN, {"process": process, "next": "/"})
    assert response.status_code < 500


def test_a_next_address_elsewhere_is_not_followed(client, elegitimation):
    client.force_login(UserFactory())

    response = verify(client, elegitimation, "anna", next_url="https://elak.example/")

    assert response.status_code == 302
    assert "elak.example" not in response.url


@pytest.mark.parametrize(
    ("algorithm", "key"),
    [("none", None), ("HS256", "a shared secret the token chose for itself, long enough")],
)
def test_a_token_that_chooses_a_weak_algorithm_is_refused(elegitimation, algorithm, key):
    import jwt

    from accounts.elegitimation import VerificationRefused, signed_claims

    discovery = requests.get(elegitimation.discovery_url, timeout=10).json()
    keys = requests.get(discovery["jwks_uri"], timeout=10).json()["keys"]
    claims = {
        "iss": elegitimation.issuer,
        "aud": elegitimation.client_id,
        "sub": "1",
        "iat": int(time.time()),
        "exp": int(time.time()) + 300,
        IDENTITY_CLAIM: IDENTITIES["anna"].number,
    }
    token = jwt.encode(claims, key or "", algorithm=algorithm, headers={"kid": keys[0]["kid"]})

    with pytest.raises(VerificationRefused) as refused:
        signed_claims(
            token,
            keys_url=discovery["jwks_uri"],
            issuer=elegitimation.issuer,
            audience=elegitimation.client_id,
        )
    assert refused.value.reason == "signature"
