"""The built docs, looked at in a real browser: the content column fits code and CLI help without clipping, and the
charts computed from the examples are in the pages.

The docs are built once (HTML, as tests/test_docs.py builds them) and opened in Chromium at 1366×900, a common
office screen. Every code block and every CLI help must fit the column unwrapped; output blocks and shell
sessions may wrap a longer line, but nothing is ever cut off. Skipped where Chromium or the docs extra is
missing (``.ci/run`` installs both).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("sphinx") is None or importlib.util.find_spec("myst_parser") is None,
    reason="the docs extra (sphinx, myst-parser) is not installed",
)


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-d", str(out / "doctrees"), str(ROOT / "docs"),
               str(out / "html")]
    env = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    return out / "html"


@pytest.fixture(scope="module")
def browser(start_chromium: object) -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver)")
    driver = start_chromium("1366,900")  # type: ignore[operator]
    try:
        yield driver
    finally:
        driver.quit()  # type: ignore[attr-defined]


_OVERFLOW = """
const out = [];
const cli = document.location.pathname.endsWith('/cli.html');
for (const pre of document.querySelectorAll('div.body pre')) {
  const kind = (pre.closest('div[class*="highlight-"]') || {className: ''}).className;
  const start = pre.textContent.split('\\n')[0].slice(0, 60);
  if (pre.scrollWidth > pre.clientWidth + 1) out.push(`cut off: ${start}`);
  if (kind.includes('highlight-python') || cli) {
    const kept = pre.style.whiteSpace;
    pre.style.whiteSpace = 'pre';
    if (pre.scrollWidth > pre.clientWidth + 1) out.push(`wider than the column: ${start}`);
    pre.style.whiteSpace = kept;
  }
}
return out;
"""


def test_the_content_column_fits_code_and_cli_help(html: Path, browser: object) -> None:
    pages = sorted(p for p in html.glob("*.html") if p.stem not in ("genindex", "search", "py-modindex"))
    assert len(pages) > 15
    problems = {}
    for page in pages:
        browser.get(page.as_uri())  # type: ignore[attr-defined]
        found = browser.execute_script(_OVERFLOW)  # type: ignore[attr-defined]
        if found:
            problems[page.name] = found
    assert problems == {}
    helps = (html / "cli.html").read_text(encoding="utf-8").count("Usage: assistkit")
    assert helps >= 25, "cli.html should render every command's --help"


def test_the_charts_are_built_from_the_examples(html: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        from assistkit_charts import cliff_svg
    finally:
        sys.path.remove(str(ROOT / "docs" / "_ext"))
    page = (html / "population.html").read_text(encoding="utf-8")
    charts = re.findall(r'<svg class="assistkit-chart".*?</svg>', page, flags=re.S)
    assert len(charts) == 2
    compare, cliff = charts  # in page order: the comparison, then the benefit cliffs
    monkeypatch.chdir(ROOT)
    assert cliff == cliff_svg("tests/examples/01-urban-dibao-wage.json", "P1", "3000", "25")
    (wage_and_assistance,) = re.findall(r'<polyline fill="none" stroke="#000000"[^>]*points="([^"]*)"', cliff)
    assert len(wage_and_assistance.split()) == 3000 // 25 + 1
    assert "Minimum living guarantee" in cliff and "wage + assistance" in cliff
    assert "demo-city → demo-city+standard-raise.toml on 2026-01-15" in compare
    assert re.search(r"Minimum living guarantee</text>\s*<text[^>]*>\+[0-9,]+\.00</text>", compare)
