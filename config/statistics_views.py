"""The statistics pages: public numbers at /statistik/, staff insight at /handlaggning/statistik/,
and every table of either as a CSV download (config/statistics.py computes them)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from config import statistics
from config.statistics import Period
from core.csv import csv_response
from moderation.permissions import can_use_desk


class MonthInput(forms.TextInput):
    input_type = "month"


class PeriodForm(forms.Form):
    """?fran=YYYY-MM&till=YYYY-MM: the months the page's monthly numbers cover."""

    fran = forms.CharField(label=gettext_lazy("From month"), required=False, widget=MonthInput)
    till = forms.CharField(label=gettext_lazy("To month"), required=False, widget=MonthInput)

    def __init__(self, data=None):
        default = Period.default()
        initial = {"fran": f"{default.first:%Y-%m}", "till": f"{default.last:%Y-%m}"}
        super().__init__(data or None, initial=initial)
        self.default = default

    def _month(self, name: str):
        value = self.cleaned_data[name]
        if not value:
            return getattr(self.default, "first" if name == "fran" else "last")
        parsed = statistics.month(value)
        if parsed is None:
            raise ValidationError(_("Write a month as YYYY-MM, for example 2025-03."))
        return parsed

    def clean_fran(self):
        return self._month("fran")

    def clean_till(self):
        return self._month("till")

    def clean(self):
        data = super().clean()
        first, last = data.get("fran"), data.get("till")
        if first and last:
            if first > last:
                raise ValidationError(_("The first month must come before the last."))
            if statistics.months_between(first, last) > statistics.MAX_MONTHS:
                raise ValidationError(
                    _("Choose at most %(months)s months.") % {"months": statistics.MAX_MONTHS}
                )
        return data

    def period(self) -> Period:
        """The period asked for, or the default one when nothing or something wrong was."""
        if self.is_bound and self.is_valid():
            return Period(first=self.cleaned_data["fran"], last=self.cleaned_data["till"])
        return self.default


@require_GET
def page(request):
    form = PeriodForm(request.GET)
    period = form.period()
    totals, months = statistics.totals(), statistics.months(period)
    context = {
        "form": form,
        "totals": totals,
        "months": months,
        "computed_at": min(totals.computed_at, months.computed_at),
        "freshness_minutes": statistics.FRESHNESS // 60,
        "small_label": statistics.SMALL,
        # The monthly tables' downloads cover the months the page shows.
        "period_query": "?"
        + urlencode({"fran": f"{period.first:%Y-%m}", "till": f"{period.last:%Y-%m}"}),
    }
    return render(request, "statistics/page.html", context)


@require_GET
def download(request, name: str):
    form = PeriodForm(request.GET)
    if form.is_bound and not form.is_valid():
        errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
        return HttpResponseBadRequest(" ".join(errors), content_type="text/plain; charset=utf-8")
    totals, months = statistics.totals(), statistics.months(form.period())
    tables = [
        totals.programme_table,
        totals.district_table,
        totals.responsiveness_table,
        months.month_table,
        *months.district_tables,
    ]
    return _csv(tables, name)


def _csv(tables: list[statistics.Table], name: str):
    table = next((table for table in tables if table.slug == name), None)
    if table is None:
        raise Http404
    return csv_response(f"{table.slug}.csv", table.csv_header(), table.csv_rows())


def staff_required(view):
    @login_required
    def check(request, *args, **kwargs):
        if not can_use_desk(request.user):
            raise PermissionDenied(_("Only city staff can see this page."))
        return view(request, *args, **kwargs)

    return check


@require_GET
@staff_required
def staff_page(request):
    return render(request, "statistics/staff.html", {"tables": statistics.staff_tables()})


@require_GET
@staff_required
def staff_download(request, name: str):
    return _csv(statistics.staff_tables(), name)
