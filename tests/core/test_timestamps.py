"""The <time> element of comments, messages and events reads as Django's date formats did."""

from datetime import UTC, datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from core.templatetags.timestamps import time_tag

MOMENTS = [
    datetime(2026, 1, 5, 7, 3, tzinfo=UTC),  # winter time
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # the minute before summer time
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # summer time begins
    datetime(2026, 10, 25, 23, 30, tzinfo=UTC),  # after midnight in Helsingborg
]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_the_element_says_what_the_date_filter_said_in_local_time(language, moment):
    local = timezone.localtime(moment)
    with translation.override(language):
        with_time = time_tag(moment)
        date_only = time_tag(moment, "date")

        assert with_time == (
            f'<time datetime="{moment.isoformat()}">{date_filter(local, "j F Y H:i")}</time>'
        )
        assert (
            date_only
            == f'<time datetime="{moment.isoformat()}">{date_filter(local, "j F Y")}</time>'
        )


def test_the_month_is_in_the_active_language():
    moment = datetime(2026, 5, 17, 10, 0, tzinfo=UTC)

    with translation.override("sv"):
        assert ">17 maj 2026 12:00<" in time_tag(moment)
    with translation.override("en"):
        assert ">17 May 2026 12:00<" in time_tag(moment)


def test_no_moment_renders_nothing():
    assert time_tag(None) == ""
