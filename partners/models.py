from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

MESSAGE_MAX_LENGTH = 2000


class OfferQuerySet(models.QuerySet):
    def open(self) -> "OfferQuerySet":
        """Offers that still bind the pair: waiting for an answer, or accepted and running."""
        return self.filter(status__in=PartnerOffer.OPEN_STATUSES)

    def accepted(self) -> "OfferQuerySet":
        return self.filter(status=PartnerOffer.Status.ACCEPTED)

    def accepted_on(self, initiative_pk: int) -> list["PartnerOffer"]:
        """The initiative's partners, in the order they were accepted, as its page lists them:
        people, and organisations the public may see (approved by a moderator)."""
        return list(
            self.accepted()
            .filter(initiative_id=initiative_pk)
            .filter(Q(organisation=None) | Q(organisation__in=Organisation.objects.public()))
            .select_related("organisation", "offered_by")
            .order_by("decided_at", "pk")
        )

    def involving(self, user) -> "OfferQuerySet":
        """Offers the person is a party to: as the initiative's author, as the one who offered,
        or as a member of the organisation that offered."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(initiative__author=user)
            | Q(offered_by=user)
            | Q(organisation__memberships__user=user)
        ).distinct()

    def for_listing(self) -> "OfferQuerySet":
        return self.select_related("initiative", "offered_by", "organisation")


class PartnerOffer(models.Model):
    """Someone offers to help carry out an initiative, alone or on behalf of an organisation."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ENDED = "ended", _("Partnership ended")

    OPEN_STATUSES = [Status.OFFERED, Status.ACCEPTED]

    initiative = models.ForeignKey(
        "ideas.Initiative", on_delete=models.CASCADE, related_name="partner_offers"
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_offers"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_offers",
        verbose_name=_("on behalf of"),
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OFFERED
    )
    reply = models.TextField(_("reply"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("offered"), default=timezone.now)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partner offer")
        verbose_name_plural = _("partner offers")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"],
                condition=Q(status__in=["offered", "accepted"], organisation__isnull=False),
                name="partner_offer_open_once_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["initiative", "offered_by"],
                condition=Q(status__in=["offered", "accepted"], organisation__isnull=True),
                name="partner_offer_open_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_name} → {self.initiative_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("partners:offer", kwargs={"pk": self.pk})

    @property
    def party_name(self) -> str:
        """Who offers, as shown to others: the organisation, or the person's public name."""
        return self.organisation.name if self.organisation_id else self.offered_by.public_name

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def offering_party(self) -> models.QuerySet:
        """The person who offered, and the members of the organisation they offered for."""
        return self._people(with_author=False)

    def parties(self) -> models.QuerySet:
        """Everyone in the conversation: the offering party and the initiative's author."""
        return self._people(with_author=True)

    def _people(self, *, with_author: bool) -> models.QuerySet:
        people = Q(pk=self.offered_by_id)
        if self.organisation_id:
            people |= Q(memberships__organisation_id=self.organisation_id)
        if with_author:
            people |= Q(pk=self.initiative.author_id)
        return get_user_model().objects.filter(people).distinct()


class OfferMessageQuerySet(models.QuerySet):
    def flagged(self) -> "OfferMessageQuerySet":
        return self.filter(flagged_at__isnull=False, flag_resolved_at__isnull=True)

    def for_thread(self) -> "OfferMessageQuerySet":
        return self.select_related("author").order_by("created_at", "pk")


class OfferMessage(models.Model):
    """One message in the private thread between an initiative's author and the offering party.

    A party may flag a message: it then waits in the moderation queue (flagged_at), without a
    row in moderation.Flag, whose targets are public initiatives and comments.
    """

    offer = models.ForeignKey(PartnerOffer, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offer_messages"
    )
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    flagged_at = models.DateTimeField(_("flagged"), null=True, blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    flag_resolved_at = models.DateTimeField(_("flag resolved"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden by moderation"), null=True, blank=True)

    objects = OfferMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("offer message")
        verbose_name_plural = _("offer messages")
        indexes = [models.Index(fields=["offer", "created_at"], name="offer_message_thread")]

    def __str__(self) -> str:
        return f"{self.author_id} on offer {self.offer_id}"

    @property
    def dom_id(self) -> str:
        return f"meddelande-{self.pk}"
