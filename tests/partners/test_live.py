"""What offers and threads announce live: only to the parties' own groups, in both languages."""

import re

import pytest
from django.test import Client

from ideas.live import initiative_group
from notifications.live import user_group
from partners import actions, live
from partners.models import PartnerOffer

pytestmark = pytest.mark.django_db


def _by_type(sent, kind):
    return [(group, message) for group, message in sent if message["type"] == kind]


def test_a_new_offer_reaches_the_author_and_the_offering_organisations_members(roles, capture_live):
    with capture_live() as sent:
        offer = actions.offer_make(
            user=roles.member,
            initiative=roles.initiative,
            message="Vi har en lokal.",
            organisation=roles.organisation,
        )

    offers = _by_type(sent, "partner.offer")
    groups = {group for group, _message in offers}
    assert groups == {
        user_group(roles.author.pk),
        user_group(roles.admin.pk),
        user_group(roles.member.pk),
    }
    message = offers[0][1]
    assert message["offer"] == offer.pk
    assert message["initiative"] == roles.initiative.pk
    assert "Vi har en lokal." in message["list_html"]["sv"]
    assert 'hx-swap-oob="afterbegin:#offer-list"' in message["list_html"]["en"]
    assert "Waiting for an answer" in message["html"]["en"]
    for _group, item in sent:
        for html in (
            list(item.get("html", {}).values())
            if isinstance(item.get("html"), dict)
            else [item["html"]]
        ):
            assert roles.member.email not in html


def test_an_acceptance_updates_the_thread_and_the_public_partner_list(roles, capture_live):
    offer = roles.offer()

    with capture_live() as sent:
        actions.offer_accept(user=roles.author, offer=offer, reply="Välkomna!")

    (_group, message), *_rest = _by_type(sent, "partner.offer")
    assert f'id="offer-{offer.pk}-status"' in message["html"]["en"]
    assert "Accepted" in message["html"]["en"]
    assert "Välkomna!" in message["html"]["sv"]
    # The buttons of the old status are replaced by a request for what each person may do now.
    placeholder = f'<div id="offer-{offer.pk}-actions" hx-swap-oob="true"'
    assert placeholder in message["html"]["sv"]
    assert (
        f'hx-get="/samarbeten/erbjudanden/{offer.pk}/" hx-trigger="load"' in message["html"]["sv"]
    )
    assert f'hx-get="/en/samarbeten/erbjudanden/{offer.pk}/"' in message["html"]["en"]
    assert "<button" not in message["html"]["en"]  # nobody's buttons travel on the socket
    public = [item for group, item in sent if group == initiative_group(roles.initiative.pk, "sv")]
    assert len(public) == 1
    assert "Dalhems grannar" in public[0]["html"]
    # The reply is private: it never travels on the initiative's public group.
    assert "Välkomna!" not in public[0]["html"]


def test_a_message_reaches_both_parties_only(roles, capture_live):
    offer = roles.offer()
    outsider = roles.people["resident"]

    with capture_live() as sent:
        actions.message_send(user=roles.author, offer=offer, body="När kan vi ses?")

    messages = _by_type(sent, "partner.message")
    assert {group for group, _m in messages} == {
        user_group(roles.author.pk),
        user_group(roles.admin.pk),
        user_group(roles.member.pk),
    }
    assert user_group(outsider.pk) not in {group for group, _m in sent}
    html = messages[0][1]["html"]
    assert 'hx-swap-oob="beforeend:#offer-thread"' in html["sv"]
    assert "När kan vi ses?" in html["en"]


def test_a_live_message_can_be_flagged_by_the_other_side_but_not_by_its_author(roles, capture_live):
    offer = roles.offer()

    with capture_live() as sent:
        message = actions.message_send(user=roles.author, offer=offer, body="Ring mig")

    html = {group: item["html"] for group, item in _by_type(sent, "partner.message")}
    flag = f'formaction="/samarbeten/meddelanden/{message.pk}/flagga/"'
    for party in (roles.admin, roles.member):
        assert flag in html[user_group(party.pk)]["sv"]
        assert 'form="message-flag-form"' in html[user_group(party.pk)]["en"]
        assert "Flag the message" in html[user_group(party.pk)]["en"]
    assert flag not in html[user_group(roles.author.pk)]["sv"]
    assert flag not in html[user_group(roles.author.pk)]["en"]


def test_the_flag_button_posts_with_the_pages_csrf_token(roles):
    """A message that arrives live has no token of its own: its button submits the page's
    #message-flag-form, which holds one."""
    offer = roles.offer()
    message = actions.message_send(user=roles.author, offer=offer, body="Ring mig")
    client = Client(enforce_csrf_checks=True)
    client.force_login(roles.admin)
    page = client.get(offer.get_absolute_url()).content.decode()
    flag_form = re.search(r'<form id="message-flag-form" method="post" hidden>(.*?)</form>', page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', flag_form.group(1)).group(1)
    url = f"/samarbeten/meddelanden/{message.pk}/flagga/"
    assert f'form="message-flag-form" formaction="{url}"' in page

    assert client.post(url).status_code == 403  # without the page's token
    response = client.post(url, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.flagged_by == roles.admin


def test_offers_and_answers_notify_the_other_side(roles, capture_live):
    from notifications.models import Notification

    with capture_live():
        offer = actions.offer_make(
            user=roles.member,
            initiative=roles.initiative,
            message="Hej",
            organisation=roles.organisation,
        )
        actions.offer_decline(user=roles.author, offer=offer, reply="Nej tack")

    to_author = Notification.objects.get(recipient=roles.author)
    assert to_author.kind == Notification.Kind.PARTNER_OFFER
    assert to_author.target_url() == offer.get_absolute_url()
    answers = Notification.objects.filter(kind=Notification.Kind.PARTNER_ANSWER)
    assert {item.recipient for item in answers} == {roles.admin, roles.member}
    from django.utils import translation

    with translation.override("en"):
        assert "declined the offer" in answers[0].sentence()
    assert offer.status == PartnerOffer.Status.DECLINED


def test_a_flagged_message_waits_in_the_moderation_queue(roles, capture_live, client):
    from moderation.queue import queue_context

    offer = roles.offer()
    message = actions.message_send(user=roles.admin, offer=offer, body="Ring mig på 070-123")

    with capture_live() as sent:
        actions.message_flag(user=roles.author, message=message)

    assert queue_context()["flagged_offer_messages"] == [message]
    # The queue's sockets hear that something entered review, and render the queue themselves
    # (tests/moderation/test_live.py); nothing of the message travels with the ping.
    assert (live.REVIEW_GROUP, {"type": "review.changed"}) in sent
    client.force_login(roles.people["moderator"])
    assert "Ring mig på 070-123" in client.get("/moderering/").content.decode()
