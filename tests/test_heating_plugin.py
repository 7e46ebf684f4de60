"""Issue 24's must-show: a third party's programme that changes no line of the core.

``assistkit new-plugin heating`` writes a plugin into a temporary folder; the test then extends it as a county
would — a recurring monthly heating allowance (§H, written for this test) with its own payment kind in history,
its own enrolment (§15.2) and status, and facts the format lacks in the extension block — loads it through the
engine's plugin API and assesses households. The core's source is the same before and after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

import assistkit
from assistkit.cli import main
from assistkit.engine import Engine
from assistkit.errors import InvalidHousehold
from assistkit.io import structure_household
from assistkit.schema import household_schema
from assistkit.testing.reads import reads_of, undeclared_reads

CORE = Path(assistkit.__file__).parent
ON = dt.date(2025, 12, 15)  # in the heating season (November to March); income window 2025-06 … 2025-11

PROGRAMME = '''"""Heating allowance (取暖救助), §H — a county's own recurring programme.

§H.1  In the heating season (November to March) a household holding ``dibao`` or ``tekun`` gets a monthly
      heating allowance of ``heating.rate`` yuan per square metre of heated floor area, at most
      ``heating.max_area`` square metres, rounded to the fen; a household heated centrally by its landlord
      gets none.
§H.2  For each member confined to bed, ``heating.bedridden`` yuan a month more.
§H.3  The household then holds the status ``heating_recipient``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from assistkit.api import ZERO, Context, Fact, Programme, Rule, StatusDeclaration, round_fen

from .parameters import BEDRIDDEN, MAX_AREA, RATE

__all__ = ["RULES", "HeatingProgramme"]

RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("heating.allowance", "§H.1",
             "取暖面积 {area} 平方米（上限 {max_area}），每平方米 {rate} 元：每月 {amount} 元",
             "heated area {area} m² (at most {max_area}), {rate} yuan per m²: {amount} yuan a month"),
        Rule("heating.bedridden", "§H.2", "成员 {member} 卧床：每月加发 {amount} 元",
             "member {member} is confined to bed: {amount} yuan more a month"),
        Rule("heating.no_status", "§H.1", "家庭不享有低保或特困身份：不发放取暖补贴",
             "the household holds neither dibao nor tekun: no heating allowance"),
        Rule("heating.no_facts", "§H.1", "未提供取暖信息：不发放取暖补贴",
             "no heating facts given: no heating allowance"),
        Rule("heating.central", "§H.1", "由出租方集中供暖：不发放取暖补贴",
             "heated centrally by the landlord: no heating allowance"),
        Rule("heating.out_of_season", "§H.1", "不在采暖期（11月至次年3月）：不发放",
             "outside the heating season (November to March): no allowance"),
    )
}

_SEASON = (11, 12, 1, 2, 3)


class HeatingProgramme(Programme):
    """§H: a monthly heating allowance to dibao and tekun households in the heating season."""

    name = "heating"
    title_zh = "取暖救助"
    title_en = "Heating allowance"
    after = ("tekun", "dibao")
    recurring = True  # a monthly amount compared with enrolments (§15.2): "heating" is an enrolment programme
    parameters = (RATE, MAX_AREA, BEDRIDDEN)
    rules = RULES
    statuses = (StatusDeclaration("heating_recipient", "取暖救助对象", "heating-allowance recipient", rank=20),)
    grants = ("heating_recipient",)
    payment_kinds = ("heating_allowance",)  # what history calls a month of it paid (the county's records)
    facts = (
        Fact("heated_area", "decimal", unit="m²", required=True, meaning_zh="取暖面积", meaning_en="heated floor area"),
        Fact("heating", "choice", choices=("coal", "electric", "central"), default="coal",
             meaning_zh="取暖方式", meaning_en="how the dwelling is heated"),
        Fact("bedridden", "boolean", on="person", default=False, meaning_zh="长期卧床", meaning_en="confined to bed"),
    )
    reads = ("ext.heating.heated_area", "ext.heating.heating", "members.ext.heating.bedridden")

    def assess(self, ctx: Context) -> None:
        if not ctx.statuses.anyone_holds(("dibao", "tekun")):
            ctx.reason("heating.no_status")
            return
        if ctx.on.month not in _SEASON:
            ctx.reason("heating.out_of_season")
            return
        household = ctx.household
        facts = household.ext.get("heating")
        if facts is None:
            ctx.reason("heating.no_facts")
            return
        if facts["heating"] == "central":
            ctx.reason("heating.central")
            return
        rate: Decimal = ctx.params[RATE]  # type: ignore[assignment]
        most: Decimal = ctx.params[MAX_AREA]  # type: ignore[assignment]
        area = min(facts["heated_area"], most)
        amount = round_fen(area * rate)
        ctx.add_monthly(amount, rule="heating.allowance")
        ctx.reason("heating.allowance", {"area": area, "max_area": most, "rate": rate, "amount": amount},
                   params=(RATE, MAX_AREA))
        total = amount
        for person in household.members:
            own = person.ext.get("heating")
            if own is not None and own["bedridden"]:
                extra: Decimal = ctx.params[BEDRIDDEN]  # type: ignore[assignment]
                ctx.add_monthly(extra, rule="heating.bedridden")
                ctx.reason("heating.bedridden", {"member": person.id, "amount": extra}, params=(BEDRIDDEN,))
                total += extra
        if total > ZERO:
            ctx.grant("heating_recipient")
