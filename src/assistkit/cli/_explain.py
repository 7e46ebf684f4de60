"""``assistkit explain``: the text of reasons written as data (``--reasons data``), rendered afterwards."""

from __future__ import annotations

import json
from typing import Any

import click

from ._common import engine_from_options, fail, lang_option, out_option, policy_options

__all__ = ["explain"]


@click.command("explain")
@click.argument("determinations", metavar="DETERMINATIONS", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--household", "households", multiple=True, metavar="H",
              help="Only this household's line (repeatable); it is an error if it is not there.")
@lang_option("Language of the reasons' text.")
@out_option("Write here (default stdout).")
@policy_options
def explain(determinations: str, households: tuple[str, ...], lang: str, out_path: str | None, locality: str,
            policy_files: tuple[str, ...]) -> None:
    """Render the reasons of DETERMINATIONS (JSON Lines written with `--reasons data`; `-` for stdin) as text.

    Each line becomes the line `--reasons text` would have written, byte for byte: every reason's text rendered
    in --lang from its rule and values, every warning's messages, the provenance record in full. Lines without
    reasons as data (error objects, lines already in text) are copied as they are. Review entries (`review
    --reasons data`) and compare change records (`compare --reasons data`) are rendered the same way. A single
    JSON document (`POST /assess?reasons=data`) is written back indented, as `assess` writes it.

    Give the --locality and --policy files the determinations were written with: the text comes from the rules
    of the installed plugins, and a determination whose provenance is another engine's is refused (with --also, so
    is every determination but the first locality's).
    """
    from ..determination import render_reasons_json
    from ..population._pipeline import dumps_line
    from ._output import check_outputs, output_file

    check_outputs([("--out", out_path)], [("DETERMINATIONS", determinations), *(("--policy", p) for p in policy_files)])
    engine = engine_from_options(locality, policy_files)
    wanted = set(households)

    def render(record: Any) -> Any:
        return render_reasons_json(record, engine.rules, lang, engine.vocabulary, engine.provenance)

    try:
        source = click.open_file(determinations, "rb")
    except OSError as exc:
        fail(f"{determinations}: {exc.strerror or exc}")
    found: set[str] = set()
    with source, output_file(out_path) as out:
        head = source.peek(1 << 16)[: 1 << 16] if hasattr(source, "peek") else b""
        if _one_document(head):
            record = _load(source.read(), determinations, 1)
            if wanted and (not isinstance(record, dict) or record.get("household") not in wanted):
                fail(f"{determinations}: no household {', '.join(sorted(wanted))}")
            out.write((json.dumps(_render(render, record, determinations, 1), ensure_ascii=False, indent=2)
                       + "\n").encode("utf-8"))
            return
        for number, line in enumerate(source, 1):
            if not line.strip():
                if not wanted:
                    out.write(line)
                continue
            record = _load(line, determinations, number)
            if wanted:
                household = record.get("household") if isinstance(record, dict) else None
                if household not in wanted:
                    continue
                found.add(household)
            rendered = _render(render, record, determinations, number)
            # A line with nothing to render is copied as it is (its bytes, whatever wrote them).
            out.write(line if rendered == record else dumps_line(rendered))
    missing = wanted - found
    if missing:
        fail(f"{determinations}: no household {', '.join(sorted(missing))}")


def _one_document(head: bytes) -> bool:
    """Whether the input is one indented JSON document rather than JSON Lines: its first line is not whole."""
    text = head.lstrip()
    if not text.startswith(b"{"):
        return False
    first = text.split(b"\n", 1)[0]
    try:
        json.loads(first)
    except ValueError:
        return b"\n" in text
    return False


def _load(data: bytes, path: str, number: int) -> Any:
    try:
        return json.loads(data)
    except ValueError as exc:
        fail(f"{path}: line {number}: not JSON ({exc})")


def _render(render: Any, record: Any, path: str, number: int) -> Any:
    try:
        return render(record)
    except (ValueError, KeyError, TypeError) as exc:
        fail(f"{path}: line {number}: {exc}")
