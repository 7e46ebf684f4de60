"""assistkit.population.dask: the chunk function on a Dask cluster gives exactly the local batch output."""

from __future__ import annotations

import datetime as dt
import io as _io
import json

import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

import assistkit.population.dask  # noqa: E402
from assistkit import io  # noqa: E402
from assistkit.dev.demo import demo_lines  # noqa: E402
from assistkit.population import batch  # noqa: E402

ON = dt.date(2025, 7, 15)

# Dask's threads outlive these tests: the suite runs them last (tests/conftest.py), and the test that forks
# batch workers comes first in this module.
pytestmark = pytest.mark.leaves_threads


@pytest.fixture(scope="module")
def population():
    lines = [line.encode("utf-8") for line in demo_lines(1200, seed=31)]
    lines.insert(500, b"{broken\n")
    lines.insert(900, lines[10])  # a household id seen before
    return lines


@pytest.fixture(scope="module")
def local(population):
    out = _io.BytesIO()
    result = batch(population, out, ON, workers=1)
    return out.getvalue(), result


def test_funds_stay_a_sequential_second_pass(population, tmp_path):
    funds = [
        {
            "id": "F1",
            "name": "医疗救助基金",
            "balance": "30000.00",
            "need_kinds": ["medical"],
            "per_household_cap": "4000.00",
            "valid_from": "2025-01-01",
            "valid_to": "2025-12-31",
        }
    ]
    path = tmp_path / "funds.json"
    path.write_text(json.dumps(funds, ensure_ascii=False), encoding="utf-8")
    loaded = io.load_funds(path)
    local_out, dask_out = _io.BytesIO(), _io.BytesIO()
    local_result = batch(population, local_out, ON, workers=2, chunk_size=64, funds=loaded)
    dask_result = assistkit.population.dask.batch(
        population, dask_out, ON, scheduler="sync", chunk_size=300, funds=loaded
    )
    assert dask_out.getvalue() == local_out.getvalue()
    assert dask_result.funds == local_result.funds
    assert local_result.funds.allocated == 30000


def test_local_cluster_with_two_worker_processes_gives_the_local_output(population, local):
    expected, expected_result = local
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        out = _io.BytesIO()
        result = assistkit.population.dask.batch(population, out, ON, client=client, chunk_size=100, in_flight=6)
        workers_used = client.run(lambda: __import__("os").getpid())
    assert out.getvalue() == expected
    assert len(set(workers_used.values())) == 2
    assert result.summary == expected_result.summary
    assert result.summary.rejected == 2
    errors = [json.loads(line) for line in out.getvalue().splitlines() if b'"error"' in line[:60]]
    assert [e["line"] for e in errors] == [501, 901]


def test_bag_without_a_client_gives_the_local_output(population, local):
    expected, _result = local
    out = _io.BytesIO()
    assistkit.population.dask.batch(population, out, ON, scheduler="threads", chunk_size=250, in_flight=3)
    assert out.getvalue() == expected
