import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, PartnerNeed, User
from core.forms import RowChoiceField, RowsChoiceField
from ideas.images import process_initiative_image
from ideas.models import Comment, Initiative
from ideas.permissions import LOCKED_ONCE_SUPPORTED, supports_lock
from programme.models import Fokusomrade, Prioritering, Programme, Stadsdel


class FokusomradeChoiceField(RowChoiceField):
    def label_from_instance(self, obj: Fokusomrade) -> str:
        return str(obj.title)


class PrioriteringChoiceField(RowsChoiceField):
    def label_from_instance(self, obj: Prioritering) -> str:
        return f"#{obj.tag}: {obj.summary}"


def _no_markup(value: str) -> str:
    """Titles and summaries are plain text. Markup is refused with a message, never stored."""
    if "<" in value and ">" in value:
        raise ValidationError(
            _("Write plain text without HTML tags (such as <b> or <script>)."), code="markup"
        )
    return value


# Said beside the title and the focus area once they are fixed (permissions.supports_lock).
LOCKED_HELP = {
    "title": _(
        "The title can no longer be changed: people have supported the initiative with this title."
    ),
    "fokusomrade": _(
        "The focus area can no longer be changed: people have supported the initiative in it."
    ),
}
# Said when a form changes them all the same (a form opened before the first support, or one
# made by hand).
LOCKED_REFUSAL = {
    "title": _(
        "The title cannot be changed after people have supported the initiative. The saved title "
        "is back in place; your other changes are kept."
    ),
    "fokusomrade": _(
        "The focus area cannot be changed after people have supported the initiative. The saved "
        "focus area is back in place; your other changes are kept."
    ),
}


