"""A synthetic Demo City population (示范市) for demos, docs and benchmarks.

:func:`generate` yields households as JSON-ready dicts (``household-format.md``), :func:`demo_lines` the same
as JSON Lines text, and :func:`write_population` writes them to a file. The output depends only on ``n``,
``seed`` and ``on``: one :class:`random.Random` drives everything (only its ``random()`` method, whose stream
is stable across Python versions).

What the population holds, roughly in Demo City's proportions: urban and rural households of one to six
people; ages from infants to the very old; wages, casual days, business, farm land (``land_mu``), pensions,
family support and excluded allowances (§3.2) at per-capita levels spread around the standard S; some members
disabled or seriously ill; old people living alone without a capable supporter (tekun candidates, §5); medical
expenses with insurance, tuition, emergencies; past payments; enrolments in dibao, tekun and housing, some of
them stale (exits, §15.2) or in gradual exit (§6.7); schools; urban renters and rural dilapidated houses; a
few non-local households (§2.5); a few valid id numbers (GB 11643), and very rarely one person registered in
two households (the 重复救助 risk the batch reports).

The generator knows Demo City's standards only to place incomes *around* them; it never decides eligibility.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from ..money import format_money

__all__ = ["DEFAULT_ON", "demo_lines", "generate", "id_check_digit", "make_id_number", "write_population"]

DEFAULT_ON = dt.date(2025, 7, 15)
"""The default assessment date the population is built around (that of the spec's worked examples)."""

_MAX_AGE = 100
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_REGIONS = ("110105", "320102", "440106", "510107", "370102", "420111")

_SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
) + ("欧阳", "司马", "诸葛", "上官")
_GIVEN = tuple(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红建国文辉力斌宇浩凯鹏飞鑫波宁欣怡佳慧琳雪梅春秋冬晨"
)
_URBAN_COMMUNITIES = (
    "东风社区",
    "向阳社区",
    "幸福社区",
    "光明社区",
    "和平社区",
    "建设社区",
    "滨河社区",
    "新华社区",
)
_RURAL_COMMUNITIES = ("李家村", "王庄村", "河西村", "石桥村", "柳树村", "青山村", "桃园村", "南湾村")
_EVENT_KINDS = ("fire", "accident", "sudden_illness", "disaster", "other")
_EXCLUDED = (
    ("transfer", "old_age_allowance"),
    ("transfer", "one_child_reward"),
    ("transfer", "government_award"),
    ("transfer", "special_care_pension"),
)


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a citizen id number (ISO 7064 MOD 11-2)."""
    total = 0
    for digit, weight in zip(first17, _WEIGHTS, strict=True):
        total += (ord(digit) - 48) * weight
    return _CHECK[total % 11]


def make_id_number(region: str, birth_date: str, sequence: int) -> str:
    """A valid 18-character id number: 6-digit region, birth date ``YYYY-MM-DD``, 3-digit sequence, check
    digit."""
    first17 = f"{region}{birth_date[:4]}{birth_date[5:7]}{birth_date[8:10]}{sequence % 1000:03d}"
    return first17 + id_check_digit(first17)


def _money(fen: int) -> str:
    return format_money(Decimal(fen).scaleb(-2))


class _Gen:
    """The state of one generation run: the date, derived constants, and the random stream."""

    def __init__(self, seed: int, on: dt.date) -> None:
        import random

        self.r = random.Random(seed).random
        self.on = on
        self.on_text = on.isoformat()
        # Demo City's standards around `on` (parameters.md), used only to place incomes near them.
        new = on >= dt.date(2025, 7, 1)
        self.s_urban = 1050 if new else 1000
        self.s_rural = 850 if new else 800
        self.care = (120, 600, 1400) if new else (100, 500, 1200)
        # The 6-month income window (§1.3) and the months before it.
        m = on.year * 12 + on.month - 1
        self.months = [f"{(m - k) // 12:04d}-{(m - k) % 12 + 1:02d}" for k in range(18, 0, -1)]
        self.window = self.months[-6:]
        self.first, self.last = self.window[0], self.window[-1]
        ordinal = on.toordinal()
        # ISO dates by days before `on`, and for each age the day `age` years before `on` (day clipped to 28).
        oldest = dt.date(on.year - _MAX_AGE - 1, on.month, min(on.day, 28)).toordinal() - 365
        self.iso = [dt.date.fromordinal(ordinal - k).isoformat() for k in range(ordinal - oldest + 1)]
        self.age_base = [
            ordinal - dt.date(on.year - a, on.month, min(on.day, 28)).toordinal() for a in range(_MAX_AGE + 1)
        ]
        self.school_year_start = dt.date(on.year if on.month >= 9 else on.year - 1, 9, 1).isoformat()
        self.seen_ids: list[dict[str, Any]] = []
        self.ages: dict[str, int] = {}
        self.id_seq = 0

    # -- small random helpers (only `random()`, for a stream stable across Python versions) ----------------

    def pick(self, seq: tuple[Any, ...] | list[Any]) -> Any:
        return seq[int(self.r() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        """An int in [lo, hi]."""
        return lo + int(self.r() * (hi - lo + 1))

    def days_ago(self, lo: int, hi: int) -> str:
        return self.iso[self.between(lo, hi)]

    def birth(self, age: int) -> str:
        """A birth date giving exactly ``age`` whole years on `on` (less than a year before the birthday)."""
        return self.iso[self.age_base[age] + self.between(0, 364)]

    def name(self, surname: str | None = None) -> str:
        if surname is None:
            r = self.r()
            surname = _SURNAMES[int(r * len(_SURNAMES))] if r < 0.98 else self.pick(_SURNAMES[-4:])
        given = self.pick(_GIVEN)
        if self.r() < 0.7:
            given += self.pick(_GIVEN)
        return surname + given

    # -- people ----------------------------------------------------------------------------------------------

    def person(self, pid: str, relationship: str, age: int, surname: str | None = None) -> dict[str, Any]:
        p: dict[str, Any] = {
            "id": pid,
            "name": self.name(surname),
            "birth_date": self.birth(age),
            "relationship": relationship,
        }
        self.ages[pid] = age
        r = self.r()
        if r < 0.05:
            p["disability_grade"] = self.between(1, 4)
        elif r < 0.09:
            p["serious_illness"] = True
        if 16 <= age < 60:
            r = self.r()
            if r < 0.06:
                p["labour_capacity"] = "partial"
            elif r < 0.08:
                p["labour_capacity"] = "none"
            if self.r() < 0.015:
                p["refused_job_offers"] = self.between(3, 5)
        elif age >= 60:
            r = self.r()
            if age >= 75 and r < 0.25:
                p["self_care"] = "partial" if r < 0.18 else "none"
                p["labour_capacity"] = "none"
        if p.get("disability_grade") in (1, 2) and self.r() < 0.5:
            p["self_care"] = "partial"
        if 3 <= age <= 21:
            school = self.school(age)
            if school is not None:
                p["school"] = school
        if self.r() < 0.03:
            self.id_seq += 1
            p["id_number"] = make_id_number(self.pick(_REGIONS), p["birth_date"], self.id_seq)
            if len(self.seen_ids) < 64:
                self.seen_ids.append(p)
        return p

    def school(self, age: int) -> dict[str, Any] | None:
        if age <= 5:
            return {"stage": "preschool"} if self.r() < 0.8 else None
        if age <= 11:
            return {"stage": "primary", "boarding": True} if self.r() < 0.15 else {"stage": "primary"}
        if age <= 14:
            return {"stage": "junior", "boarding": True} if self.r() < 0.3 else {"stage": "junior"}
        if age <= 17:
            if self.r() < 0.2:
                return {
                    "stage": "vocational",
                    "boarding": self.r() < 0.5,
                    "tuition": _money(self.between(20, 40) * 10000),
                }
            return {
                "stage": "senior",
                "boarding": self.r() < 0.4,
                "tuition": _money(self.between(8, 30) * 10000),
            }
        if self.r() < 0.45:
            return {
                "stage": "undergraduate",
                "boarding": True,
                "tuition": _money(self.between(40, 65) * 10000),
            }
        return None

    # -- one household ------------------------------------------------------------------------------------

    def household(self, index: int) -> dict[str, Any]:
        r = self.r
        self.ages = {}
        urban = r() < 0.58
        s = self.s_urban if urban else self.s_rural
        local = r() >= 0.03
        members, shape = self.members()
        size = len(members)
        h: dict[str, Any] = {
            "id": f"DC-{index:07d}",
            "community": self.pick(_URBAN_COMMUNITIES if urban else _RURAL_COMMUNITIES),
            "residence": "urban" if urban else "rural",
        }
        if not local:
            h["hukou_local"] = False
        # Per-capita income level in multiples of S: about a fifth of households near or below the line.
        x = r()
        if shape == "elderly_alone" and members[0].get("has_capable_supporter") is False and x < 0.8:
            level = 0.1 + r() * 0.8  # a small pension or none: the tekun candidates of §5
        elif x < 0.06:
            level = 0.05 + r() * 0.95
        elif x < 0.15:
            level = 1.0 + r() * 0.6
        else:
            level = 1.7 + r() * r() * 6.0
        incomes = self.incomes(members, level * s * size, urban)
        h["members"] = members
        if incomes:
            h["incomes"] = incomes
        assets = self.assets(members, level, s, urban)
        if assets:
            h["assets"] = assets
        expenses = self.expenses(members)
        if expenses:
            h["expenses"] = expenses
        if r() < 0.025:
            h["events"] = [self.event()]
        housing = self.housing(urban, level)
        if housing is not None:
            h["housing"] = housing
        if local:
            enrolments = self.enrolments(members, level, s, shape, housing)
            if enrolments:
                h["enrolments"] = enrolments
        history = self.history(members, expenses, h.get("enrolments"), housing)
        if history:
            h["history"] = history
        return h

    def members(self) -> tuple[list[dict[str, Any]], str]:
        r = self.r
        x = r()
        if x < 0.11:
            shape = "elderly_alone"
            head = self.person("P1", "head", self.between(60, 95))
            if r() < 0.45:
                head["has_capable_supporter"] = False
            return [head], shape
        if x < 0.18:
            return [self.person("P1", "head", self.between(18, 59))], "single"
        if x < 0.30:
            age = self.between(60, 88)
            return [
                self.person("P1", "head", age),
                self.person("P2", "spouse", max(55, age + self.between(-5, 3))),
            ], "elderly_couple"
        if x < 0.38:
            age = self.between(22, 59)
            return [
                self.person("P1", "head", age),
                self.person("P2", "spouse", age + self.between(-4, 4)),
            ], "couple"
        head = self.person("P1", "head", self.between(26, 58) if x < 0.46 else self.between(25, 58))
        surname = _surname(head["name"])
        out = [head]
        if x >= 0.46:
            out.append(self.person("P2", "spouse", self.ages["P1"] + self.between(-4, 4)))
        children = 1 + (r() < 0.5) + (r() < 0.15)
        youngest_parent = min(self.ages[p["id"]] for p in out)
        for _ in range(children):
            age = self.between(0, max(0, min(22, youngest_parent - 20)))
            out.append(self.person(f"P{len(out) + 1}", "child", age, surname))
        if x >= 0.46:
            if r() < 0.3:
                elder = min(98, max(60, self.ages["P1"] + self.between(22, 32)))
                out.append(self.person(f"P{len(out) + 1}", "parent", elder, surname))
                if r() < 0.5:
                    out.append(
                        self.person(f"P{len(out) + 1}", "parent", max(55, elder + self.between(-6, 2)))
                    )
        if len(out) < 6 and self.seen_ids and r() < 0.0004:
            # The same person registered in a second household: the 重复救助 risk batch and review report.
            twin = dict(self.pick(self.seen_ids))
            if all(p.get("id_number") != twin["id_number"] for p in out):
                twin["id"], twin["relationship"] = f"P{len(out) + 1}", "other"
                twin.pop("school", None)
                twin.pop("has_capable_supporter", None)
                self.ages[twin["id"]] = _age(twin, self.on)
                out.append(twin)
        return out[:6], "family" if x >= 0.46 else "single_parent"

    def incomes(self, members: list[dict[str, Any]], target: float, urban: bool) -> list[dict[str, Any]]:
        """Records whose counted total is about ``target`` a month over the window, spread over the
        members."""
        r = self.r
        out: list[dict[str, Any]] = []
        ages = self.ages
        elderly = [p for p in members if ages[p["id"]] >= 60]
        workers = [
            p
            for p in members
            if 16 <= ages[p["id"]] < 60
            and p.get("labour_capacity") != "none"
            and p.get("disability_grade") not in (1, 2)
            and "school" not in p
        ]
        remaining = target
        for p in elderly:
            if ages[p["id"]] >= 80 and r() < 0.6:
                out.append(
                    {
                        "member": p["id"],
                        "category": "transfer",
                        "kind": "old_age_allowance",
                        "amount": _money(self.between(100, 300) * 600),
                        "from": self.first,
                        "to": self.last,
                    }
                )
        if not urban and r() < 0.7:
            mu = self.between(2, 16) * 5  # tenths of a mu, in steps of half a mu
            land = f"{mu // 10}.{mu % 10}"
            out.append({"category": "farm", "land_mu": land, "from": self.months[-12], "to": self.last})
            remaining -= mu / 10 * 800 / 12
        earners = [p for p in elderly if r() < 0.8] + workers
        for i, p in enumerate(earners):
            if remaining <= 30:
                break
            share = remaining if i == len(earners) - 1 else remaining * (0.4 + r() * 0.5)
            remaining -= share
            if ages[p["id"]] >= 60:
                out.append(
                    {
                        "member": p["id"],
                        "category": "pension",
                        "amount": _money(int(share * 6) * 100),
                        "from": self.first,
                        "to": self.last,
                    }
                )
                continue
            kind = r()
            if kind < 0.62:
                if r() < 0.85:
                    out.append(
                        {
                            "member": p["id"],
                            "category": "wage",
                            "amount": _money(int(share * 6) * 100),
                            "from": self.first,
                            "to": self.last,
                        }
                    )
                else:
                    # A job ended inside the window: two records, one partly before the window.
                    cut = self.between(1, 4)
                    out.append(
                        {
                            "member": p["id"],
                            "category": "wage",
                            "amount": _money(int(share * 1.5 * (cut + 3)) * 100),
                            "from": self.months[-9],
                            "to": self.window[cut - 1],
                        }
                    )
            elif kind < 0.85:
                days = max(1, int(share * 6 / 125))
                out.append(
                    {
                        "member": p["id"],
                        "category": "casual",
                        "days": days,
                        "from": self.first,
                        "to": self.last,
                    }
                )
            else:
                out.append(
                    {
                        "member": p["id"],
                        "category": "business",
                        "amount": _money(int(share * 6) * 100),
                        "from": self.first,
                        "to": self.last,
                    }
                )
        if remaining > 100 and r() < 0.5:
            out.append(
                {
                    "category": "support",
                    "amount": _money(int(remaining * 6) * 100),
                    "from": self.first,
                    "to": self.last,
                }
            )
        for p in members:
            if p.get("disability_grade") is not None and r() < 0.6:
                out.append(
                    {
                        "member": p["id"],
                        "category": "transfer",
                        "kind": "disability_allowance",
                        "amount": _money(self.between(60, 200) * 600),
                        "from": self.first,
                        "to": self.last,
                    }
                )
        if r() < 0.04:
            category, kind = self.pick(_EXCLUDED)
            out.append(
                {
                    "category": category,
                    "kind": kind,
                    "amount": _money(self.between(2, 30) * 10000),
                    "month": self.pick(self.window),
                }
            )
        if r() < 0.03:
            out.append(
                {
                    "category": "property",
                    "amount": _money(self.between(5, 20) * 60000),
                    "from": self.first,
                    "to": self.last,
                }
            )
        return out

    def assets(
        self, members: list[dict[str, Any]], level: float, s: int, urban: bool
    ) -> list[dict[str, Any]]:
        r = self.r
        out: list[dict[str, Any]] = []
        x = r()
        if x < 0.55:
            months = r() * (8 if level < 1.6 else 60)
            value = int(months * s * len(members))
            if value > 0:
                member = members[0]["id"] if r() < 0.5 else None
                out.append(
                    {
                        "kind": "deposit",
                        "value": _money(value * 100),
                        **({"member": member} if member else {}),
                    }
                )
        if r() < (0.04 if level < 1.6 else 0.25):
            exempt = r() < 0.25
            asset: dict[str, Any] = {"kind": "vehicle", "value": _money(self.between(1, 20) * 500000)}
            if exempt:
                asset["exempt"] = True
            out.append(asset)
        if not urban or r() < 0.6:
            out.append(
                {"kind": "house", "value": _money(self.between(5, 200) * 1000000), "member": members[0]["id"]}
            )
        if level > 3 and r() < 0.05:
            out.append({"kind": "commercial_property", "value": _money(self.between(30, 300) * 1000000)})
        return out

    def expenses(self, members: list[dict[str, Any]]) -> list[dict[str, Any]]:
        r = self.r
        out: list[dict[str, Any]] = []
        n = 0
        for p in members:
            x = r()
            age = self.ages[p["id"]]
            chance = 0.10 if age >= 60 or p.get("serious_illness") else 0.03
            if x < chance:
                n += 1
                total = self.between(30, 900) * 10000
                in_scope = total * self.between(75, 100) // 100
                insurance = in_scope * self.between(40, 75) // 100
                out.append(
                    {
                        "id": f"E{n}",
                        "member": p["id"],
                        "kind": "inpatient",
                        "date": self.days_ago(0, 400),
                        "total": _money(total),
                        "in_scope": _money(in_scope),
                        "insurance_paid": _money(insurance),
                    }
                )
            elif x < chance + 0.04:
                n += 1
                total = self.between(10, 120) * 10000
                insurance = total * self.between(30, 60) // 100
                kind = "outpatient_chronic" if r() < 0.7 else "outpatient"
                out.append(
                    {
                        "id": f"E{n}",
                        "member": p["id"],
                        "kind": kind,
                        "date": self.days_ago(0, 300),
                        "total": _money(total),
                        "insurance_paid": _money(insurance),
                    }
                )
            school = p.get("school")
            if school is not None and school.get("tuition", "0.00") != "0.00" and r() < 0.6:
                if self.school_year_start <= self.on_text:
                    n += 1
                    out.append(
                        {
                            "id": f"E{n}",
                            "member": p["id"],
                            "kind": "tuition",
                            "date": self.school_year_start,
                            "total": school["tuition"],
                        }
                    )
        return out

    def event(self) -> dict[str, Any]:
        r = self.r
        loss = self.between(20, 1000) * 10000
        event = {
            "id": "V1",
            "kind": self.pick(_EVENT_KINDS),
            "date": self.days_ago(0, 120),
            "loss": _money(loss),
        }
        if r() < 0.5:
            event["compensated"] = _money(loss * self.between(0, 60) // 100)
        return event

    def housing(self, urban: bool, level: float) -> dict[str, Any] | None:
        r = self.r
        x = r()
        if urban:
            if x < (0.35 if level < 1.6 else 0.2):
                return {
                    "tenure": "rented",
                    "floor_area": str(self.between(18, 90)),
                    "monthly_rent": _money(self.between(4, 25) * 10000),
                }
            if x < 0.27:
                return {
                    "tenure": "public_rental",
                    "floor_area": str(self.between(30, 60)),
                    "monthly_rent": _money(self.between(1, 4) * 10000),
                }
            if x < 0.95:
                return {
                    "tenure": "owned",
                    "floor_area": str(self.between(40, 140)),
                    "properties_owned": 1 if r() < 0.9 else 2,
                }
            return None
        if x < 0.96:
            housing: dict[str, Any] = {
                "tenure": "owned",
                "floor_area": str(self.between(60, 200)),
                "properties_owned": 1,
            }
            y = r()
            if y < (0.10 if level < 1.6 else 0.03):
                housing["dilapidated_grade"] = "C" if y < 0.06 else "D"
            return housing
        return {"tenure": "none"}

    def enrolments(
        self, members: list[dict[str, Any]], level: float, s: int, shape: str, housing: dict[str, Any] | None
    ) -> list[dict[str, Any]]:
        r = self.r
        out: list[dict[str, Any]] = []
        if shape == "elderly_alone" and members[0].get("has_capable_supporter") is False and r() < 0.8:
            care = {"full": 0, "partial": 1, "none": 2}[members[0].get("self_care", "full")]
            amount = int(s * 13 / 10 + 0.5) + self.care[care]
            if r() < 0.2:
                amount -= self.between(1, 20) * 10  # enrolled before the last change: to adjust
            out.append(
                {
                    "programme": "tekun",
                    "member": "P1",
                    "since": self.days_ago(200, 3000),
                    "monthly_amount": _money(amount * 100),
                }
            )
            return out
        x = r()
        dibao = False
        if level < 1.0 and x < 0.7:
            gap = max(50, int((1 - level) * s * len(members)))
            out.append(
                {"programme": "dibao", "since": self.days_ago(60, 2500), "monthly_amount": _money(gap * 100)}
            )
            dibao = True
        elif 1.0 <= level < 1.6 and x < 0.25:
            enrolment = {
                "programme": "dibao",
                "since": self.days_ago(400, 2500),
                "monthly_amount": _money(self.between(50, 200) * 100 * len(members)),
            }
            if r() < 0.5:
                enrolment["gradual_exit_from"] = self.days_ago(10, 250)
            out.append(enrolment)
            dibao = True
        elif level >= 1.6 and x < 0.03:
            # Stale: income rose long ago and nobody took the household off (应退未退).
            out.append(
                {
                    "programme": "dibao",
                    "since": self.days_ago(800, 3000),
                    "monthly_amount": _money(self.between(3, 15) * 10000),
                }
            )
            dibao = True
        if dibao and housing is not None and housing["tenure"] == "rented" and r() < 0.6:
            out.append(
                {
                    "programme": "housing",
                    "since": self.days_ago(30, 1500),
                    "monthly_amount": _money(
                        min(int(housing["monthly_rent"][:-3]), 250 * len(members)) * 100
                    ),
                }
            )
        return out

    def history(
        self,
        members: list[dict[str, Any]],
        expenses: list[dict[str, Any]],
        enrolments: list[dict[str, Any]] | None,
        housing: dict[str, Any] | None,
    ) -> list[dict[str, Any]]:
        r = self.r
        out: list[dict[str, Any]] = []
        year_start = f"{self.on.year}-01-"
        if enrolments and r() < 0.5:
            for p in members:
                out.append(
                    {
                        "programme": "medical",
                        "kind": "premium_subsidy",
                        "member": p["id"],
                        "date": year_start + f"{self.between(10, 28):02d}",
                        "amount": "320.00",
                    }
                )
        for e in expenses:
            if e["kind"] == "inpatient" and r() < 0.15:
                base = (int(e["in_scope"][:-3]) - int(e["insurance_paid"][:-3])) * 100
                out.append(
                    {
                        "programme": "medical",
                        "kind": "treatment",
                        "member": e["member"],
                        "need": e["id"],
                        "date": e["date"],
                        "amount": _money(base * 6 // 10),
                    }
                )
        if housing is not None and housing.get("dilapidated_grade") and r() < 0.3:
            out.append(
                {
                    "programme": "housing",
                    "kind": "renovation",
                    "date": self.days_ago(365, 2500),
                    "amount": "15000.00",
                }
            )
        return out


def _surname(name: str) -> str:
    return name[:2] if name[:2] in _SURNAMES else name[0]


def _age(person: dict[str, Any], on: dt.date) -> int:
    b = person["birth_date"]
    years = on.year - int(b[:4])
    if (on.month, on.day) < (int(b[5:7]), int(b[8:10])):
        years -= 1
    return years


def generate(n: int, *, seed: int = 0, on: dt.date = DEFAULT_ON) -> Iterator[dict[str, Any]]:
    """Yield ``n`` Demo City households (JSON-ready dicts), the same ones for the same ``seed`` and ``on``."""
    if n < 0:
        raise ValueError(f"n must be ≥ 0, got {n}")
    gen = _Gen(seed, on)
    for index in range(1, n + 1):
        yield gen.household(index)


def demo_lines(n: int, *, seed: int = 0, on: dt.date = DEFAULT_ON) -> Iterator[str]:
    """The households of :func:`generate` as JSON Lines, each line ending with ``\\n``."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
    for household in generate(n, seed=seed, on=on):
        yield dumps(household) + "\n"


def write_population(out: IO[str], n: int, *, seed: int = 0, on: dt.date = DEFAULT_ON) -> int:
    """Write ``n`` households to ``out`` as JSON Lines; returns ``n``."""
    buffer: list[str] = []
    for line in demo_lines(n, seed=seed, on=on):
        buffer.append(line)
        if len(buffer) >= 2048:
            out.write("".join(buffer))
            buffer.clear()
    out.write("".join(buffer))
    return n
