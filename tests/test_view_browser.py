"""``docparse view`` in a real browser: Chromium headless (Debian's ``chromium`` and
``chromium-driver``, which ``.ci/run`` installs) driven by selenium (the ``browser`` extra).

The page of the seed and the page of a letter with page geometry (the readers' contract:
``source.pages`` and ``source.lines``, built here) are opened from files; every part is
labelled where a reader sees it, a repair shows its text as read and as repaired on hover
and on keyboard focus, the keys move between parts, repairs and letters, no message reaches
the browser's console, and a ``<script>`` inside a letter stays text (it would set a global
the test finds absent). A screenshot of each page is written to a temporary folder and
its path printed (``pytest -s -m browser`` shows them).

Skipped, saying why, only where Chromium, its driver or selenium is not installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED_SEED_PATH
from test_view import GEOMETRY_LETTER, HOSTILE, _geometry_dict

import docparse
from docparse.view import to_html

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("Chromium or chromedriver is not installed (Debian: apt-get install chromium "
                    "chromium-driver; .ci/run installs them)")
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium is not installed (pip install -e '.[browser]')")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", f"--user-data-dir={profile}", "--window-size=1400,1100"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver: Any, page: str, path: Path) -> None:
    path.write_text(page, encoding="utf-8")
    driver.get(path.as_uri())
    driver.get_log("browser")  # (drain: each test reads the messages of its own page)


def _console(driver: Any) -> list[dict[str, Any]]:
    return list(driver.get_log("browser"))


def _shot(driver: Any, path: Path) -> None:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1400, min(max(height, 800), 6000))
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    print(f"screenshot: {path}")
    driver.set_window_size(1400, 1100)


def _active(driver: Any) -> Any:
    return driver.switch_to.active_element


@pytest.fixture(scope="module")
def seed_html() -> str:
    return to_html(docparse.run_repairs(docparse.parse_file(BUNDLED_SEED_PATH)).doc)


def test_seed_page_labels_every_part(browser: Any, seed_html: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, seed_html, tmp_path / "seed.html")
    parts = browser.find_elements(By.CSS_SELECTOR, ".part")
    assert len(parts) > 30
    labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('.part, .src-block[data-part], .group'))"
        ".map(e => { const t = e.querySelector(':scope > .tag');"
        " return t ? [t.innerText.trim(), t.getBoundingClientRect().width] : ['', 0]; });")
    assert all(text and width > 0 for text, width in labels), [x for x in labels if not x[0] or not x[1]][:3]
    shown = {text.lower() for text, _ in labels}
    assert {"date", "recipient address", "salutation", "paragraph", "signatory title",
            "signatory name", "closing", "running header", "page break"} <= shown
    assert len(browser.find_elements(By.CSS_SELECTOR, "article.letter")) == 2
    assert browser.find_elements(By.CSS_SELECTOR, ".diagnostics li")
    _shot(browser, tmp_path / "seed.png")
    assert _console(browser) == []


def test_repair_shows_before_and_after_on_hover_and_focus(browser: Any, seed_html: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    _open(browser, seed_html, tmp_path / "seed.html")
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.repair")
    target = next(m for m in marks if m.find_element(By.CSS_SELECTOR, ".now").get_attribute("textContent") == "Ranking")
    tip = target.find_element(By.CSS_SELECTOR, ".tip")
    assert not tip.is_displayed()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    ActionChains(browser).move_to_element(target).perform()
    assert tip.is_displayed()
    assert "Raning" in tip.text and "Ranking" in tip.text
    ActionChains(browser).move_by_offset(0, 300).perform()  # away: hidden again
    # the keyboard: n moves to the first repair, whose tip shows on focus
    browser.find_element(By.TAG_NAME, "body").click()
    browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
    ActionChains(browser).send_keys("n").perform()
    first = _active(browser)
    assert first.get_attribute("class") == "repair" and first.get_attribute("id") == marks[0].get_attribute("id")
    first_tip = first.find_element(By.CSS_SELECTOR, ".tip")
    assert first_tip.is_displayed()
    before = first_tip.find_element(By.CSS_SELECTOR, ".before").text
    after = first_tip.find_element(By.CSS_SELECTOR, ".after").text
    assert before and after and before != after
    ActionChains(browser).send_keys("n").perform()
    assert _active(browser).get_attribute("id") == marks[1].get_attribute("id")
    ActionChains(browser).send_keys("p").perform()
    assert _active(browser).get_attribute("id") == marks[0].get_attribute("id")
    assert _console(browser) == []


def test_keys_move_between_parts_and_letters(browser: Any, seed_html: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    _open(browser, seed_html, tmp_path / "seed.html")
    parts = browser.find_elements(By.CSS_SELECTOR, ".part")
    ActionChains(browser).send_keys("j").perform()
    assert _active(browser).get_attribute("id") == parts[0].get_attribute("id")
    ActionChains(browser).send_keys("j").send_keys("j").perform()
    third = _active(browser)
    assert third.get_attribute("id") == parts[2].get_attribute("id")
    # the source block of the part in focus is outlined
    pid = third.get_attribute("id")
    linked = browser.find_elements(By.CSS_SELECTOR, f'.src-block[data-part="{pid}"]')
    assert linked and all("linked" in e.get_attribute("class").split() for e in linked)
    ActionChains(browser).send_keys("k").perform()
    assert _active(browser).get_attribute("id") == parts[1].get_attribute("id")
    ActionChains(browser).send_keys("]").perform()
    assert _active(browser).get_attribute("id") == "letter-2-h"
    ActionChains(browser).send_keys("j").perform()  # the first part of the second letter
    second_letter = browser.find_element(By.ID, "letter-2")
    assert _active(browser).get_attribute("id") == second_letter.find_element(By.CSS_SELECTOR, ".part").get_attribute("id")
    ActionChains(browser).send_keys("[").perform()
    assert _active(browser).get_attribute("id") == "letter-2-h"
    ActionChains(browser).send_keys("[").perform()
    assert _active(browser).get_attribute("id") == "letter-1-h"
    ActionChains(browser).send_keys("?").perform()
    assert browser.find_element(By.ID, "help").get_attribute("open") is not None
    # a click on a source block moves to its part
    block = browser.find_elements(By.CSS_SELECTOR, ".src-block[data-part]")[5]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", block)
    block.click()
    assert _active(browser).get_attribute("id") == block.get_attribute("data-part")
    assert _console(browser) == []


def test_script_in_a_letter_stays_text(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = to_html(docparse.parse(HOSTILE, name="<script>window.__docparse_pwned=3</script>.txt"))
    _open(browser, page, tmp_path / "hostile.html")
    assert browser.execute_script("return typeof window.__docparse_pwned") == "undefined"
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "<script>window.__docparse_pwned = 1;</script>" in body
    assert '<img src=x onerror="window.__docparse_pwned=2">' in body
    assert browser.title.startswith("<script>window.__docparse_pwned=3</script>.txt")
    assert not browser.find_elements(By.CSS_SELECTOR, "main img, main b")
    assert _console(browser) == []


def test_page_layout_drawn_from_boxes(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    data = _geometry_dict()
    page = to_html(docparse.from_dict(data), source=data["source"])
    _open(browser, page, tmp_path / "geometry.html")
    boxes = browser.find_elements(By.CSS_SELECTOR, "section.pages g.box")
    assert len(boxes) == len([line for line in GEOMETRY_LETTER.split("\n") if line])
    sizes = [b.find_element(By.TAG_NAME, "rect").rect for b in boxes]
    assert all(s["width"] > 0 and s["height"] > 0 for s in sizes)
    date = next(b for b in boxes if b.find_element(By.TAG_NAME, "text").get_attribute("textContent") == "date")
    body = next(b for b in boxes if b.find_element(By.TAG_NAME, "text").get_attribute("textContent") == "paragraph")
    # the right-set date is drawn right of the paragraph's start, above it
    assert date.find_element(By.TAG_NAME, "rect").rect["x"] > body.find_element(By.TAG_NAME, "rect").rect["x"]
    assert date.find_element(By.TAG_NAME, "rect").rect["y"] < body.find_element(By.TAG_NAME, "rect").rect["y"]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", date)
    date.click()
    assert _active(browser).get_attribute("data-type") == "date"
    assert "linked" in date.get_attribute("class").split()
    _shot(browser, tmp_path / "geometry.png")
    assert _console(browser) == []


def test_page_of_an_alto_letter_from_tesseract(browser: Any, tmp_path: Path) -> None:
    """`docparse view` of a letter Tesseract wrote as ALTO (one of our own letters,
    tests/fixtures/readers): every part labelled, the page drawn from the OCR line boxes,
    each box in its part's colour, no console error."""
    from click.testing import CliRunner
    from selenium.webdriver.common.by import By

    from docparse.cli import cli

    alto = Path(__file__).parent / "fixtures" / "readers" / "cover_letter_us.styled.alto.xml"
    out = tmp_path / "alto.html"
    result = CliRunner().invoke(cli, ["view", str(alto), "-o", str(out)])
    assert result.exit_code == 0, result.output
    _open(browser, out.read_text(encoding="utf-8"), out)
    parts = browser.find_elements(By.CSS_SELECTOR, ".part")
    assert parts and all(p.find_element(By.CSS_SELECTOR, ":scope > .tag").text.strip() for p in parts)
    boxes = browser.find_elements(By.CSS_SELECTOR, "section.pages g.box")
    lines = docparse.to_dict(docparse.parse_file(alto))["source"]["lines"]
    assert len(boxes) == len(lines) > 10
    labels = {b.find_element(By.TAG_NAME, "text").get_attribute("textContent") for b in boxes}
    assert {"date", "salutation", "paragraph"} <= labels
    _shot(browser, tmp_path / "alto.png")
    assert _console(browser) == []
