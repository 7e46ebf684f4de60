"""Households in spreadsheets (assistkit.sheets, `assistkit import`/`template`/`export`) and the worklists.

- every spec example goes through a workbook and through a folder of CSV files and comes back the same
  household (the API and the CLI), and so does every household the strategies draw (a property);
- the layout is generated from the household schema: every field of the model has a column;
- a bad cell is named by sheet, row, column and household, and never loses the other households;
- cells typed as Excel types them (numbers, dates, TRUE) read as what was meant; money never passes a float;
- the outputs (export, review and notice worklists) open as workbooks and as CSV with (or without) a BOM.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit.cli import main
from assistkit.io import structure_household, unstructure_household
from assistkit.sheets import layout, read_sheets, write_csv_folder, write_workbook
from assistkit.testing.strategies import households

openpyxl = pytest.importorskip("openpyxl", reason="the sheets extra (openpyxl) is not installed")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "tests" / "examples").glob("*.json"))


def example_households() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8"), parse_float=Decimal)["household"] for p in EXAMPLES]


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# ---------------------------------------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------------------------------------


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_every_example_round_trips(form: str, tmp_path: Path) -> None:
    data = example_households()
    target = tmp_path / ("book.xlsx" if form == "xlsx" else "folder")
    if form == "xlsx":
        write_workbook(target, data)
    else:
        write_csv_folder(target, data)
    result = read_sheets(target)
    assert result.problems == []
    assert [h for _data, h in result.households] == [structure_household(d) for d in data]


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_every_example_round_trips_through_the_cli(form: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:
    monkeypatch.chdir(tmp_path)
    data = example_households()
    Path("in.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False, default=str) + "\n" for d in data),
                                encoding="utf-8")
    target = "book.xlsx" if form == "xlsx" else "folder"
    assert cli("template", target, "--households", "in.jsonl").exit_code == 0
    done = cli("import", target, "-o", "out.jsonl")
    assert done.exit_code == 0, done.output
    back = [json.loads(line, parse_float=Decimal) for line in Path("out.jsonl").read_text("utf-8").splitlines()]
    assert [structure_household(b) for b in back] == [structure_household(d) for d in data]
    assert [b["id"] for b in back] == [d["id"] for d in data]


def _round_trip(household: Any, tmp_path: Path, form: str) -> Any:
    data = unstructure_household(household)
    target = tmp_path / ("book.xlsx" if form == "xlsx" else "folder")
    if form == "xlsx":
        buffer = io.BytesIO()
        write_workbook(buffer, [data], template_rows=0)
        target.write_bytes(buffer.getvalue())
    else:
        write_csv_folder(target, [data])
    result = read_sheets(target)
    assert result.problems == [], [str(p) for p in result.problems]
    return result.households[0][1]


@settings(max_examples=40, deadline=None)
@given(household=households())
def test_round_trip_through_a_workbook_is_the_identity(household: Any, tmp_path_factory: pytest.TempPathFactory
                                                        ) -> None:
    assert _round_trip(household, tmp_path_factory.mktemp("x"), "xlsx") == household


@settings(max_examples=60, deadline=None)
@given(household=households())
def test_round_trip_through_csv_is_the_identity(household: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert _round_trip(household, tmp_path_factory.mktemp("c"), "csv") == household


# Any text a person may type (XML holds every character but the C0 controls; a cell left empty is a field left
# out, so names are not empty), leading and trailing spaces and quotes included.
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(household=households(max_members=3), name=_TEXT, community=_TEXT, kind=_TEXT)
def test_any_text_round_trips(household: Any, name: str, community: str, kind: str,
                              tmp_path_factory: pytest.TempPathFactory) -> None:
    import attrs

    from assistkit.household import Income, IncomeCategory

    changed = attrs.evolve(
        household, community=community,
        members=(attrs.evolve(household.members[0], name=name), *household.members[1:]),
        incomes=(*household.incomes, Income(IncomeCategory.TRANSFER, kind=kind, amount=Decimal("0.10"),
                                            month=household.incomes[0].first if household.incomes else None,
                                            from_=None if household.incomes else _month(2025, 6),
                                            to=None if household.incomes else _month(2025, 6))),
    )
    for form in ("xlsx", "csv"):
        assert _round_trip(changed, tmp_path_factory.mktemp(form), form) == changed


def _month(year: int, month: int) -> Any:
    from assistkit.periods import Month

    return Month(year, month)


# ---------------------------------------------------------------------------------------------------------
# The layout is the schema's
# ---------------------------------------------------------------------------------------------------------


def _model_paths(cls: type, prefix: str) -> set[str]:
    """``sheet:column`` for every leaf field of the attrs model, read from the classes (not the schema)."""
    import typing

    import attrs

    from assistkit import household as model
    from assistkit.periods import Month
    from assistkit.schema import json_name

    hints = typing.get_type_hints(cls, globalns=vars(model) | {"Month": Month, "dt": dt, "Decimal": Decimal})
    out: set[str] = set()
    for f in attrs.fields(cls):
        tp = hints[f.name]
        args = [a for a in typing.get_args(tp) if a is not type(None)] or [tp]
        inner = args[0]
        name = json_name(f.name)
        if name == "ext":
            continue  # the extension block's columns are the facts installed programmes declare (none in the core)
        if typing.get_origin(tp) is tuple and attrs.has(typing.get_args(tp)[0]) and cls is model.Household:
            out |= {f"{name}:{p.split(':', 1)[1]}" for p in _model_paths(typing.get_args(tp)[0], "")}
        elif isinstance(inner, type) and attrs.has(inner) and inner is not Month:
            out |= _model_paths(inner, f"{prefix}{name}.")
        else:
            out.add(f"households:{prefix}{name}")
    return out


def test_every_field_of_the_model_has_a_column() -> None:
    from assistkit.household import Household

    found = {f"{s.name}:{c.key}" for s in layout() for c in s.columns
             if c.key != "household" or s.name == "households"}
    assert found == _model_paths(Household, "")


def test_every_sheet_but_households_is_keyed_by_household_and_every_column_has_a_chinese_header() -> None:
    for sheet in layout():
        if sheet.name != "households":
            assert sheet.columns[0].key == "household"
        for column in sheet.columns:
            label = column.label_zh(sheet.name)
            assert label and not label.isascii(), f"{sheet.name}.{column.key}: no Chinese header"


# ---------------------------------------------------------------------------------------------------------
# Errors name sheet, row, column and household; one bad row never loses the others
# ---------------------------------------------------------------------------------------------------------


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _save(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def test_bad_cells_are_named_and_the_other_households_are_written(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data = example_households()
    folder = tmp_path / "folder"
    write_csv_folder(folder, data)
    members = _rows(folder / "members.csv")
    keys = members[1]
    members[2][keys.index("birth_date")] = "1985-02-30"  # row 3: the first member of the first household
    members[3][keys.index("serious_illness")] = "maybe"  # row 4
    _save(folder / "members.csv", members)
    incomes = _rows(folder / "incomes.csv")
    second = data[1]["id"]
    row = next(i for i, r in enumerate(incomes) if i >= 2 and r[0] == second)
    incomes[row][incomes[1].index("amount")] = "12.345"
    _save(folder / "incomes.csv", incomes)

    result = read_sheets(folder)
    first = data[0]["id"]
    assert [str(p) for p in result.problems] == [
        f"members.csv, row 4, column H (serious_illness), household {first}: expected true or false (是 or 否); "
        "got 'maybe'",
        f"members.csv, row 3, column D (birth_date), household {first}: no such date: (value not shown)",
        f"incomes.csv, row {row + 1}, column E (amount), household {second}: at most 2 decimal places; "
        "got '12.345'",
    ]
    assert [h.id for _d, h in result.households] == [d["id"] for d in data[2:]]
    assert result.rejected == 2

    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["import", "folder", "-o", "out.jsonl", "--errors-json", "errors.jsonl"])
    assert done.exit_code == 1
    assert f"household {second}: at most 2 decimal places" in done.output
    assert len(Path("out.jsonl").read_text("utf-8").splitlines()) == len(data) - 2
    errors = [json.loads(line) for line in Path("errors.jsonl").read_text("utf-8").splitlines()]
    assert errors[0] == {"sheet": "members.csv", "row": 4, "column": "H", "field": "serious_illness",
                         "household": first, "message": "expected true or false (是 or 否); got 'maybe'"}


def test_a_workbook_names_its_sheets_and_a_rule_between_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "households"
    ws.append(["id", "residence"])
    ws.append(["H1", "urban"])
    ws.append(["H2", "rural"])
    ws.append(["H1", "rural"])
    members = book.create_sheet("members")
    members.append(["household", "id", "name", "birth_date", "relationship"])
    members.append(["H1", "P1", "甲", "1980-01-01", "spouse"])
    members.append(["H2", "P1", "乙", "1980-01-01", "head"])
    members.append(["H3", "P1", "丙", "1980-01-01", "head"])
    incomes = book.create_sheet("incomes")
    incomes.append(["household", "category", "amount", "month", "colour"])
    incomes.append(["H2", "wage", "100", "2025-06", "blue"])
    book.create_sheet("member").append(["household", "id"])
    book.create_sheet("Sheet1")
    book.save(tmp_path / "b.xlsx")
    result = read_sheets(tmp_path / "b.xlsx")
    assert [str(p) for p in result.problems] == [
        "sheet member: unknown sheet 'member'; the sheets are households, members, incomes, assets, expenses, "
        "events, enrolments, history, obligors",
        "sheet households, row 4, column A (id), household H1: household id H1 is also on row 2",
        "sheet members, row 4, column A (household), household H3: no household H3 in the households sheet: "
        "add it there, or correct the id",
        "sheet incomes, row 1, column E (colour): unknown column 'colour'; the columns of incomes are household, "
        "category, member, kind, amount, month, from, to, days, land_mu",
    ]
    assert [h.id for _d, h in result.households] == ["H2"]


def test_a_household_without_a_head_is_named_on_its_rows(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "households.csv").write_text("id,residence\nH1,urban\n", encoding="utf-8")
    (folder / "members.csv").write_text("household,id,name,birth_date,relationship\nH1,P1,甲,1980-01-01,spouse\n"
                                        "H1,P2,乙,1981-01-01,child\n", encoding="utf-8")
    result = read_sheets(folder)
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.sheet, problem.household) == ("members.csv", "H1")
    assert "head" in problem.message and "rows 2, 3" in problem.message


def test_cells_typed_as_excel_types_them(tmp_path: Path) -> None:
    """Numbers, dates and TRUE in cells a clerk typed without a text format read as what was typed: money from
    its shortest decimal form (never through a float sum), a month from the first day Excel made of it."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "households"
    ws.append(["id", "residence", "hukou_local", "housing.tenure", "housing.monthly_rent"])
    ws.append([1001, "urban", False, "rented", 1234.5])
    members = book.create_sheet("members")
    members.append(["household", "id", "name", "birth_date", "relationship", "disability_grade"])
    members.append([1001, "P1", "甲", dt.datetime(1980, 1, 31), "head", 2.0])
    incomes = book.create_sheet("incomes")
    incomes.append(["household", "category", "member", "amount", "month"])
    incomes.append([1001, "wage", "P1", 0.1, dt.datetime(2025, 6, 1)])
    incomes.append([1001, "wage", "P1", 2000.07, dt.datetime(2025, 5, 1)])
    book.save(tmp_path / "typed.xlsx")
    result = read_sheets(tmp_path / "typed.xlsx")
    assert result.problems == []
    (data, household), = result.households
    assert household.id == "1001" and household.hukou_local is False
    assert household.housing is not None and household.housing.monthly_rent == Decimal("1234.50")
    assert household.members[0].birth_date == dt.date(1980, 1, 31) and household.members[0].disability_grade == 2
    assert [(i.amount, str(i.month)) for i in household.incomes] == [(Decimal("0.10"), "2025-06"),
                                                                      (Decimal("2000.07"), "2025-05")]
    assert data["incomes"][0]["amount"] == "0.1" and isinstance(data["housing"]["monthly_rent"], str)


