"""Properties of §P: the subsidy is zero exactly when no index reaches its trigger, and it never falls when the
standard S or an index rises. Each case is a policy file on Demo City (the indices, triggers and S on
2026-01-15) and a household of two with no income (dibao: both covered)."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import assistkit_basic_living.hooks
import assistkit_price_subsidy.hooks
from assistkit_price_subsidy.programme import per_person, triggering_change
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit import io
from assistkit.engine import Engine

SETTINGS = settings(max_examples=60, deadline=None)
ON = dt.date(2026, 1, 15)
HOUSEHOLD = io.structure_household({
    "id": "H-P", "residence": "urban",
    "members": [{"id": "P1", "name": "钱一", "birth_date": "1975-05-05", "relationship": "head"},
                {"id": "P2", "name": "钱二", "birth_date": "1977-05-05", "relationship": "spouse"}],
})

changes = st.integers(-50, 150).map(lambda n: Decimal(n).scaleb(-1))  # -5.0 … 15.0 %
triggers = st.integers(0, 100).map(lambda n: Decimal(n).scaleb(-1))  # 0.0 … 10.0 %
standards = st.integers(500, 3000).map(Decimal)


def monthly(cpi: Decimal, food: Decimal, cpi_trigger: Decimal, food_trigger: Decimal, standard: Decimal
            ) -> Decimal:
    """The household's price subsidy under a policy with these values from 2026-01-01."""
    text = (f"[standard]\nurban = {{ 2026-01-01 = {standard} }}\n"
            f"[price]\ncpi_yoy = {{ 2026-01-01 = {cpi} }}\nfood_yoy = {{ 2026-01-01 = {food} }}\n"
            f"cpi_trigger = {{ 2026-01-01 = {cpi_trigger} }}\nfood_trigger = {{ 2026-01-01 = {food_trigger} }}\n")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.toml"
        path.write_text(text, encoding="utf-8")
        engine = Engine(plugins=[assistkit_basic_living.hooks, assistkit_price_subsidy.hooks], policy_files=[path])
        d = engine.assess(HOUSEHOLD, ON)
    assert not d.errors, d.errors
    return d.programme("price_subsidy").monthly


@SETTINGS
@given(changes, changes, triggers, triggers, standards)
def test_zero_exactly_when_no_index_reaches_its_trigger(cpi, food, cpi_trigger, food_trigger, standard):
    amount = monthly(cpi, food, cpi_trigger, food_trigger, standard)
    triggered = cpi >= cpi_trigger or food >= food_trigger
    assert (amount == 0) == (not triggered)
    if triggered:
        assert amount >= 2 * Decimal(10)  # two covered persons, at least price.min_subsidy each


@SETTINGS
@given(changes, changes, triggers, triggers, standards, standards)
def test_monotone_in_the_standard(cpi, food, cpi_trigger, food_trigger, s1, s2):
    low, high = sorted((s1, s2))
    assert monthly(cpi, food, cpi_trigger, food_trigger, low) <= monthly(cpi, food, cpi_trigger, food_trigger, high)


@SETTINGS
@given(changes, changes, changes, triggers, triggers, standards, st.booleans())
def test_monotone_in_each_index(a, b, other, cpi_trigger, food_trigger, standard, cpi_moves):
    low, high = sorted((a, b))
    if cpi_moves:
        pair = (monthly(low, other, cpi_trigger, food_trigger, standard),
                monthly(high, other, cpi_trigger, food_trigger, standard))
    else:
        pair = (monthly(other, low, cpi_trigger, food_trigger, standard),
                monthly(other, high, cpi_trigger, food_trigger, standard))
    assert pair[0] <= pair[1]


@settings(max_examples=300, deadline=None)
@given(changes, changes, triggers, triggers, standards, standards, st.integers(0, 50).map(Decimal))
def test_the_rule_functions_are_monotone(cpi, food, cpi_trigger, food_trigger, s1, s2, minimum):
    trigger = triggering_change(cpi, food, cpi_trigger, food_trigger)
    assert (trigger is None) == (cpi < cpi_trigger and food < food_trigger)
    if trigger is None:
        return
    _, change = trigger
    assert change == max(c for c, t in ((cpi, cpi_trigger), (food, food_trigger)) if c >= t)
    low, high = sorted((s1, s2))
    exact, rounded, amount = per_person(low, change, minimum)
    assert exact == low * change / 100 and abs(rounded - exact) <= Decimal("0.5") and amount >= minimum
    assert amount <= per_person(high, change, minimum)[2]
