"""Optional build step: compile the modules a household's assessment runs through with mypyc.

mypyc (the compiler mypy and black are built with) turns type-annotated Python modules into C extensions; a
batch worker then runs about a fifth cheaper (benchmarks/README.md). The wheel keeps every ``.py`` beside its
extension, and the behaviour is the same: the test suite checks the compiled build against the pure one
(tests/test_compiled.py).

Off unless asked for, with hatchling's switch for this hook::

    HATCH_BUILD_HOOK_ENABLE_CUSTOM=1 pip install .

Never for an editable install (compiled modules would shadow edits to the sources), and never fatal: when mypyc,
a C compiler or the Python headers are missing, or compilation fails, the wheel is built as pure Python, as it
is without this hook, and the build says why. ``ASSISTKIT_COMPILE=require`` makes that failure an error instead
(for a build that must be compiled, as the test of the compiled build is).

The core and each programme plugin use this one file: the hook's table in each ``pyproject.toml`` gives its
``path`` and the ``modules`` to compile (paths under ``src/``). A plugin's modules are type-checked against the
assistkit already installed, so a plugin is compiled with ``--no-build-isolation`` into an environment that has
assistkit, mypy and setuptools (docs/performance.md).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_SCRIPT = """
import sys
from mypyc.build import mypycify
from setuptools import setup

work, config, group, *modules = sys.argv[1:]
args = ["--config-file", config, "--cache-dir", work + "/mypy-cache", *modules]
setup(name=group + "-compiled",
      ext_modules=mypycify(args, opt_level="3", target_dir=work + "/c", group_name=group),
      script_args=["build_ext", "--build-lib", work + "/lib", "--build-temp", work + "/temp"])
"""


class MypycBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        modules = self.config.get("modules")
        if not modules or not all(isinstance(m, str) for m in modules):
            raise ValueError("the mypyc build hook needs `modules`: a list of paths under src/ to compile")
        work = tempfile.mkdtemp(prefix="assistkit-mypyc-")
        try:
            built = self._compile(work, modules)
        except Exception as exc:  # a build that cannot compile still installs, as pure Python
            shutil.rmtree(work, ignore_errors=True)
            if os.environ.get("ASSISTKIT_COMPILE") == "require":
                raise
            self.app.display_warning(f"{self.metadata.name}: mypyc compilation skipped, building pure Python ({exc})")
            return
        self._work = work  # the extensions stay there until the wheel is written (finalize)
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"].update(built)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)

    def _compile(self, work: str, modules: list[str]) -> dict[str, str]:
        """Compile ``modules`` into ``work``; the built extensions, by their path in the wheel."""
        group = self.metadata.name.replace("-", "_")
        out = os.path.join(work, "lib")
        process = subprocess.run(
            [sys.executable, "-c", _SCRIPT, work, os.path.join(self.root, "pyproject.toml"), group, *modules],
            cwd=os.path.join(self.root, "src"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        if process.returncode:
            last = process.stdout.strip().splitlines()[-3:]
            raise RuntimeError("; ".join(last) or f"exit status {process.returncode}")
        built = {path: os.path.relpath(path, out)
                 for suffix in ("*.so", "*.pyd") for path in glob.glob(os.path.join(out, "**", suffix), recursive=True)}
        if len(built) < len(modules):  # one extension per module (and, for several, the group's shared library)
            raise RuntimeError(f"expected {len(modules)} extensions or more, found {len(built)}")
        return built
