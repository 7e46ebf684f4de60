"""``assistkit compare``: one population under two policies — who gains, who loses, what it costs."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import click

from ._batch import input_lines, output_stream, population_options, progress_bar, time_limit_option
from ._common import fail, lang_option, out_option, population_argument, reasons_option, write_json

__all__ = ["compare"]


@click.command("compare")
@population_argument()
@click.option(
    "--base", default=None,
    help="Base policy: a locality name, or a .toml override file on demo-city (or use --locality and --policy).",
)
@click.option("--locality", default=None, help="Base: this bundled locality [default: demo-city].")
@click.option("--policy", "policy_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Base: an override file on --locality (repeatable, applied in order).")
@click.option(
    "--reform", "reforms", required=True, multiple=True,
    help="Reform: .toml override files stacked on the base, in order (repeatable); or one locality name.",
)
@out_option("Write the per-household changes here (JSONL).")
@click.option(
    "--json",
    "json_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the aggregates to this file (JSON).",
)
@click.option(
    "--plot",
    "plot_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also draw a chart to this PNG file (needs the `plot` extra: matplotlib).",
)
@time_limit_option
@lang_option("Language of the reasons' text (with --reasons text).")
@reasons_option("none", "With --out: the reasons of each changed programme under both policies, as text (in --lang) "
                "or as data (`assistkit explain` renders them later), or none.")
@population_options
def compare(
    population: str,
    on: dt.date,
    base: str | None,
    locality: str | None,
    policy_files: tuple[str, ...],
    reforms: tuple[str, ...],
    out_path: str | None,
    json_file: str | None,
    plot_file: str | None,
    time_limit: float,
    lang: str,
    reasons: str,
    workers: int,
    chunk_size: int,
    show_progress: bool | None,
) -> None:
    """Assess POPULATION (JSONL) under --base and --reform and report the difference.

    Prints the monthly cost change per programme, the households gaining and losing each status, the
    distribution of the change in a household's total monthly assistance, and the biggest losers. With --out,
    one JSON line per household that changed (statuses gained and lost, amounts by programme). A programme that
    failed on a household (an error, or past --time-limit) is reported, and the command exits 1.
    """
    from ..errors import AssistkitError
    from ..population import compare as run_compare
    from ..population import plot_compare, require_matplotlib
    from ._output import check_outputs, output_file

    check_outputs([("--out", out_path), ("--json", json_file), ("--plot", plot_file)],
                  [("POPULATION", population), ("--base", base), *(("--policy", f) for f in policy_files),
                   *(("--reform", f) for f in reforms)])
    try:
        base_spec, reform_spec = _specs(base, locality, policy_files, reforms)
    except AssistkitError as exc:
        fail(str(exc))

    if plot_file is not None:
        try:
            require_matplotlib()
        except AssistkitError as exc:
            fail(str(exc))
    with contextlib.ExitStack() as stack:
        source, total = stack.enter_context(input_lines(population))
        out = stack.enter_context(output_stream(out_path)) if out_path is not None else None
        try:
            with progress_bar(source, total, show_progress, "compare") as advance:
                result = run_compare(
                    source,
                    on,
                    base_spec,
                    reform_spec,
                    out=out,
                    workers=workers,
                    chunk_size=chunk_size,
                    lang=lang,
                    progress=advance,
                    time_limit=time_limit or None,
                    reasons=reasons,
                )
        except AssistkitError as exc:
            fail(str(exc))
    # The changes may be on stdout: then the aggregates go to stderr.
    click.echo(result.text(), nl=False, err=out_path == "-")
    if json_file is not None:
        write_json(json_file, result.to_json())
    if plot_file is not None:
        with output_file(plot_file) as png:
            plot_compare(result, png)
    if not result.ok:
        raise SystemExit(1)


def _specs(base: str | None, locality: str | None, policy_files: tuple[str, ...], reforms: tuple[str, ...]
           ) -> tuple[Any, Any]:
    """The base (``--base``, or ``--locality`` with ``--policy`` files) and the reform: its ``.toml`` files stacked
    on the base's, or one locality name."""
    import os

    from ..errors import PolicyError
    from ..population import EngineSpec

    if base is not None and (locality is not None or policy_files):
        raise PolicyError("give the base either as --base or as --locality/--policy, not both")
    if base is not None:
        base_spec = EngineSpec.parse(base)
    else:
        base_spec = EngineSpec(locality or "demo-city", tuple(os.path.abspath(f) for f in policy_files))
    files = [r for r in reforms if r.endswith(".toml")]
    if len(files) != len(reforms):
        if len(reforms) != 1:
            raise PolicyError("--reform: give .toml files to stack on the base, or one locality name")
        return base_spec, EngineSpec.parse(reforms[0])
    for f in files:
        if not os.path.isfile(f):
            raise PolicyError(f"no such policy file: {f}")
    return base_spec, EngineSpec(base_spec.locality,
                                 (*base_spec.policy_files, *(os.path.abspath(f) for f in files)))