'''

PARAMETERS = '''"""The parameters of §H and their Demo City values."""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = ["BEDRIDDEN", "DECLARATION", "MAX_AREA", "RATE", "SCHEMAS"]

RATE = "heating.rate"
MAX_AREA = "heating.max_area"
BEDRIDDEN = "heating.bedridden"

SCHEMAS: tuple[ParameterSchema, ...] = (
    ParameterSchema(RATE, "money", "yuan", "allowance per square metre a month", "每平方米每月补贴", "§H.1"),
    ParameterSchema(MAX_AREA, "decimal", "m²", "most heated area counted", "计算面积上限", "§H.1"),
    ParameterSchema(BEDRIDDEN, "money", "yuan", "more a month per member confined to bed", "卧床成员每月加发", "§H.2"),
)

DECLARATION = ParameterDeclaration(SCHEMAS, {"demo-city": files("assistkit_heating") / "demo-city.toml"})
'''

VALUES = '''# Demo City: §H, the heating allowance.

[heating]
rate = { 2024-01-01 = 2.50 }       # §H.1, yuan per m² a month
max_area = { 2024-01-01 = 60 }     # §H.1, m²
bedridden = { 2024-01-01 = 40 }    # §H.2, yuan a month
'''


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def heating(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The scaffolded plugin, extended, imported from its folder: its ``hooks`` module."""
    before = _digest(CORE)
    where = tmp_path_factory.mktemp("plugins")
    result = CliRunner().invoke(main, ["new-plugin", "heating", "--dir", str(where)])
    assert result.exit_code == 0, result.output
    package = where / "assistkit-heating" / "src" / "assistkit_heating"
    (package / "programme.py").write_text(PROGRAMME, encoding="utf-8")
    (package / "parameters.py").write_text(PARAMETERS, encoding="utf-8")
    (package / "demo-city.toml").write_text(VALUES, encoding="utf-8")
    # hooks.py stays as generated: it registers HeatingProgramme and declares the parameters of parameters.py.
    sys.path.insert(0, str(package.parent))
    try:
        yield importlib.import_module("assistkit_heating.hooks")
    finally:
        sys.path.remove(str(package.parent))
        for name in [n for n in sys.modules if n == "assistkit_heating" or n.startswith("assistkit_heating.")]:
            del sys.modules[name]
        assert _digest(CORE) == before, "the core's source changed"


@pytest.fixture(scope="module")
def engine(heating: ModuleType) -> Engine:
    basic = importlib.import_module("assistkit_basic_living.hooks")
    return Engine([basic, heating])


def household(**changes: Any) -> dict[str, Any]:
    """A dibao household (no income) of two, heated by coal, already enrolled in the allowance."""
    data: dict[str, Any] = {
        "id": "H-HEAT", "residence": "urban",
        "members": [
            {"id": "P1", "name": "张三", "birth_date": "1970-01-01", "relationship": "head"},
            {"id": "P2", "name": "李梅", "birth_date": "1945-03-01", "relationship": "parent",
             "labour_capacity": "none", "ext": {"heating": {"bedridden": True}}},
        ],
        "enrolments": [{"programme": "heating", "since": "2024-11-01", "monthly_amount": "150.00"}],
        "history": [{"programme": "heating", "kind": "heating_allowance", "date": "2025-11-10", "amount": "150.00"}],
        "ext": {"heating": {"heated_area": "72.5", "heating": "coal"}},
    }
    data.update(changes)
    return data


def test_the_heating_allowance_is_assessed(engine: Engine) -> None:
    d = engine.assess(structure_household(household()), ON)
    out = d.to_json("en")
    heating = out["programmes"]["heating"]
    # §H.1: 60 m² (of 72.5) × 2.50 = 150.00; §H.2: P2 confined to bed, 40.00 more.
    assert (heating["monthly"], heating["one_off"]) == ("190.00", "0.00")
    assert [r["rule"] for r in heating["reasons"]] == ["heating.allowance", "heating.bedridden"]
    assert "heating_recipient" in out["statuses"]["household"]
    # §15.2: enrolled at 150.00, determined 190.00.
    assert [(a["programme"], a["action"], a["enrolled"], a["determined"]) for a in out["actions"]
            if a["programme"] == "heating"] == [("heating", "adjust", "150.00", "190.00")]
    text = d.explain("en")
    assert "[§H.1] heated area 60.00 m² (at most 60.00), 2.50 yuan per m²: 150.00 yuan a month" in text
    assert "[§H.2] member P2 is confined to bed: 40.00 yuan more a month" in text


def test_the_household_without_facts_or_out_of_season_gets_nothing(engine: Engine) -> None:
    bare = household(ext={}, enrolments=[], history=[])
    bare["members"] = [bare["members"][0]]
    out = engine.assess(structure_household(bare), ON).to_json("en")["programmes"]["heating"]
    assert out["monthly"] == "0.00" and [r["rule"] for r in out["reasons"]] == ["heating.no_facts"]
    summer = engine.assess(structure_household(household()), dt.date(2025, 7, 15)).to_json("en")
    assert [r["rule"] for r in summer["programmes"]["heating"]["reasons"]] == ["heating.out_of_season"]
    assert [a["action"] for a in summer["actions"] if a["programme"] == "heating"] == ["exit"]


def test_the_plugin_opens_the_vocabularies(engine: Engine) -> None:
    declared = engine.declared
    assert "heating" in declared.payment_programmes and "heating" in declared.enrolment_programmes
    assert "heating_allowance" in declared.payment_kinds and "heating_recipient" in declared.statuses
    # Without the plugin, the same household is refused where the format's lists are closed to its words.
    basic = Engine([importlib.import_module("assistkit_basic_living.hooks")])
    with pytest.raises(InvalidHousehold) as caught:
        basic.assess(structure_household(household()), ON)
    paths = [p.path for p in caught.value.problems]
    assert paths == ["history[0].programme", "history[0].kind", "enrolments[0].programme", "ext.heating",
                     "members[1].ext.heating"]
    assert caught.value.problems[1].reason.startswith("expected one of premium_subsidy, treatment, grant, ")
    assert caught.value.problems[1].reason.endswith("; got 'heating_allowance'")


@pytest.mark.parametrize(("change", "path", "reason"), [
    ({"heated_area": "-3"}, "ext.heating.heated_area", "must be ≥ 0"),
    ({"heated_area": "72.5", "heating": "gas"}, "ext.heating.heating", "expected one of coal, electric, central"),
    ({"heating": "coal"}, "ext.heating.heated_area", "required field missing"),
    ({"heated_area": "1", "area": "2"}, "ext.heating.area", "unknown field 'area'"),
])
def test_the_extension_block_is_read_strictly(engine: Engine, change: dict[str, Any], path: str,
                                              reason: str) -> None:
    with pytest.raises(InvalidHousehold) as caught:
        engine.assess(structure_household(household(ext={"heating": change})), ON)
    assert [p.path for p in caught.value.problems] == [path]
    assert reason in caught.value.problems[0].reason


def test_an_unknown_namespace_is_an_error(engine: Engine) -> None:
    with pytest.raises(InvalidHousehold) as caught:
        engine.assess(structure_household(household(ext={"heatng": {"heated_area": "1"}})), ON)
    assert [(p.path, p.reason) for p in caught.value.problems] == [
        ("ext.heatng", "unknown namespace 'heatng': no installed programme declares facts of a household there "
                       "(did you mean 'heating'?)")]


def test_the_programme_reads_only_what_it_declares(engine: Engine) -> None:
    h = structure_household(household())
    assert set(undeclared_reads(engine, h, ON).values()) == {()}  # heating's, and the bundled programmes'
    assert reads_of(engine, h, ON)["heating"] >= {"ext.heating.heated_area", "members.ext.heating.bedridden"}


def test_a_rule_reading_an_undeclared_fact_is_caught(engine: Engine) -> None:
    programme = next(p for p in engine.programmes if p.name == "heating")
    type(programme).reads = ("ext.heating.heated_area", "ext.heating.heating")  # bedridden left out
    try:
        assert undeclared_reads(engine, structure_household(household()), ON)["heating"] == (
            "members", "members.ext.heating", "members.ext.heating.bedridden")
    finally:
        type(programme).reads = ("ext.heating.heated_area", "ext.heating.heating", "members.ext.heating.bedridden")


def test_the_schema_holds_the_declared_facts(engine: Engine) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = household_schema(engine.declared)
    facts = schema["properties"]["ext"]["properties"]["heating"]
    assert facts["required"] == ["heated_area"] and facts["additionalProperties"] is False
    assert facts["properties"]["heated_area"]["description"] == "heated floor area (m²)"
    jsonschema.validate(household(), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(household(ext={"other": {}}), schema)
    assert json.dumps(schema, ensure_ascii=False)


def test_a_fund_may_serve_the_plugins_status(engine: Engine) -> None:
    from assistkit.errors import InvalidFunds
    from assistkit.io import structure_funds

    fund = {"id": "F1", "name": "冬季暖心基金", "balance": "1000", "need_kinds": ["emergency"],
            "per_household_cap": "100", "valid_from": "2025-01-01", "valid_to": "2025-12-31",
            "statuses": ["heating_recipient"]}
    funds = structure_funds([fund])
    engine.assess(structure_household(household()), ON, funds=funds)  # declared by the heating plugin
    basic = Engine([importlib.import_module("assistkit_basic_living.hooks")])
    with pytest.raises(InvalidFunds) as caught:
        bare = household(ext={}, enrolments=[], history=[])
        bare["members"] = [bare["members"][0]]
        basic.assess(structure_household(bare), ON, funds=funds)
    assert [p.path for p in caught.value.problems] == ["[0].statuses[0]"]
    assert caught.value.problems[0].reason == (
        "expected one of tekun, dibao, marginal, expenditure_hardship; got 'heating_recipient'")