class InitiativeForm(forms.ModelForm):
    """Propose or edit an initiative. The image is checked, re-encoded and stripped here.

    Once a published initiative has supporters, its title and focus area are shown read-only; a
    form that changes them is refused with the saved values put back, the rest kept."""

    fokusomrade = FokusomradeChoiceField(
        label=_("Focus area"),
        queryset=Fokusomrade.objects.none(),
        empty_label=_("Choose a focus area"),
        help_text=_("Which part of the Quality of Life Programme the initiative belongs to."),
    )
    prioriteringar = PrioriteringChoiceField(
        label=_("Priorities (optional)"),
        queryset=Prioritering.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stadsdel = RowChoiceField(
        label=_("District (optional)"),
        queryset=Stadsdel.objects.all(),
        required=False,
        empty_label=_("The whole city, or no particular district"),
    )
    organisation = RowChoiceField(
        label=_("Written by"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Me, as a resident"),
    )
    partner_needs = forms.MultipleChoiceField(
        label=_("What is needed"),
        choices=PartnerNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    image = forms.FileField(
        label=_("Image (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 10 MB. We remove location data from it."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Initiative
        fields = [
            "title",
            "summary",
            "body",
            "fokusomrade",
            "prioriteringar",
            "stadsdel",
            "organisation",
            "image",
            "image_alt",
            "seeking_partners",
            "partner_needs",
            "partner_needs_text",
        ]
        labels = {
            "title": _("Title"),
            "summary": _("Summary"),
            "body": _("Description"),
            "image_alt": _("Describe the image"),
            "seeking_partners": _("We are looking for partners"),
            "partner_needs_text": _("More about what is needed (optional)"),
        }
        help_texts = {
            "title": _("At most 120 characters. Say what you propose."),
            "summary": _("At most 300 characters. Shown in lists."),
            "body": _(
                "Describe the idea, why it matters and who it is for. You can use Markdown: "
                "## headings, - lists, **bold** and [links](https://…)."
            ),
            "image_alt": _("For people who cannot see the image. Required with an image."),
            "seeking_partners": _(
                "Associations, businesses and residents can offer to help carry it out."
            ),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "partner_needs_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        programme = Programme.objects.current()
        fokusomraden = Fokusomrade.objects.select_related("viljeinriktning").filter(
            viljeinriktning__programme=programme
        )
        self.fields["fokusomrade"].queryset = fokusomraden
        self.fields["prioriteringar"].queryset = Prioritering.objects.filter(
            fokusomrade__in=fokusomraden
        ).select_related("fokusomrade")
        self._group_focus_areas(fokusomraden)
        # Only approved organisations: a pending one's name is shown nowhere public.
        self.fields["organisation"].queryset = Organisation.objects.public().filter(members=user)
        if not self.fields["organisation"].queryset.exists():
            del self.fields["organisation"]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["partner_needs"].initial = self.instance.partner_needs
        else:
            self.fields["client_token"].initial = uuid.uuid4()
        for name, field in self.fields.items():
            if name in {"title", "summary", "body"}:
                field.widget.attrs.setdefault("maxlength", field.max_length)
        self.locked = supports_lock(self.instance)
        if self.locked:
            for name in LOCKED_ONCE_SUPPORTED:
                self.fields[name].required = False
                self.fields[name].help_text = LOCKED_HELP[name]
            self.fields["title"].widget.attrs["readonly"] = True
            # A disabled select sends nothing: clean_fokusomrade keeps the saved one.
            self.fields["fokusomrade"].widget.attrs["disabled"] = True

    def _group_focus_areas(self, fokusomraden) -> None:
        """Show focus areas under their direction, to browse viljeinriktning → fokusområde."""
        groups: dict = {}
        for fokusomrade in fokusomraden:
            groups.setdefault(str(fokusomrade.viljeinriktning.title), []).append(
                (fokusomrade.pk, str(fokusomrade.title))
            )
        self.fields["fokusomrade"].choices = [("", self.fields["fokusomrade"].empty_label)] + list(
            groups.items()
        )

    def prioritering_groups(self) -> list[dict]:
        """Priorities per focus area, rendered as one fieldset each."""
        chosen = {str(value) for value in (self["prioriteringar"].value() or [])}
        groups: dict = {}
        for prioritering in self.fields["prioriteringar"].queryset:
            groups.setdefault(prioritering.fokusomrade, []).append(
                {"item": prioritering, "checked": str(prioritering.pk) in chosen}
            )
        return [{"fokusomrade": key, "items": items} for key, items in groups.items()]

    def clean_title(self) -> str:
        return self._kept("title", _no_markup(" ".join(self.cleaned_data["title"].split())))

    def clean_fokusomrade(self) -> Fokusomrade:
        return self._kept("fokusomrade", self.cleaned_data["fokusomrade"])

    def _kept(self, name: str, value):
        """The value of a field that supports fix: the saved one, when nothing or the same was
        sent; anything else is refused."""
        if not self.locked:
            return value
        saved = getattr(self.instance, name)
        if value in (None, "") or value == saved:
            return saved
        raise ValidationError(LOCKED_REFUSAL[name], code="locked")

    def clean_summary(self) -> str:
        return _no_markup(self.cleaned_data["summary"].strip())

    def clean_image(self):
        """A new image, checked and re-encoded; False when the author ticked "clear"; None when
        the image stays as it is."""
        upload = self.cleaned_data.get("image")
        if upload is False:
            return False
        if not upload or upload is True or not hasattr(upload, "read"):
            return None
        return process_initiative_image(upload)

    def clean(self):
        cleaned = super().clean()
        fokusomrade = cleaned.get("fokusomrade")
        wrong = [
            item for item in cleaned.get("prioriteringar", []) if item.fokusomrade != fokusomrade
        ]
        if fokusomrade and wrong:
            self.add_error(
                "prioriteringar", _("Choose only priorities of the focus area you chose.")
            )
        keeps_old = self.instance.pk and self.instance.image and cleaned.get("image") is not False
        has_image = cleaned.get("image") or keeps_old
        if has_image and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        if self.locked and self.is_bound:
            # The form shows again what is saved of the fixed fields, whatever was sent.
            self.data = self.data.copy()
            self.data["title"] = self.instance.title
            self.data["fokusomrade"] = str(self.instance.fokusomrade_id)
        return cleaned


class CommentForm(forms.ModelForm):
    parent = RowChoiceField(
        queryset=Comment.objects.none(), required=False, widget=forms.HiddenInput
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": _("Your comment")}
        help_texts = {
            "body": _("Be kind and keep to the subject. **Bold**, *italics*, links and lists work.")
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = initiative.comments.filter(parent__isnull=True)
        self.fields["body"].widget.attrs["maxlength"] = 5000
        self.fields["client_token"].initial = uuid.uuid4()


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    edited_at_seen = forms.CharField(widget=forms.HiddenInput, required=False)
