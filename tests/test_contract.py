"""The open plugin contract (issue 24): what a third-party plugin can do without touching the core."""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
import textwrap
from decimal import Decimal

import assistkit_basic_living.hooks
import assistkit_donations.hooks
import assistkit_medical.hooks
import assistkit_temporary.hooks
import pytest
from click.testing import CliRunner

from assistkit import hookimpl
from assistkit.api import Context, Programme, Rule, RuleOverride, round_fen
from assistkit.cli import main
from assistkit.engine import Engine, _plugins
from assistkit.errors import PluginError
from assistkit.io import read_example

from .plugins import nolocality

EXAMPLE_01 = "tests/examples/01-urban-dibao-wage.json"


# -- change one rule, not a programme -------------------------------------------------------------------------

FEN_ROUNDING = textwrap.dedent('''
    """A county that pays the dibao benefit to the fen (Demo City rounds it to the yuan, §6.5)."""

    from assistkit import hookimpl
    from assistkit.api import RuleOverride, round_fen


    @hookimpl
    def assistkit_override_rules():
        return [RuleOverride("dibao.rounding", round_fen, "低保金保留到分", "the benefit is paid to the fen")]
''')


def test_a_plugin_of_a_few_lines_changes_only_the_dibao_rounding(tmp_path, monkeypatch) -> None:
    assert len(FEN_ROUNDING.strip().splitlines()) < 30
    (tmp_path / "fen_rounding.py").write_text(FEN_ROUNDING, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import fen_rounding

    example = read_example(EXAMPLE_01)
    plain = Engine(plugins=[assistkit_basic_living.hooks]).assess(example.household, example.on)
    local = Engine(plugins=[assistkit_basic_living.hooks, fen_rounding]).assess(example.household, example.on)
    assert plain.programme("dibao").monthly == Decimal("1823.00")
    assert local.programme("dibao").monthly == Decimal("1822.50")  # gap + uplifts, not rounded to the yuan
    assert "dibao.rounding" in local.explain("en") and "fen_rounding" in local.explain("en")
    assert "本地规则 dibao.rounding 已由插件 fen_rounding 替换：低保金保留到分" in local.explain("zh")
    assert "rule.override" not in {r.rule for r in plain.programme("dibao").reasons}
    # Everything else is the bundled programme's: the same reasons, in the same order, but for the override.
    assert [r.rule for r in local.programme("dibao").reasons if r.rule != "rule.override"] == \
        [r.rule for r in plain.programme("dibao").reasons]


def test_an_override_of_an_undeclared_rule_leaves_its_plugin_out() -> None:
    class Typo:
        @hookimpl
        def assistkit_override_rules(self):
            return [RuleOverride("dibao.rouding", round_fen)]

    engine = Engine(plugins=[assistkit_basic_living.hooks, Typo()])
    (failure,) = engine.failures
    assert "dibao.rouding" in failure.cause and "dibao.rounding" in failure.cause
    assert engine.overrides == ()


def test_two_overrides_of_one_rule_are_a_load_error_naming_both() -> None:
    class One:
        @hookimpl
        def assistkit_override_rules(self):
            return [RuleOverride("dibao.rounding", round_fen)]

    class Two(One):
        pass

    with pytest.raises(PluginError, match="overridden by One and by Two"):
        Engine(plugins=[assistkit_basic_living.hooks, One(), Two()])


# -- one programme per name -----------------------------------------------------------------------------------


class OwnDibao(Programme):
    name = "dibao"
    title_zh, title_en = "本地低保", "Local dibao"
    after = ("tekun",)
    rules = {"own.dibao": Rule("own.dibao", "§L.1", "本地低保", "local dibao")}

    def assess(self, ctx: Context) -> None:
        ctx.reason("own.dibao")


def _plugin(*programmes: Programme, name: str) -> object:
    class Plugin:
        @hookimpl
        def assistkit_register_programmes(self):
            return list(programmes)

    Plugin.__name__ = name
    return Plugin()


def test_two_plugins_claiming_one_programme_are_a_load_error_naming_both() -> None:
    with pytest.raises(PluginError) as caught:
        Engine(plugins=[assistkit_basic_living.hooks, _plugin(OwnDibao(), name="county_dibao")])
    message = str(caught.value)
    assert "'dibao'" in message and "assistkit_basic_living.hooks" in message and "county_dibao" in message
    assert "replaces = True" in message


def test_a_programme_that_replaces_takes_the_place_of_the_bundled_one() -> None:
    class Replacing(OwnDibao):
        replaces = True

    engine = Engine(plugins=[assistkit_basic_living.hooks, _plugin(Replacing(), name="county_dibao")])
    (replacement,) = engine.replacements
    assert (replacement.programme, replacement.by.name) == ("dibao", "county_dibao")
    example = read_example(EXAMPLE_01)
    d = engine.assess(example.household, example.on)
    assert [r.rule for r in d.programme("dibao").reasons] == ["own.dibao"]
    assert [p.name for p in engine.programmes] == ["tekun", "dibao", "low_income"]


# -- order by declarations and phases, not names -------------------------------------------------------------


class WinterFuel(Programme):
    name = "winter_fuel"
    title_zh, title_en = "冬季取暖补助", "Winter fuel grant"
    after = ("dibao",)


def test_a_new_programme_after_dibao_comes_before_donations_which_pays_last() -> None:
    engine = Engine(plugins=[assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_temporary.hooks,
                             assistkit_donations.hooks, _plugin(WinterFuel(), name="winter")])
    names = [p.name for p in engine.programmes]
    assert names.index("winter_fuel") > names.index("dibao")
    assert names[-1] == "donations"


class BeforeTemporary(Programme):
    name = "aaa_relief"
    title_zh, title_en = "先行救助", "Relief before temporary"
    before = ("temporary",)
    after_if_present = ("medical",)


def test_before_orders_a_programme_ahead_of_another() -> None:
    engine = Engine(plugins=[assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_temporary.hooks,
                             _plugin(BeforeTemporary(), name="early")])
    names = [p.name for p in engine.programmes]
    assert names.index("medical") < names.index("aaa_relief") < names.index("temporary")


# -- a plugin without values for the locality ----------------------------------------------------------------


def test_a_plugin_without_values_for_the_locality_is_left_out_and_reported() -> None:
    engine = Engine(plugins=[assistkit_basic_living.hooks, nolocality])
    assert "heating" not in [p.name for p in engine.programmes]
    (failure,) = engine.failures
    assert "no parameter values for locality 'demo-city'" in failure.cause
    example = read_example(EXAMPLE_01)
    assert engine.assess(example.household, example.on).programme("dibao").monthly == Decimal("1823.00")
    far = Engine(plugins=[assistkit_basic_living.hooks, nolocality], locality="demo-city",
                 policy_files=["tests/plugins/far-county.toml"])
    assert "heating" in [p.name for p in far.programmes]  # a policy file giving its values brings it in


def test_the_commands_work_and_say_so_when_an_installed_plugin_lacks_the_locality(monkeypatch) -> None:
    extra = md.EntryPoint(name="heating", value="tests.plugins.nolocality", group="assistkit")
    installed = _plugins._entry_points()
    monkeypatch.setattr(_plugins, "_entry_points", lambda: sorted([*installed, extra], key=lambda ep: ep.name))
    runner = CliRunner()
    listed = runner.invoke(main, ["plugins"])
    assert listed.exit_code == 0, listed.output
    assert "heating" in listed.output and "no parameter values for locality 'demo-city'" in listed.output
    assessed = runner.invoke(main, ["assess", EXAMPLE_01])
    assert assessed.exit_code == 0, assessed.output
    assert '"1823.00"' in assessed.output


def test_a_dated_example_assesses_the_same_with_a_status_declared_by_a_plugin() -> None:
    # The statuses' roles come from basic living's declarations; the §15.1 unit leaves tekun persons out.
    engine = Engine(plugins=[assistkit_basic_living.hooks])
    assert engine.statuses.order == ("tekun", "dibao", "marginal", "expenditure_hardship")
    assert engine.statuses.exclusions == (("tekun", "dibao", "§14.4"),)
    assert engine.statuses.own_unit == frozenset({"tekun"})
    example = read_example("tests/examples/03-tekun-member-in-dibao-household.json")
    d = engine.assess(example.household, example.on)
    assert d.next_review is not None and d.on == example.on
    assert isinstance(d.on, dt.date)
