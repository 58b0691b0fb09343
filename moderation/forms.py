from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.permissions import is_moderator
from core.forms import RowChoiceField, RowsChoiceField
from ideas.actions import validate_answer_due
from ideas.models import Comment, Initiative
from moderation.models import AdmissibilityRule, Flag
from partners.models import OfferMessage
from programme.models import Forvaltning


class _Decision(forms.Form):
    """A decision, the city's reasons and the explanation the author reads, with the rules every
    decision keeps wherever it is made."""

    reasons = forms.MultipleChoiceField(
        label=_("Reasons (for a rejection)"),
        choices=AdmissibilityRule.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(
        label=_("Explanation"),
        help_text=_("The author sees it. Required to reject, send back or hide."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def _check_reasons_and_text(self, cleaned: dict) -> None:
        action, text = cleaned.get("action"), cleaned.get("text", "").strip()
        if action == "reject" and not cleaned.get("reasons"):
            self.add_error("reasons", _("Choose at least one reason to reject."))
        if action in {"reject", "send_back", "hide"} and not text:
            self.add_error("text", _("Write an explanation; the author sees it."))


class DecisionForm(_Decision):
    """One decision for one or many items of the queue (or one item, from its public page)."""

    ACTIONS = [
        ("approve", _("Approve and publish")),
        ("reject", _("Reject")),
        ("send_back", _("Send back to the author for changes")),
        ("hide", _("Hide")),
        ("unhide", _("Show again")),
        ("dismiss", _("Dismiss the flags")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS, widget=forms.RadioSelect)
    field_order = ["action", "reasons", "text"]
    initiativ = RowsChoiceField(
        queryset=Initiative.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )
    kommentar = RowsChoiceField(
        queryset=Comment.objects.select_related("initiative"),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    meddelande = RowsChoiceField(
        queryset=OfferMessage.objects.select_related("author"),
        required=False,
        widget=forms.MultipleHiddenInput,
    )

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(name) for name in ("initiativ", "kommentar", "meddelande")]
        if not any(chosen) and not self.errors:
            raise forms.ValidationError(_("Choose at least one item."), code="empty")
        self._check_reasons_and_text(cleaned)
        return cleaned


class InitiativeDecisionForm(_Decision):
    """One decision about one initiative in review, made with its own buttons in the queue: the
    button pressed is the decision, and the reasons and explanation typed beside it go with it.
    The fields belong to the queue's form for single decisions (FORM_ID, outside the live part
    of the page, which carries no CSRF token), and their names carry the initiative's number, so
    that every item keeps its own."""

    FORM_ID = "item-decision-form"
    ACTIONS = [
        ("approve", _("Approve and publish")),
        ("send_back", _("Send back to the author for changes")),
        ("reject", _("Reject")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    # The version the moderator read: a decision on a version they did not see is refused.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, initiative: Initiative, **kwargs):
        kwargs.setdefault("initial", {"version": initiative.version})
        super().__init__(*args, prefix=f"initiativ-{initiative.pk}", **kwargs)
        self.initiative = initiative
        self.fields["text"].help_text = _("The author sees it. Required to reject or send back.")
        self.fields["reasons"].label = _("Reasons to reject")
        for field in self.fields.values():
            field.widget.attrs["form"] = self.FORM_ID

    def clean(self):
        cleaned = super().clean()
        self._check_reasons_and_text(cleaned)
        return cleaned


class OrganisationDecisionForm(forms.Form):
    """Approve or reject one organisation waiting in the queue, with its own buttons, like an
    initiative in review (InitiativeDecisionForm): the button pressed is the decision, and the
    reason typed beside it goes with it. Its administrators read the reason."""

    FORM_ID = InitiativeDecisionForm.FORM_ID
    ACTIONS = [("approve", _("Approve")), ("reject", _("Reject"))]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Reason"),
        help_text=_("The organisation's administrators see it. Required to reject."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, prefix=f"organisation-{organisation.pk}", **kwargs)
        self.organisation = organisation
        for field in self.fields.values():
            field.widget.attrs["form"] = self.FORM_ID

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not cleaned.get("text", "").strip():
            self.add_error(
                "text", _("Write why the organisation is not approved; its administrators see it.")
            )
        return cleaned


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=Flag.Reason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("More about it"),
        help_text=_("Required when you choose “Something else”."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Flag.Reason.OTHER and not cleaned.get("text", "").strip():
            self.add_error("text", _("Say what is wrong."))
        return cleaned


class BlockForm(forms.Form):
    days = forms.IntegerField(label=_("Number of days"), min_value=1, max_value=3650, initial=7)
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The person is sent it by email and sees it while the block lasts."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LogFilterForm(forms.Form):
    """The log's filters, from the address. What does not parse is left out of the filtering
    and shown as an error beside its field; it never fails the page."""

    person = forms.CharField(
        label=_("Person"),
        help_text=_("Name or email address of the moderator or of the person concerned."),
        required=False,
        max_length=200,
    )
    initiativ = forms.CharField(label=_("Initiative title"), required=False, max_length=200)
    fran = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    till = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter(self, decisions):
        """`decisions` narrowed by every filter that was given and is valid."""
        self.is_valid()
        given = self.cleaned_data
        if person := given.get("person"):
            decisions = decisions.filter(
                Q(moderator__display_name__icontains=person)
                | Q(moderator__email__icontains=person)
                | Q(subject_user__display_name__icontains=person)
                | Q(subject_user__email__icontains=person)
            )
        if title := given.get("initiativ"):
            decisions = decisions.filter(
                Q(initiative__title__icontains=title)
                | Q(comment__initiative__title__icontains=title)
            )
        if given.get("fran"):
            decisions = decisions.filter(created_at__date__gte=given["fran"])
        if given.get("till"):
            decisions = decisions.filter(created_at__date__lte=given["till"])
        return decisions


class AssignForm(forms.Form):
    forvaltning = RowChoiceField(
        label=_("Responsible administration"), queryset=Forvaltning.objects.all()
    )
    answer_due = forms.DateField(
        label=_("Answer due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_answer_due],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser's date picker starts at today too; the validator is what holds.
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        self.fields["answer_due"].widget.attrs["min"] = today.isoformat()
        if not is_moderator(user):
            # A case officer takes an initiative for their own administration only.
            self.fields["forvaltning"].queryset = Forvaltning.objects.filter(pk=user.forvaltning_id)


class ResponseForm(forms.Form):
    body = forms.CharField(
        label=_("The city's response"),
        help_text=_("Published in the name of your administration. Markdown works."),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    status = forms.ChoiceField(label=_("New status"), choices=[], widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Initiative.Status.choices)
        self.fields["status"].choices = [
            (status, labels[status]) for status in Initiative.RESPONSE_STATUSES
        ]
