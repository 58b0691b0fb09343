from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    Membership,
    Organisation,
    PartnerNeed,
    User,
    organisation_number_digits,
)
from core.forms import RowsChoiceField
from programme.models import Fokusomrade, Prioritering, Stadsdel


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("Shown beside what you write. You may use a first name or a nickname."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def signup(self, request, user) -> None:
        """allauth calls this after saving; the adapter has already set the display name."""


class OrganisationForm(forms.ModelForm):
    fokusomraden = RowsChoiceField(
        label=_("Focus areas of interest"),
        queryset=Fokusomrade.objects.select_related("viljeinriktning"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    prioriteringar = RowsChoiceField(
        label=_("Priorities of interest"),
        queryset=Prioritering.objects.select_related("fokusomrade__viljeinriktning"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    whole_city = forms.BooleanField(label=_("We are active in the whole city"), required=False)
    stadsdelar = RowsChoiceField(
        label=_("Districts where we are active"),
        queryset=Stadsdel.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    offers = forms.MultipleChoiceField(
        label=_("What we can offer initiatives"),
        choices=PartnerNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name",
            "description",
            "website",
            "fokusomraden",
            "prioriteringar",
            "whole_city",
            "stadsdelar",
            "offers",
            "offers_text",
            "organisation_number",
            "contact_person",
        ]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a member can be the contact person; a new organisation has none to choose yet.
        members = User.objects.filter(memberships__organisation=self.instance.pk or 0)
        self.fields["contact_person"].queryset = members.order_by("display_name")
        self.fields["contact_person"].label_from_instance = lambda user: user.public_name
        if not self.instance.pk:
            del self.fields["contact_person"]

    def clean_organisation_number(self) -> str:
        """Kept as the register writes it: six digits, a hyphen, four digits."""
        digits = organisation_number_digits(self.cleaned_data["organisation_number"])
        return f"{digits[:6]}-{digits[6:]}" if digits else ""

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        taken = Organisation.objects.filter(name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("An organisation with this name already exists."))
        return name


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.organisation.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person is already a member."))
        return email


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=capfirst(User._meta.get_field("display_name").verbose_name),
        max_length=User._meta.get_field("display_name").max_length,
        help_text=User._meta.get_field("display_name").help_text,
    )
    language = forms.ChoiceField(
        label=capfirst(User._meta.get_field("language").verbose_name),
        choices=settings.LANGUAGES,
        help_text=_("The language of the emails we send you."),
    )
