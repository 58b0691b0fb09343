from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_moderator
from core.forms import RowChoiceField, RowsChoiceField
from ideas.models import Comment, Initiative
from moderation.models import AdmissibilityReason, Flag
from partners.models import OfferMessage
from programme.models import Forvaltning


class DecisionForm(forms.Form):
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
    reasons = forms.MultipleChoiceField(
        label=_("Reasons (for a rejection)"),
        choices=AdmissibilityReason.choices,
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
        action, text = cleaned.get("action"), cleaned.get("text", "").strip()
        chosen = [cleaned.get(name) for name in ("initiativ", "kommentar", "meddelande")]
        if not any(chosen) and not self.errors:
            raise forms.ValidationError(_("Choose at least one item."), code="empty")
        if action == "reject" and not cleaned.get("reasons"):
            self.add_error("reasons", _("Choose at least one reason to reject."))
        if action in {"reject", "send_back", "hide"} and not text:
            self.add_error("text", _("Write an explanation; the author sees it."))
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
        help_text=_("The person sees it while the block lasts."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    forvaltning = RowChoiceField(
        label=_("Responsible administration"), queryset=Forvaltning.objects.all()
    )
    answer_due = forms.DateField(
        label=_("Answer due"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
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
