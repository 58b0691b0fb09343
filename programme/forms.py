from django import forms
from django.utils.translation import gettext_lazy as _

from programme.programme_file import ProgrammeData, ProgrammeFileError, read_programme_bytes

MAX_PROGRAMME_FILE_BYTES = 2 * 1024 * 1024


class ProgrammeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Programme file"),
        help_text=_("A JSON file in the format tillsammans-programme/1. At most 2 MB."),
    )

    def clean_file(self) -> ProgrammeData:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PROGRAMME_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return read_programme_bytes(upload.read())
        except ProgrammeFileError as error:
            raise forms.ValidationError(
                _("%(error)s Nothing was changed."), params={"error": error}
            ) from error