def test_chinese_headers_alone_and_gb18030_csv(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "households.csv").write_bytes("家庭编号,城市或农村,是否本地户籍\nH1,rural,否\n".encode("gb18030"))
    (folder / "members.csv").write_bytes(
        "所属家庭编号,成员编号,姓名,出生日期,与户主关系\nH1,P1,张三,1950-05-05,head\n".encode("gb18030"))
    result = read_sheets(folder)
    assert result.problems == []
    household = result.households[0][1]
    assert household.members[0].name == "张三" and household.hukou_local is False


def test_chinese_words_stand_for_their_codes(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "households.csv").write_text("id,residence,housing.tenure\nH1,农村,租房\n", encoding="utf-8")
    (folder / "members.csv").write_text("household,id,name,birth_date,relationship,labour_capacity,self_care\n"
                                        "H1,P1,甲,1950-01-01,head,无劳动能力,半自理\n", encoding="utf-8")
    (folder / "incomes.csv").write_text("household,category,amount,month\nH1,养老金,300,2025-06\n",
                                        encoding="utf-8")
    result = read_sheets(folder)
    assert result.problems == []
    data, household = result.households[0]
    assert (household.residence, household.housing.tenure, household.incomes[0].category) == (  # type: ignore[union-attr]
        "rural", "rented", "pension")
    assert (household.members[0].labour_capacity, household.members[0].self_care) == ("none", "partial")
    assert data["residence"] == "rural"


