"""Time for the rules: months, income windows (§1.3), school years, whole-year ages (§1.2), adding months."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

from attrs import frozen

__all__ = [
    "Month",
    "add_months",
    "age_on",
    "income_window",
    "parse_date",
    "parse_month",
    "school_year",
    "school_year_bounds",
]


@frozen(order=True)
class Month:
    """A calendar month, e.g. ``Month(2025, 7)`` ↔ ``"2025-07"``."""

    year: int
    month: int

    @property
    def index(self) -> int:
        """Months since year 0: consecutive months have consecutive indexes."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def __add__(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@lru_cache(maxsize=4096)
def parse_month(text: str) -> Month:
    """Parse ``YYYY-MM``; raises ``ValueError`` with a plain reason."""
    # ASCII digits only: str.isdigit() also takes full-width and Arabic-Indic digits (data-format.md)
    if (not isinstance(text, str) or len(text) != 7 or text[4] != "-" or not text.isascii()
            or not (text[:4] + text[5:]).isdigit()):
        raise ValueError(f"expected a month YYYY-MM, got {text!r}")
    year, month = int(text[:4]), int(text[5:])
    if not 1 <= month <= 12 or year < 1:
        raise ValueError(f"expected a month YYYY-MM, got {text!r}")
    return Month(year, month)


@lru_cache(maxsize=65536)
def parse_date(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly; raises ``ValueError`` with a plain reason."""
    if not isinstance(text, str) or len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.isascii():
        raise ValueError(f"expected a date YYYY-MM-DD, got {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def income_window(on: dt.date, months: int) -> tuple[Month, Month]:
    """The ``months`` full calendar months before the month of ``on`` (§1.3), as (first, last) inclusive."""
    last = Month.of(on) + -1
    return last + -(months - 1), last


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Whole years completed on ``on`` (§1.2). A person born on 29 February turns a year older on 1 March."""
    years = on.year - birth_date.year
    month = birth_date.month
    if on.month < month or (on.month == month and on.day < birth_date.day):
        years -= 1  # the birthday of this year is still to come
    return years


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; the day is clipped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    if type(day) is not dt.date:  # a datetime keeps its time: dateutil's arithmetic, as always
        from dateutil.relativedelta import relativedelta

        return day + relativedelta(months=months)  # type: ignore[no-any-return]
    # The same result as ``day + relativedelta(months=months)``, without building a relativedelta.
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    number = day.day
    if number > 28:
        last = 29 if month == 1 and calendar.isleap(year) else _MONTH_DAYS[month]
        if number > last:
            number = last
    return dt.date(year, month + 1, number)


def school_year(day: dt.date) -> int:
    """The school year (1 September – 31 August) containing ``day``, named by the year it starts."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of school year ``year``: 1 September ``year`` – 31 August ``year + 1``."""
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)
