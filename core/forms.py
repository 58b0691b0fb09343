"""Form fields that choose rows by id, refusing an id no database column can hold before the
database is asked: SQLite raises OverflowError and PostgreSQL a DataError for such a number,
which Django's own fields do not catch, so a hand-edited form gave a server error."""

from django import forms
from django.core.exceptions import ValidationError

LARGEST_ID = 2**63 - 1


def _fits(value) -> bool:
    text = str(value).strip()
    if not text.lstrip("+-").isdigit():
        return True  # not a number: Django's field refuses it in its own words
    return abs(int(text)) <= LARGEST_ID


class RowChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _fits(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RowsChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value if isinstance(value, list | tuple) else [value]:
            if not _fits(item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)
