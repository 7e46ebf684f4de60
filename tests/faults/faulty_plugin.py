"""A plugin that misbehaves on some households, installed for the fault scripts through a real entry point
(a ``.dist-info`` on ``PYTHONPATH``, see conftest.py).

``FAULTY_MODE``: what its programme does on a chosen household — ``raise`` (a ``RuntimeError``), ``exit``
(``SystemExit``), ``interrupt`` (``KeyboardInterrupt``), ``hang`` (sleeps for an hour), ``overflow``
(``decimal.Overflow``), ``kill`` (``os._exit``); ``FAULTY_PERCENT``: the share of households chosen (by a hash
of the id, so the same ones every run); ``FAULTY_ONLY``: or exactly this household id. ``FAULTY_KILL``: a
household on which, besides, the worker is killed (``os._exit``: no exception, no clean-up).
"""

from __future__ import annotations

import decimal
import hashlib
import os
import sys
import time

from assistkit import hookimpl
from assistkit.api import Programme

MODE = os.environ.get("FAULTY_MODE", "raise")
PERCENT = int(os.environ.get("FAULTY_PERCENT", "1"))
ONLY = os.environ.get("FAULTY_ONLY")
KILL = os.environ.get("FAULTY_KILL")


def chosen(household: str) -> bool:
    if ONLY is not None:
        return household == ONLY
    return int(hashlib.sha256(household.encode()).hexdigest(), 16) % 100 < PERCENT


class Faulty(Programme):
    name = "faulty"
    title_zh, title_en = "故障", "Faulty"
    rules = {}

    def assess(self, ctx):
        if ctx.household.id == KILL:
            os._exit(0)
        if not chosen(ctx.household.id):
            return
        if MODE == "raise":
            raise RuntimeError("faulty programme")
        if MODE == "exit":
            sys.exit(0)
        if MODE == "interrupt":
            raise KeyboardInterrupt
        if MODE == "hang":
            time.sleep(3600)
        if MODE == "spin":
            while True:
                pass
        if MODE == "overflow":
            decimal.getcontext().power(decimal.Decimal(10), decimal.Decimal(10**9))
        if MODE == "kill":
            os._exit(0)


@hookimpl
def assistkit_register_programmes():
    return [Faulty()]
