"""The WorkedExamples suite of the testing kit fails, naming the path, on a wrong expected amount."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import assistkit_basic_living.hooks
import pytest

from assistkit.engine import Engine
from assistkit.testing.conformance import WorkedExamples
from assistkit.testing.examples import load_examples

EXAMPLES = Path(__file__).parent / "examples"


class _Dibao(WorkedExamples):
    owned = ("dibao",)


def test_passes_and_fails_on_a_wrong_amount(tmp_path):
    engine = Engine(plugins=[assistkit_basic_living.hooks])
    shutil.copy(EXAMPLES / "01-urban-dibao-wage.json", tmp_path)
    suite = _Dibao()
    (example,) = load_examples(tmp_path)
    suite.test_example(engine, example)            # the spec's figure passes
    path = tmp_path / "01-urban-dibao-wage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["expected"]["programmes"]["dibao"]["monthly"] = "1824.00"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (wrong,) = load_examples(tmp_path)
    with pytest.raises(AssertionError, match=r"programmes\.dibao\.monthly: expected \"1824\.00\", got \"1823\.00\""):
        suite.test_example(engine, wrong)


def test_unset_attributes_say_what_to_set():
    with pytest.raises(NotImplementedError, match="owned"):
        WorkedExamples().test_example(None, None)  # type: ignore[arg-type]
