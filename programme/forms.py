from django import forms
from django.utils.translation import gettext_lazy as _

from programme.programme_file import ProgrammeData, ProgrammeFileError, read_programme_bytes

MAX_PROGRAMME_FILE_BYTES = 2 * 1024 * 1024


class ProgrammeImportForm(forms.Form):
    """A programme file, first uploaded to see what would change, then imported: the preview
    carries the file's text on to the confirmation in `content`, checked again then."""

    file = forms.FileField(
        label=_("Programme file"),
        help_text=_("A JSON file in the format tillsammans-programme/1. At most 2 MB."),
        required=False,
    )
    content = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, content = cleaned.get("file"), cleaned.get("content", "")
        if upload:
            if upload.size > MAX_PROGRAMME_FILE_BYTES:
                raise forms.ValidationError({"file": _("The file is larger than 2 MB.")})
            raw = upload.read()
        elif content:
            raw = content.encode()
        else:
            raise forms.ValidationError({"file": _("Choose a programme file.")})
        if len(raw) > MAX_PROGRAMME_FILE_BYTES:
            raise forms.ValidationError({"file": _("The file is larger than 2 MB.")})
        try:
            cleaned["data"] = read_programme_bytes(raw)
        except ProgrammeFileError as error:
            raise forms.ValidationError(
                {"file": _("%(error)s Nothing was changed.") % {"error": error}}
            ) from error
        cleaned["text"] = raw.decode("utf-8")
        return cleaned

    @property
    def data_to_import(self) -> ProgrammeData:
        return self.cleaned_data["data"]
