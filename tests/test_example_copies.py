"""``tests/examples`` holds identical copies of the spec's worked examples (``spec/examples``).

The spec sits beside the repository in a working checkout (``../shared/spec``, or the folder named by
``ASSISTKIT_SPEC``); where it is not there (a clean clone in CI), only the copies' own numbering is checked.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COPIES = ROOT / "tests" / "examples"


def _spec_examples() -> Path | None:
    for folder in (os.environ.get("ASSISTKIT_SPEC"), ROOT.parent / "shared" / "spec", ROOT.parent / "spec"):
        if folder and (Path(folder) / "examples").is_dir():
            return Path(folder) / "examples"
    return None


def test_the_copies_are_numbered_without_gaps() -> None:
    numbers = sorted(int(path.name[:2]) for path in COPIES.glob("*.json"))
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 11


def test_the_copies_are_identical_to_the_spec() -> None:
    spec = _spec_examples()
    if spec is None:
        pytest.skip("the spec's examples are not beside the repository (set ASSISTKIT_SPEC to check them)")
    names = sorted(path.name for path in spec.glob("*.json"))
    assert names == sorted(path.name for path in COPIES.glob("*.json"))
    for name in names:
        assert (spec / name).read_bytes() == (COPIES / name).read_bytes(), name
