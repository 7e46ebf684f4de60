"""The caseworkers' page in a real browser: Debian's Chromium driven by Selenium against a live server.

Skipped only when Chromium is not installed (``apt-get install chromium chromium-driver``; ``.ci/run`` does).
The screenshot is kept under pytest's base temporary folder (``artefacts/caseworker-page.png``; pytest keeps the
last three runs), or in ``$ASSISTKIT_ARTEFACTS`` when set.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_05 = ROOT / "tests" / "examples" / "05-marginal-medical-temporary.json"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WAIT = 60
"""Seconds the browser may take to show a result before the test fails; not a speed test."""

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium "
                                "chromium-driver)")


@pytest.fixture(scope="module")
def browser(start_chromium: Any) -> Iterator[webdriver.Chrome]:
    driver = start_chromium("1280,2600")
    try:
        yield driver
    finally:
        driver.quit()


def _artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("ASSISTKIT_ARTEFACTS") or tmp_path_factory.getbasetemp() / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(browser: webdriver.Chrome, service: str) -> WebDriverWait:
    browser.get(service + "/")
    wait = WebDriverWait(browser, WAIT)
    wait.until(lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
    return wait


def _paste(browser: webdriver.Chrome, text: str) -> None:
    area = browser.find_element(By.ID, "household")
    area.clear()
    area.send_keys(text)


def test_example_05_shows_temporary_relief_and_its_chinese_reason(
    browser: webdriver.Chrome, service: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    wait = _open(browser, service)
    _paste(browser, EXAMPLE_05.read_text(encoding="utf-8"))
    assert browser.find_element(By.ID, "on").get_attribute("value") == "2025-05-20"  # the example's own date
    browser.find_element(By.ID, "assess").click()
    one_off = (By.CSS_SELECTOR, "[data-programme=temporary] .one-off")
    wait.until(expected_conditions.text_to_be_present_in_element(one_off, "9600.00"))
    temporary = browser.find_element(By.CSS_SELECTOR, "[data-programme=temporary]")
    assert "临时救助" in temporary.text
    reason = temporary.find_element(By.CSS_SELECTOR, "[data-rule='temporary.major']").text
    assert "属重大个案" in reason and "9600.00" in reason and "需县级审批" in reason
    assert browser.find_element(By.CSS_SELECTOR, "[data-programme=dibao] .monthly").text == "960.00"
    assert "marginal" in browser.find_element(By.ID, "statuses").text
    assert browser.find_elements(By.CSS_SELECTOR, "#needs svg[data-need=E1] rect")  # the waterfall of E1
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#curve-chart path.total"))
    shot = _artefacts(tmp_path_factory) / "caseworker-page.png"
    browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_english_reasons(browser: webdriver.Chrome, service: str) -> None:
    wait = _open(browser, service)
    _paste(browser, EXAMPLE_05.read_text(encoding="utf-8"))
    Select(browser.find_element(By.ID, "lang")).select_by_value("en")
    browser.find_element(By.ID, "assess").click()
    major = (By.CSS_SELECTOR, "[data-programme=temporary] [data-rule='temporary.major']")
    wait.until(expected_conditions.text_to_be_present_in_element(major, "needs county approval"))
    assert "Temporary" in browser.find_element(By.CSS_SELECTOR, "[data-programme=temporary] header").text


def test_an_invalid_household_shows_each_field_path(browser: webdriver.Chrome, service: str) -> None:
    wait = _open(browser, service)
    example = json.loads(EXAMPLE_05.read_text(encoding="utf-8"))
    example["household"]["members"][1]["birth_date"] = "1972-02-30"
    _paste(browser, json.dumps(example, ensure_ascii=False))
    browser.find_element(By.ID, "assess").click()
    wait.until(expected_conditions.visibility_of_element_located((By.ID, "problem")))
    problem = browser.find_element(By.ID, "problem").text
    assert "members[1].birth_date" in problem and "no such date: (value not shown)" in problem