def test_import_of_an_empty_template_reads_nothing_and_reports_nothing(tmp_path: Path) -> None:
    write_workbook(tmp_path / "t.xlsx")
    result = read_sheets(tmp_path / "t.xlsx")
    assert result.problems == [] and result.households == []


def test_the_template_has_a_readme_validation_lists_and_notes(tmp_path: Path) -> None:
    write_workbook(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames[0] == "readme" and book["lists"].sheet_state == "hidden"
    readme = [[c.value for c in row] for row in book["readme"].iter_rows()]
    assert ["members", "birth_date", "出生日期"] in [r[:3] for r in readme]
    members = book["members"]
    assert [c.value for c in members[1]][:3] == ["所属家庭编号", "成员编号", "姓名"]
    assert [c.value for c in members[2]][:3] == ["household", "id", "name"]
    assert "Date of birth" in members["D1"].comment.text and "出生日期" in members["D1"].comment.text
    assert members.column_dimensions["D"].number_format == "@"
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in members.data_validations.dataValidation}
    relationship = validations["E3"]
    column = relationship.split("$")[1]
    values = [c.value for c in book["lists"][column] if c.value]
    assert values == ["head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "other"]
    residence = {str(v.sqref).split(":")[0]: v.formula1 for v in book["households"].data_validations.dataValidation}
    column = residence["B3"].split("$")[1]
    assert [c.value for c in book["lists"][column] if c.value] == ["urban", "rural", "城镇", "农村"]


def test_template_csv_folder_with_and_without_bom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("template", "with").exit_code == 0
    assert cli("template", "without", "--no-bom").exit_code == 0
    assert (tmp_path / "with" / "members.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (tmp_path / "without" / "members.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "with" / "readme.csv").exists()


# ---------------------------------------------------------------------------------------------------------
# Outputs officials open
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pop")
    lines = []
    for path in EXAMPLES:
        example = json.loads(path.read_text(encoding="utf-8"))
        if example["on"] == "2025-07-15":
            lines.append(json.dumps(example["household"], ensure_ascii=False))
    (folder / "pop.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_export_of_determinations(population: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(population)
    assert cli("batch", "pop.jsonl", "--on", "2025-07-15", "-o", "det.jsonl").exit_code == 0
    assert cli("export", "det.jsonl", "-o", "det.xlsx").exit_code == 0
    book = openpyxl.load_workbook("det.xlsx")
    assert book.sheetnames == ["认定结果", "救助项目", "支付明细", "未认定"]
    first = json.loads(Path("det.jsonl").read_text("utf-8").splitlines()[0])
    row = [c.value for c in book["认定结果"][2]]
    assert row[0] == first["household"]
    assert str(Decimal(str(row[6])).quantize(Decimal("0.01"))) == first["totals"]["monthly"]
    assert book["认定结果"]["G2"].number_format == "0.00"
    assert cli("export", "det.jsonl", "-o", "csv", "--lang", "en", "--no-bom").exit_code == 0
    text = Path("csv/programmes.csv").read_bytes().decode("utf-8")
    assert text.startswith("Household,Programme,Eligible,Monthly,One-off,Reasons\r\n")
    assert f"{first['household']},Minimum living guarantee," in text


def test_review_worklists(population: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(population)
    assert cli("review", "pop.jsonl", "--on", "2025-07-15", "-o", "r.jsonl").exit_code == 0
    entries = [json.loads(line) for line in Path("r.jsonl").read_text("utf-8").splitlines()]
    actions = sum(max(1, len(e["actions"])) for e in entries)
    assert cli("review", "pop.jsonl", "--on", "2025-07-15", "--format", "csv", "-o", "r.csv").exit_code == 0
    raw = Path("r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["家庭编号", "村/社区", "家庭身份", "下次复核日期"]
    assert len(rows) - 1 == actions
    assert "应保未保" in {r[6] for r in rows[1:]}
    assert cli("review", "pop.jsonl", "--on", "2025-07-15", "--format", "xlsx", "-o", "r.xlsx",
               "--lang", "en").exit_code == 0
    sheet = openpyxl.load_workbook("r.xlsx")["review"]
    assert sheet["A1"].value == "Household" and sheet.max_row - 1 == actions


def test_notice_workbook(population: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(population)
    assert cli("notice", "pop.jsonl", "--on", "2025-07-15", "-o", "n.csv").exit_code == 0
    assert cli("notice", "pop.jsonl", "--on", "2025-07-15", "--format", "xlsx", "-o", "n.xlsx").exit_code == 0
    rows = list(csv.reader(io.StringIO(Path("n.csv").read_text("utf-8-sig"))))
    sheet = openpyxl.load_workbook("n.xlsx")["公示"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == rows[0]
    assert [[("" if v is None else str(v)) for v in r[:3]] for r in cells[1:]] == [r[:3] for r in rows[1:]]
    assert [Decimal(str(r[4])).quantize(Decimal("0.01")) for r in cells[1:]] == [Decimal(r[4]) for r in rows[1:]]
