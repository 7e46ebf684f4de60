"""The golden check: a digest of everything assistkit writes, to compare two versions of the code byte for byte.

    .venv/bin/python benchmarks/golden.py                    # this checkout's code
    PYTHONPATH=../other/src .venv/bin/python benchmarks/golden.py   # another checkout's, same plugins

For ``-n`` Demo City households (seed 1) on three dates it digests every determination's JSON (zh, compact; en,
indented) and explanation (zh, en), and the batch output of the population; then the spec examples' JSON and
text; then the error reports of the broken records in ``tests/broken``. A refactoring that changes no behaviour
prints the same lines before and after (CI does not run this; the test suite checks the examples themselves).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io as _io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATES = (dt.date(2024, 9, 15), dt.date(2025, 7, 15), dt.date(2026, 1, 15))


def _demo_lines(n: int, on: dt.date) -> list[str]:
    try:
        from assistkit.dev.demo import demo_lines
    except ImportError:  # a version before the regroup
        from assistkit.demo import demo_lines  # type: ignore[no-redef]
    return list(demo_lines(n, seed=1, on=on))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=2000, help="households per date (default 2000)")
    args = parser.parse_args()
    from assistkit import io
    from assistkit.engine import Engine
    from assistkit.errors import InvalidHousehold
    from assistkit.population import batch

    engine = Engine()
    for on in DATES:
        lines = _demo_lines(args.n, on)
        digest = hashlib.sha256()
        for line in lines:
            d = engine.assess(io.household_from_json(line), on)
            for text in (d.to_json_text(), d.to_json_text(lang="en", indent=1), d.explain(), d.explain("en")):
                digest.update(text.encode())
        print(f"determinations {on}: {digest.hexdigest()[:16]}")
        out = _io.BytesIO()
        batch(lines, out, on)
        print(f"batch {on}: {hashlib.sha256(out.getvalue()).hexdigest()[:16]}")
    digest = hashlib.sha256()
    for path in sorted((ROOT / "tests" / "examples").glob("*.json")):
        example = json.loads(path.read_text(encoding="utf-8"))
        on = dt.date.fromisoformat(example["on"])
        d = engine.assess(io.structure_household(example["household"]), on)
        for text in (d.to_json_text(), d.explain(), d.explain("en")):
            digest.update(text.encode())
    print(f"examples: {digest.hexdigest()[:16]}")
    digest = hashlib.sha256()
    try:  # the open lists are checked after reading, against the core's words and the plugins' (issue 24)
        from assistkit.declared import CORE
        check = CORE.check
    except ImportError:  # a version before: the reader checked them
        def check(household: object) -> object:
            return household
    for path in sorted((ROOT / "tests" / "broken").glob("*.json")):
        try:
            check(io.structure_household(json.loads(path.read_text(encoding="utf-8"))))
        except InvalidHousehold as exc:
            digest.update(str(exc).encode())
    print(f"broken: {digest.hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
