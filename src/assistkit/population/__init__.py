"""Population tools — what a county or province runs every month over its whole caseload.

- :func:`batch` assesses a JSONL population in worker processes and writes the determinations in input order;
  :func:`assess_chunk` is its unit of work (also run by :mod:`assistkit.population.dask`).
- :func:`compare` assesses a population under two policies and aggregates the changes.
- :func:`review` lists the dynamic-management actions of §15 (enrol, exit, adjust, keep) and review dates.
- :func:`cliff` traces total assistance as one member's wage varies (benefit cliffs).
- The public notice (§16) is :mod:`assistkit.population.notice`.
- A killed batch continues from its last complete line (:func:`resume_point`, ``batch --resume``); workers are
  supervised: a time limit per household, and workers that die with the run (``_supervise``).

Every run checks what needs the whole population: unique household ids (a repeat is rejected, §17) and id
numbers held by two households (reported as :class:`Duplicate`, the 重复救助 risk, never stopping the run).
"""

from __future__ import annotations

from ._batch import BatchResult, BatchSummary, DonationPass, assess_chunk, batch, format_summary, write_batch
from ._cliff import Cliff, CliffPoint, CliffResult, cliff, require_matplotlib, with_wage
from ._cliff import plot as plot_cliff
from ._compare import (
    BUCKETS,
    CompareJob,
    CompareResult,
    CompareSummary,
    Mover,
    compare,
    compare_chunk,
    plot_compare,
)
from ._pipeline import (
    DEFAULT_CHUNK_SIZE,
    DEMO_CITY,
    ChunkResult,
    CountingLines,
    Duplicate,
    EngineSpec,
    Job,
    Run,
    blocks,
    chunked,
    engine_for,
    error_object,
    lines_of,
    parse_line,
    run_chunk,
)
from ._resume import ResumeError, ResumePoint, resume_point
from ._review import ReviewResult, ReviewSummary, review, review_chunk, review_record
from ._supervise import DEFAULT_TIME_LIMIT

__all__ = [
    "BUCKETS",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_TIME_LIMIT",
    "DEMO_CITY",
    "BatchResult",
    "BatchSummary",
    "ChunkResult",
    "Cliff",
    "CliffPoint",
    "CliffResult",
    "CompareJob",
    "CompareResult",
    "CompareSummary",
    "CountingLines",
    "DonationPass",
    "Duplicate",
    "EngineSpec",
    "Job",
    "Mover",
    "ReviewResult",
    "ReviewSummary",
    "ResumeError",
    "ResumePoint",
    "Run",
    "assess_chunk",
    "batch",
    "blocks",
    "chunked",
    "cliff",
    "compare",
    "compare_chunk",
    "engine_for",
    "error_object",
    "format_summary",
    "lines_of",
    "parse_line",
    "plot_cliff",
    "plot_compare",
    "require_matplotlib",
    "resume_point",
    "review",
    "review_chunk",
    "review_record",
    "run_chunk",
    "with_wage",
    "write_batch",
]
