"""``assistkit issue`` and ``assistkit verify``: a determination kept as issued, and reproduced later (as-of)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from ._common import DATE, engine_from_options, fail, policy_options, write_json

__all__ = ["issue_command", "verify_command"]


@click.command("issue")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--on", "on", type=DATE, default=None,
              help="Assessment date YYYY-MM-DD (default: the example file's `on`).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the reasons.")
@click.option("--out", "-o", "out_path", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="Where to write the issued determination (JSON).")
@policy_options
def issue_command(file: str, on: dt.date | None, lang: str, out_path: str, locality: str,
                  policy_files: tuple[str, ...]) -> None:
    """Assess the household in FILE and write it as issued: the household, the date, the determination, its
    digest and what produced it (engine and plugin versions, locality, the SHA-256 of each policy file), for
    `assistkit verify` to reproduce later."""
    from .. import io
    from ..asof import issue
    from ..errors import InvalidHousehold
    from ._output import check_outputs

    check_outputs([("--out", out_path)], [("FILE", file), *(("--policy", p) for p in policy_files)])

    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"{file}: cannot read JSON: {exc}")
    if isinstance(data, dict) and isinstance(data.get("household"), dict):
        if on is None and isinstance(data.get("on"), str):
            on = dt.date.fromisoformat(data["on"])
        data = data["household"]
    if on is None:
        fail("give the assessment date: --on YYYY-MM-DD (an issued determination is never dated by default)")
        return
    files = tuple(str(Path(p).resolve()) for p in policy_files)  # found again from any folder
    engine = engine_from_options(locality, files)
    try:
        issued = issue(engine, io.structure_household(data), on, lang=lang, base_locality=locality,
                       policy_files=files)
    except InvalidHousehold as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        raise SystemExit(1) from None
    if out_path == "-":
        click.echo(json.dumps(issued, ensure_ascii=False, indent=2))
    else:
        write_json(out_path, issued)
        click.echo(f"issued {issued['determination']['household']} on {issued['on']}: digest {issued['digest']}",
                   err=True)


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--policy", "policy_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Policy override files to use instead of those the issued determination names.")
def verify_command(file: str, policy_files: tuple[str, ...]) -> None:
    """Reproduce the issued determination in FILE (from `assistkit issue`): assess its household again on its
    date with its locality and policy files, and say whether the same determination comes out; if not, which
    figures changed and what changed in what produced them (a policy file, a plugin version). Exits 1 if it is
    not reproduced."""
    from ..asof import AsOfError, verify_issued
    from ..errors import AssistkitError

    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        issued = json.loads(text)
    except (OSError, ValueError) as exc:
        fail(f"{file}: cannot read JSON: {exc}")
    if not isinstance(issued, dict):
        fail(f"{file}: expected an issued determination (a JSON object from `assistkit issue`)")
    try:
        check = verify_issued(issued, policy_files=list(policy_files) if policy_files else None)
    except AsOfError as exc:
        fail(f"{file}: {exc}")
    except AssistkitError as exc:
        fail(f"{file}: cannot assess it again: {exc}")
    click.echo(check.text(), nl=False)
    if not check.matches:
        raise SystemExit(1)

_ = engine_from_options  # the issue command builds its engine through it
