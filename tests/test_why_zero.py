"""Why zero, always: over a generated Demo City population, every programme that is not eligible says why."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from assistkit import io
from assistkit.dev.demo import demo_lines
from assistkit.engine import Engine
from assistkit.testing.invariants import assert_reasons_when_not_eligible

ON = dt.date(2025, 7, 15)


def test_every_ineligible_programme_says_why_over_a_population() -> None:
    engine = Engine()
    ineligible: Counter[str] = Counter()
    for line in demo_lines(5000, seed=26, on=ON):
        d = engine.assess(io.household_from_json(line), ON)
        assert_reasons_when_not_eligible(d)
        ineligible.update(r.name for r in d.programmes if not r.eligible)
    # Every installed programme was seen not eligible somewhere, so each one's "why zero" was exercised.
    assert set(ineligible) == {p.name for p in engine.programmes}
