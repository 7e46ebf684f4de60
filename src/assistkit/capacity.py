"""Who can work (§2.2, §2.3): the capacity tests every programme shares."""

from __future__ import annotations

import datetime as dt

from .household import LabourCapacity, Person
from .periods import age_on

__all__ = ["able_to_work", "cannot_work"]

_NONE = LabourCapacity.NONE


def cannot_work(person: Person, on: dt.date) -> bool:
    """§2.2 cannot work (无劳动能力): age ≥ 60 or < 16, disability grade 1–2, or labour capacity ``none``."""
    return _cannot_work_at(person, age_on(person.birth_date, on))


def able_to_work(person: Person, on: dt.date) -> bool:
    """§2.3 able to work (有劳动能力): 16 ≤ age < 60, capacity full or partial, no disability grade 1–2."""
    return not cannot_work(person, on)


def _cannot_work_at(person: Person, age: int) -> bool:
    """§2.2 for ``person`` aged ``age`` on the assessment date (the context knows the age already)."""
    return age >= 60 or age < 16 or person.disability_grade in (1, 2) or person.labour_capacity is _NONE
