"""Times as people write them, in Dutch and in English: one filter for every page."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from workplace.templatetags.moments import describe

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime.datetime(2026, 12, 3, 14, 30, tzinfo=BRUSSELS)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BRUSSELS)


CASES = [
    # moment, Dutch, English
    (NOW - datetime.timedelta(seconds=20), "zojuist", "just now"),
    (NOW + datetime.timedelta(seconds=20), "zojuist", "just now"),
    (NOW - datetime.timedelta(minutes=1), "1 min geleden", "1 min ago"),
    (NOW - datetime.timedelta(minutes=5, seconds=40), "5 min geleden", "5 min ago"),
    (NOW - datetime.timedelta(minutes=59), "59 min geleden", "59 min ago"),
    (at(2026, 12, 3, 9, 5), "09:05", "09:05"),
    (at(2026, 12, 3, 0, 0), "00:00", "00:00"),
    (at(2026, 12, 2, 14, 5), "gisteren 14:05", "yesterday 14:05"),
    (at(2026, 12, 1, 14, 5), "1 dec.", "1 Dec"),
    (at(2026, 3, 15, 8, 0), "15 mrt.", "15 Mar"),
    (at(2026, 5, 15, 8, 0), "15 mei", "15 May"),
    (at(2025, 12, 1, 14, 5), "1 dec. 2025", "1 Dec 2025"),
    (at(2026, 12, 24, 9, 0), "24 dec.", "24 Dec"),  # a planned moment in the future
]


@pytest.mark.parametrize(("value", "dutch", "english"), CASES)
def test_each_moment_reads_as_people_write_it(value, dutch, english):
    with translation.override("nl"):
        assert describe(value, NOW) == dutch
    with translation.override("en"):
        assert describe(value, NOW) == english


def test_the_day_is_the_day_in_ghent_not_in_utc():
    just_after_midnight = at(2026, 12, 3, 0, 30)  # still 2 December in UTC
    with translation.override("nl"):
        assert describe(just_after_midnight, NOW) == "00:30"


def render(value) -> str:
    return Template("{% load moments %}{{ value|moment }}").render(Context({"value": value}))


@time_machine.travel(NOW, tick=False)
def test_the_filter_gives_a_time_element_with_the_full_date_as_title():
    with translation.override("nl"):
        html = render(at(2026, 12, 1, 14, 5))
    assert html == (
        '<time datetime="2026-12-01T14:05:00+01:00" title="dinsdag 1 december 2026, 14:05"'
        " data-moment>1 dec.</time>"
    )
    with translation.override("en"):
        assert 'title="Tuesday 1 December 2026, 14:05"' in render(at(2026, 12, 1, 14, 5))


def test_the_filter_leaves_out_what_is_not_a_moment():
    assert render(None) == ""
    assert render("") == ""
