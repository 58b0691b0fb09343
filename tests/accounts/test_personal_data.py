import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.actions import account_delete
from accounts.models import Block, Invitation, Membership, Organisation, User
from accounts.roles import MODERATOR, ensure_staff_groups
from ideas.actions import comment_add, support_set
from ideas.models import Comment, Initiative, InitiativeEvent, OfficialResponse, Support
from moderation.models import Flag, ModerationDecision
from notifications.models import Follow, Notification, NotificationSettings
from partners.models import OfferMessage, PartnerOffer
from tests.factories import (
    PASSWORD,
    BlockFactory,
    CommentFactory,
    DraftFactory,
    ForvaltningFactory,
    InitiativeFactory,
    InvitationFactory,
    MembershipFactory,
    ModerationDecisionFactory,
    ModeratorFactory,
    OfferMessageFactory,
    OfficialResponseFactory,
    ResponderFactory,
    UserFactory,
)

Action = ModerationDecision.Action


@pytest.fixture
def member(db):
    return MembershipFactory(role=Membership.Role.ADMIN, user__display_name="Eva Ek").user


def test_person_downloads_their_data_as_json(client, member):
    client.force_login(member)

    response = client.get("/konto/mina-uppgifter/hamta/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    assert data["account"]["display_name"] == "Eva Ek"
    assert data["email_addresses"] == [{"email": member.email, "verified": True, "primary": True}]
    assert data["organisations"][0]["role"] == "admin"


def test_data_download_needs_sign_in(client, db):
    response = client.get("/konto/mina-uppgifter/hamta/")

    assert response.status_code == 302


def test_deleting_the_account_anonymises_it_and_signs_out(client, member):
    client.force_login(member)
    other_client_session = client.session.session_key

    response = client.post("/konto/radera/", {"password": PASSWORD})

    assert response.status_code == 302
    user = User.objects.get(pk=member.pk)
    assert user.is_deleted
    assert not user.is_active
    assert user.email == f"deleted-{user.pk}@deleted.invalid"
    assert user.display_name == ""
    assert str(user) == "Borttagen användare"
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session
    assert client.session.session_key != other_client_session


def test_deleted_person_cannot_sign_in_again(client, member):
    email = member.email
    client.force_login(member)
    client.post("/konto/radera/", {"password": PASSWORD})

    client.post("/konto/login/", {"login": email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_a_wrong_password_does_not_delete_the_account(client, member):
    client.force_login(member)

    response = client.post("/konto/radera/", {"password": "fel"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.get(pk=member.pk).is_deleted


def test_other_sessions_end_when_the_account_is_deleted(client, member):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(member)
    client.force_login(member)

    client.post("/konto/radera/", {"password": PASSWORD})

    assert elsewhere.get("/konto/profil/").status_code == 302


def test_profile_saves_display_name_and_language(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/konto/profil/", {"display_name": "Nytt Namn", "language": "en"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.language) == ("Nytt Namn", "en")


def test_the_download_holds_what_the_person_wrote_supported_and_was_told(client, member):
    own = InitiativeFactory(author=member, title="Mitt eget förslag")
    other = InitiativeFactory(title="Någon annans förslag")
    support_set(user=member, initiative=other, supported=True)
    comment_add(user=member, initiative=other, body="Min kommentar")
    comment_add(user=UserFactory(), initiative=own, body="Svar till dig")
    client.force_login(member)

    data = json.loads(client.get("/konto/mina-uppgifter/hamta/").content)

    assert [item["title"] for item in data["initiatives"]] == ["Mitt eget förslag"]
    assert [item["body"] for item in data["comments"]] == ["Min kommentar"]
    assert [item["initiative"] for item in data["supports"]] == ["Någon annans förslag"]
    # Supporting and commenting follow the initiative automatically.
    assert [item["initiative"] for item in data["follows"]] == ["Någon annans förslag"]
    assert len(data["notifications"]) == Notification.objects.filter(recipient=member).count() == 1
    assert data["email_preferences"] == {"own_content": "immediate", "followed": "digest"}


def test_deleting_the_account_removes_notifications_and_follows_but_keeps_contributions(
    client, member
):
    own = InitiativeFactory(author=member)
    Follow.objects.create(user=member, initiative=own)
    comment_add(user=UserFactory(), initiative=own, body="Till författaren")
    comment_add(user=member, initiative=InitiativeFactory(), body="Stannar kvar")
    client.force_login(member)

    client.post("/konto/radera/", {"password": PASSWORD})

    assert not Notification.objects.filter(recipient=member).exists()
    assert not Follow.objects.filter(user=member).exists()
    assert Comment.objects.filter(author=member, body="Stannar kvar").exists()


def _download(client, person) -> dict:
    client.force_login(person)
    response = client.get("/konto/mina-uppgifter/hamta/")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_download_holds_the_blocks_on_the_person(client, member):
    lifted = BlockFactory(user=member, reason="Spam.", lifted_at=timezone.now())
    standing = BlockFactory(user=member, reason="Upprepade personangrepp.")
    BlockFactory()  # on someone else

    data = _download(client, member)

    assert data["blocks"] == [
        {
            "reason": block.reason,
            "from": block.starts_at.isoformat(),
            "until": block.ends_at.isoformat(),
            "lifted_at": block.lifted_at.isoformat() if block.lifted_at else None,
        }
        for block in [lifted, standing]
    ]


def test_the_download_holds_the_decisions_about_the_person_but_not_who_made_them(client, member):
    moderator = ModeratorFactory(display_name="Mona Moderator")
    rejected = DraftFactory(author=member, title="Mitt förslag", status=Initiative.Status.REJECTED)
    comment = CommentFactory(author=member, initiative=InitiativeFactory(title="Parken"))
    decisions = [
        ModerationDecisionFactory(
            moderator=moderator,
            action=Action.REJECT,
            comment=None,
            initiative=rejected,
            subject_user=member,
            reasons=["duplicate"],
            text="Finns redan.",
        ),
        ModerationDecisionFactory(moderator=moderator, action=Action.HIDE, comment=comment),
        ModerationDecisionFactory(
            moderator=moderator, action=Action.BLOCK, comment=None, subject_user=member
        ),
        # A log row that names no person: the comment it is about makes it theirs.
        ModerationDecisionFactory(
            moderator=None, action=Action.AUTO_HIDE, comment=comment, subject_user=None, text=""
        ),
    ]
    # Not about them: someone else's comment, and someone else's message in a thread about
    # their initiative.
    ModerationDecisionFactory(moderator=moderator)
    ModerationDecisionFactory(
        moderator=moderator, comment=None, initiative=rejected, subject_user=UserFactory()
    )

    titles = ["Mitt förslag", "Parken", None, "Parken"]

    data = _download(client, member)

    assert data["moderation_decisions"] == [
        {
            "action": decision.action,
            "initiative": title,
            "reasons": decision.reasons,
            "text": decision.text,
            "at": decision.created_at.isoformat(),
        }
        for decision, title in zip(decisions, titles, strict=True)
    ]
    download = json.dumps(data, ensure_ascii=False)
    assert "Mona Moderator" not in download
    assert moderator.email not in download


def test_the_download_holds_the_official_responses_the_person_wrote(client, db):
    responder = ResponderFactory()
    response = OfficialResponseFactory(
        author=responder, initiative=InitiativeFactory(title="Fler bänkar")
    )

    data = _download(client, responder)

    assert data["official_responses"] == [
        {
            "initiative": "Fler bänkar",
            "administration": "Kulturförvaltningen",
            "body": response.body,
            "status": "will_be_done",
            "answered_at": response.created_at.isoformat(),
        }
    ]


def test_the_download_holds_the_partner_messages_the_person_flagged_but_not_their_text(
    client, member
):
    own = InitiativeFactory(author=member, title="Loppis i parken", seeking_partners=True)
    flagged_at = timezone.now()
    OfferMessageFactory(
        offer__initiative=own, flagged_by=member, flagged_at=flagged_at, body="Köp klockor!"
    )
    OfferMessageFactory(offer__initiative=own)  # not flagged

    data = _download(client, member)

    assert data["partner_messages_flagged"] == [
        {"initiative": "Loppis i parken", "flagged_at": flagged_at.isoformat(), "resolved_at": None}
    ]
    assert "Köp klockor!" not in json.dumps(data, ensure_ascii=False)


def test_a_moderators_download_holds_what_they_did_but_not_whom_it_concerned(client, db):
    moderator = ModeratorFactory()
    blocked = UserFactory(display_name="Bo Blockerad")
    block = BlockFactory(user=blocked, moderator=moderator, reason="Hot mot andra.")
    decision = ModerationDecisionFactory(
        moderator=moderator, action=Action.BLOCK, comment=None, subject_user=blocked, text="Hot."
    )

    data = _download(client, moderator)

    assert data["blocks_given"] == [
        {"from": block.starts_at.isoformat(), "until": block.ends_at.isoformat()}
    ]
    assert data["moderation_decisions_made"] == [
        {"action": "block", "at": decision.created_at.isoformat()}
    ]
    assert data["blocks"] == data["moderation_decisions"] == []
    download = json.dumps(data, ensure_ascii=False)
    for secret in ["Bo Blockerad", blocked.email, "Hot mot andra.", "Hot."]:
        assert secret not in download


def _admin_changed(user, organisation) -> LogEntry:
    """The admin site's record of the person changing the organisation's website."""
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=str(organisation.pk),
        object_repr=organisation.name,
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Website"]}}]',
    )


def test_the_download_holds_staff_rights_admin_actions_and_invitations_sent(client, member):
    organisation = member.memberships.get().organisation
    organisation.contact_person = member
    organisation.save()
    InvitationFactory(organisation=organisation, invited_by=member, email="ny@example.org")
    member.user_permissions.add(Permission.objects.get(codename="respond"))
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={})
    _admin_changed(member, organisation)

    data = _download(client, member)

    assert data["permissions"] == ["accounts.respond"]
    assert data["two_factor_methods"] == ["totp"]
    assert data["contact_person_for"] == [organisation.name]
    assert [(item["email"], item["role"]) for item in data["invitations_sent"]] == [
        ("ny@example.org", "member")
    ]
    [action] = data["admin_site_actions"]
    assert (action["action"], action["object"], action["kind"]) == (
        "change",
        organisation.name,
        "accounts.organisation",
    )


@pytest.fixture
def footprint(member):
    """A person who has done a little of everything the platform records."""
    other = UserFactory()
    organisation = member.memberships.get().organisation
    organisation.contact_person = member
    organisation.save()
    own = InitiativeFactory(author=member)
    others = InitiativeFactory()
    comment = CommentFactory(author=member, initiative=others)
    Support.objects.create(user=member, initiative=others)
    Follow.objects.create(user=member, initiative=own)
    NotificationSettings.for_user(member)
    Notification.objects.create(
        recipient=member, kind=Notification.Kind.COMMENT_ON_MY_INITIATIVE, initiative=own
    )
    Notification.objects.create(
        recipient=other, kind=Notification.Kind.COMMENT_ON_FOLLOWED, initiative=others, actor=member
    )
    InvitationFactory(email=member.email.upper())
    InvitationFactory(organisation=organisation, invited_by=member)
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={})
    ensure_staff_groups()
    member.groups.add(Group.objects.get(name=MODERATOR))
    member.user_permissions.add(Permission.objects.get(codename="respond"))
    OfficialResponseFactory(author=member, forvaltning=ForvaltningFactory(), initiative=others)
    InitiativeEvent.objects.create(initiative=own, status=own.status, actor=member)
    OfferMessageFactory(offer__offered_by=member)
    OfferMessageFactory(offer__initiative=own, flagged_by=member, flagged_at=timezone.now())
    Flag.objects.create(reporter=member, comment=CommentFactory(), reason=Flag.Reason.SPAM)
    BlockFactory(user=member)
    ModerationDecisionFactory(comment=comment)
    _admin_changed(member, organisation)
    return member


def test_erasure_removes_what_only_concerned_the_person(footprint):
    person, email = footprint, footprint.email
    removed = {
        "email addresses": EmailAddress.objects.filter(user=person),
        "memberships": Membership.objects.filter(user=person),
        "invitations received": Invitation.objects.filter(email__iexact=email),
        "two-factor methods": Authenticator.objects.filter(user=person),
        "staff roles": User.groups.through.objects.filter(user=person),
        "permissions": User.user_permissions.through.objects.filter(user=person),
        "notifications": Notification.objects.filter(recipient=person),
        "follows": Follow.objects.filter(user=person),
        "email preferences": NotificationSettings.objects.filter(user=person),
        # A deleted person answers no messages for an organisation.
        "contact person": Organisation.objects.filter(contact_person=person),
    }
    assert [name for name, rows in removed.items() if not rows.exists()] == []

    account_delete(user=person)

    assert [name for name, rows in removed.items() if rows.exists()] == []


def test_erasure_keeps_what_the_person_wrote_and_the_records_about_it(footprint):
    person = footprint
    kept = {
        "initiatives": Initiative.objects.filter(author=person),
        "comments": Comment.objects.filter(author=person),
        "supports": Support.objects.filter(user=person),
        "official responses": OfficialResponse.objects.filter(author=person),
        "timeline events": InitiativeEvent.objects.filter(actor=person),
        "partner offers": PartnerOffer.objects.filter(offered_by=person),
        "partner messages": OfferMessage.objects.filter(author=person),
        "partner messages flagged": OfferMessage.objects.filter(flagged_by=person),
        "flags": Flag.objects.filter(reporter=person),
        "blocks": Block.objects.filter(user=person),
        "decisions about them": ModerationDecision.objects.filter(subject_user=person),
        "others' notifications of what they did": Notification.objects.filter(actor=person),
        "invitations sent": Invitation.objects.filter(invited_by=person),
        "admin site log": LogEntry.objects.filter(user=person),
    }
    before = {name: rows.count() for name, rows in kept.items()}
    assert [name for name, count in before.items() if not count] == []

    account_delete(user=person)

    assert {name: rows.count() for name, rows in kept.items()} == before
    person.refresh_from_db()
    assert person.is_deleted
