"""A minimum living benefit of one rule, for the side-by-side benchmark with OpenFisca
(``benchmarks/openfisca_side_by_side.py``): the same rule is written there as an OpenFisca variable.

Install it only in the benchmark's own environment (benchmarks/README.md): installed beside the built-in
plugins, it would pay a second benefit to every household.
"""

from __future__ import annotations

from .programme import RULES, OneRuleProgramme, top_up

__all__ = ["RULES", "OneRuleProgramme", "top_up"]
