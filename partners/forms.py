from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organisation, User
from partners.models import MESSAGE_MAX_LENGTH

MYSELF = ""


def _text(label: str, help_text: str = "", required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=MESSAGE_MAX_LENGTH,
        required=required,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class OfferForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Who offers help"), required=False)
    message = _text(
        _("What can you offer?"),
        _("Say what you can do and when. The author answers here on Tillsammans."),
    )

    def __init__(self, *args, organisations: list[Organisation], user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(item.pk): item for item in organisations}
        self.fields["organisation"].choices = [(MYSELF, _("I myself"))] + [
            (str(item.pk), item.name) for item in organisations
        ]
        if not organisations:
            self.fields["organisation"].widget = forms.HiddenInput()
        # An organisation's administrator offers help in its name more often than not: the
        # first organisation they administer is chosen to begin with (a choice sent is kept).
        administered = set(
            Membership.objects.filter(
                user=user, role=Membership.Role.ADMIN, organisation__in=organisations
            ).values_list("organisation_id", flat=True)
        )
        first = next((item for item in organisations if item.pk in administered), None)
        if first is not None:
            self.fields["organisation"].initial = str(first.pk)

    def chosen_organisation(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data.get("organisation") or MYSELF)


class AnswerForm(forms.Form):
    reply = _text(_("Your reply (optional)"), required=False)


class MessageForm(forms.Form):
    body = _text(_("Message"))
