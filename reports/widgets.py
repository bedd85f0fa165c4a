"""Widgets reading cells the way coordinators type them, with a message in the page's
language saying what to type instead of django-import-export's "Value could not be
parsed using defined formats." or Django's "Value 'Morocco' is not a valid choice."."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from import_export import widgets

#: The languages whose writers put the day first, and never the month: in them 05/03/2026
#: is 5 March. In English it may be 3 May, so only a day past 12 is read.
DAY_FIRST_LANGUAGES = ("fr", "ar", "es")

#: The first is the one exports write; a date alone is midnight, as in Django's formats.
ISO_TIMES = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
)

DAY_FIRST = re.compile(
    r"^(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
    r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$"
)


def day_first(text: str, language: str) -> datetime | None:
    """31/12/2026 (or 31.12.2026, 31-12-2026, with a time or not), when the language
    leaves no doubt that the day comes first."""
    match = DAY_FIRST.match(text.strip())
    if not match:
        return None
    parts = {name: int(value or 0) for name, value in match.groupdict().items()}
    if parts["day"] <= 12 and language not in DAY_FIRST_LANGUAGES:
        return None
    try:
        return datetime(**parts)
    except ValueError:
        return None


class DayFirstMixin:
    """Read as the widget's own formats say, or day first when the language leaves no
    doubt; otherwise a message with the form to write (`not_read`)."""

    language = settings.LANGUAGE_CODE
    not_read = ""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            parsed = day_first(str(value), self.language)
        if parsed is None:
            raise ValueError(str(self.not_read) % {"value": str(value).strip()}) from None
        return self.from_day_first(parsed)


class DateWidget(DayFirstMixin, widgets.DateWidget):
    """A date as year-month-day (or as a spreadsheet's date cell), or day first; never
    month first, as Django's DATE_INPUT_FORMATS would read 05/03/2026."""

    not_read = gettext_lazy(
        "“%(value)s” is not a date: write it as year-month-day, e.g. 2026-12-31."
    )

    def __init__(self, format=None, coerce_to_string=True):
        super().__init__(format, coerce_to_string)
        self.formats = (format,) if format else ("%Y-%m-%d",)

    def from_day_first(self, parsed: datetime):
        return parsed.date()


class DateTimeWidget(DayFirstMixin, widgets.DateTimeWidget):
    """A time as year-month-day hours:minutes (or a spreadsheet's date cell), or day first;
    never month first."""

    not_read = gettext_lazy(
        "“%(value)s” is not a date and time: write it as year-month-day "
        "hours:minutes, e.g. 2026-12-31 09:30."
    )

    def __init__(self, format=None, coerce_to_string=True):
        super().__init__(format, coerce_to_string)
        self.formats = (format,) if format else ISO_TIMES

    def from_day_first(self, parsed: datetime):
        return timezone.make_aware(parsed) if settings.USE_TZ else parsed


class CountryWidget(widgets.Widget):
    """A country as its code (MA, MAR) or its name in any language of the portal."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        code = countries.alpha2(text)
        for language, _label in settings.LANGUAGES:
            code = code or countries.by_name(text, language=language)
        if not code:
            raise ValueError(
                _(
                    "“%(value)s” is not a country: write its two-letter code, e.g. MA for "
                    "Morocco, or its name."
                )
                % {"value": text}
            )
        return code


#: The largest value of a PositiveIntegerField on every database Django supports.
MAX_WHOLE_NUMBER = 2_147_483_647


def whole_number(text: str) -> int | None:
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    # Bounded before int(): 1e400000 would take seconds to convert.
    if number.is_finite() and 0 <= number <= MAX_WHOLE_NUMBER and number % 1 == 0:
        return int(number)
    return None


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number of zero or more: django-import-export would cut 12.5 to 12 and let a
    word through as decimal's error, which names neither the value nor the remedy."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        number = whole_number(str(value).strip())
        if number is None:
            raise ValueError(
                _("“%(value)s” is not a whole number: write it in digits, e.g. 40.")
                % {"value": str(value).strip()}
            )
        return number


WIDGETS = {
    "DateField": DateWidget,
    "DateTimeField": DateTimeWidget,
    "PositiveIntegerField": WholeNumberWidget,
    "PositiveSmallIntegerField": WholeNumberWidget,
}


def widget_for(model_field, default):
    """The portal's widget for a model field, else django-import-export's."""
    kind = model_field.get_internal_type() if hasattr(model_field, "get_internal_type") else ""
    return WIDGETS.get(kind, default)
