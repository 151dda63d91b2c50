"""The dashboard in a real browser: headless Chromium (Debian's `chromium` + `chromium-driver`,
installed by .ci/run) driven by Selenium against a live sandbox.

Screenshots of each step go to tests/ui/screenshots/ (gitignored; `SANDBOX_UI_SCREENSHOTS`
moves them), so a CI run keeps what the page looked like.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from sandbox.testing import LiveServer, WebhookReceiver, live_sandbox

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="browser tests need Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)",
)
SHOTS = Path(os.environ.get("SANDBOX_UI_SCREENSHOTS", Path(__file__).parent / "screenshots"))
UI = "/_sandbox/ui"


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER or ""), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


@dataclass
class Page:
    driver: webdriver.Chrome
    server: LiveServer
    name: str

    def open(self, path: str) -> None:
        self.driver.get(self.server.url + path)
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete")
        assert self.driver.find_elements(By.TAG_NAME, "main"), self.driver.page_source[:500]

    def wait(self, condition, timeout: float = 10.0):
        return WebDriverWait(self.driver, timeout).until(condition)

    def text(self, css: str) -> str:
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def click(self, css: str) -> None:
        """Click, then wait for the reload the dashboard does after every successful action (a
        mark on the old window is gone once the new page is there)."""
        self.driver.execute_script("window.__before_click = true")
        self.driver.find_element(By.CSS_SELECTOR, css).click()
        self.wait(lambda d: d.execute_script("return window.__before_click === undefined && document.readyState === 'complete'"))

    def shot(self, step: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(1400, max(900, min(int(height), 4000)))
        path = SHOTS / f"{self.name}-{step}.png"
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(1400, 1000)
        return path

    def js_errors(self) -> list[str]:
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]


@pytest.fixture
def page(browser, request) -> Iterator[Page]:
    with live_sandbox("expiring-disputes") as server:
        browser.get_log("browser")  # drop what earlier tests left
        yield Page(browser, server, request.node.name.removeprefix("test_"))
        browser.get("about:blank")  # close the live feed before the server stops


def test_overview_loads_with_timeline_tenants_and_a_live_feed(page):
    page.open("/")
    assert page.driver.current_url.endswith(UI + "/")
    assert page.driver.title == "Overview · Dispute Sandbox"
    assert "reso_Expires1h" in page.text("#deadlines")
    assert "in 1h" in page.text("#deadlines")
    assert len(page.driver.find_elements(By.CSS_SELECTOR, ".axis .dot")) >= 15
    assert "whop_test_expiring" in page.text(".provider")
    page.wait(lambda d: "on" in d.find_element(By.ID, "live").get_attribute("class").split()
              if d.find_elements(By.ID, "live") else True)
    copy = page.driver.find_element(By.CSS_SELECTOR, "button.copy")
    copy.click()
    page.wait(lambda d: copy.text == "copied")
    page.shot("overview")
    assert page.js_errors() == []


def test_advance_the_clock_with_a_button_and_see_a_dispute_change_status(page):
    page.open(UI + "/records/whop/reso_Expires1d")
    assert page.text("#record-status") == "merchant_response_needed"
    page.shot("before")
    page.click("#advance-1d")
    assert page.text("#clock-now") == "2026-11-27T09:00:00Z"
    assert page.text("#record-status") == "under_platform_review"
    banner = page.text("#banner")
    assert "Clock now 2026-11-27T09:00:00.000Z" in banner and "reso_Expires1d" in banner
    assert "escalated" in page.text("#document") or "under_platform_review" in page.text("#document")
    page.shot("after")
    page.open("/")
    assert "reso_Expires1d" not in page.text("#deadlines")  # the axis moved on past it
    assert "reso_Expires3d" in page.text("#deadlines")
    assert page.js_errors() == []


def test_open_a_record_from_the_table_and_resolve_it(page):
    page.open(UI + "/records?provider=whop")
    page.driver.find_element(By.LINK_TEXT, "reso_Expires3d").click()
    page.wait(ec.title_contains("reso_Expires3d"))
    assert page.text("#record-status") == "merchant_info_needed"
    page.click("button.control[data-post$='/resolve']")
    assert page.text("#record-status") == "merchant_won"
    assert "merchant_won" in page.text("#banner")
    assert "merchant_won" in page.text("#record-events")
    page.shot("resolved")
    # a refused control shows the provider's reason and changes nothing
    page.driver.find_element(By.CSS_SELECTOR, "details.generic summary").click()
    path = page.driver.find_element(By.CSS_SELECTOR, "#generic-control input[name=path]")
    path.clear()
    path.send_keys("/_sandbox/whop/cases/reso_Expires3d/decide")
    body = page.driver.find_element(By.CSS_SELECTOR, "#generic-control textarea")
    body.clear()
    body.send_keys('{"winner": "nobody"}')
    page.driver.find_element(By.CSS_SELECTOR, "#generic-control button").click()
    page.wait(lambda d: "Refused (400)" in d.find_element(By.ID, "banner").text)
    banner = page.text("#banner")
    assert "Refused (400)" in banner and "winner" in banner, banner
    page.shot("refused")
    page.open(UI + "/records/whop/reso_Expires3d")
    assert page.text("#record-status") == "merchant_won"


def test_webhook_delivery_appears_live_and_can_be_redelivered(page):
    with WebhookReceiver() as receiver:
        page.server.subscribe("whop", "biz_ExpiringDemo1", receiver.url)
        page.open(UI + "/feed")
        assert "No webhook deliveries yet" in page.text("#feed-deliveries")
        answer = httpx.post(page.server.url + "/_sandbox/whop/cases/reso_Expires7d/resolve", json={"outcome": "customer_won"})
        assert answer.status_code == 200
        # no reload: the row arrives by server-sent events
        page.wait(lambda d: "succeeded" in d.find_element(By.ID, "feed-deliveries").text)
        row = page.text("#feed-deliveries tbody tr")
        assert "200" in row and " ms" in row and "1" in row
        assert "reso_Expires7d" in page.text("#feed-events")
        page.shot("delivered")
        first = len(receiver.wait_for(2))  # the case's update and its decision
        assert first == 2
        page.click("#feed-deliveries button[data-post$='/redeliver']")
        assert "Redelivering" in page.text("#banner")
        page.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#feed-deliveries tr.delivery.succeeded")) == first + 1)
        attempts = [r.find_elements(By.TAG_NAME, "td")[4].text
                    for r in page.driver.find_elements(By.CSS_SELECTOR, "#feed-deliveries tr.delivery")]
        assert attempts == ["2", "1", "1"]  # the redelivery is the message's second attempt
        assert len(receiver.wait_for(first + 1)) == first + 1
        assert receiver.received[-1].body in {r.body for r in receiver.received[:first]}  # same message
        page.shot("redelivered")
    assert page.js_errors() == []


def test_arm_a_fault_with_the_form_see_it_listed_and_clear_it(page):
    page.open(UI + "/faults")
    form = page.driver.find_element(By.ID, "fault-form")
    form.find_element(By.NAME, "status").clear()
    form.find_element(By.NAME, "status").send_keys("429")
    form.find_element(By.NAME, "count").clear()
    form.find_element(By.NAME, "count").send_keys("2")
    page.click("#fault-form button[type=submit]")
    table = page.text("#faults")
    assert "429" in table and "2" in table
    page.shot("armed")
    assert httpx.get(page.server.url + "/_sandbox/faults").json()["faults"][0]["status"] == 429
    page.click("#clear-faults")
    assert "No fault armed." in page.text("#faults")
    # a value the control plane refuses is shown, not stored
    form = page.driver.find_element(By.ID, "fault-form")
    form.find_element(By.NAME, "status").clear()
    form.find_element(By.NAME, "status").send_keys("200")
    page.driver.execute_script("document.querySelector('#fault-form [name=status]').removeAttribute('min')")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    page.wait(lambda d: "Refused (400)" in d.find_element(By.ID, "banner").text)
    assert httpx.get(page.server.url + "/_sandbox/faults").json()["faults"] == []


def test_set_the_clock_to_an_instant_then_reset(page):
    page.open("/")
    field = page.driver.find_element(By.CSS_SELECTOR, "#clock-set input[name=now]")
    page.driver.execute_script("arguments[0].value = '2026-11-29T10:00:00'", field)
    page.click("#clock-set button")
    assert page.text("#clock-now") == "2026-11-29T10:00:00Z"
    assert "event(s)" in page.text("#banner")
    page.open(UI + "/records/whop/reso_Expires3d")
    assert page.text("#record-status") == "under_platform_review"  # its +3d deadline passed
    page.driver.execute_script("window.confirm = () => true")
    page.click("#reset")
    assert page.text("#clock-now") == "2026-11-26T09:00:00Z"
    assert page.text("#record-status") == "merchant_info_needed"  # rebuilt as the scenario has it
    page.open("/")
    assert "reso_Expires1h" in page.text("#deadlines")


def test_a_change_made_elsewhere_flags_the_page_and_a_refresh_shows_it(page):
    page.open(UI + "/records/whop/reso_Expires1h")
    assert page.text("#record-status") == "merchant_response_needed"
    assert not page.driver.find_element(By.ID, "stale").is_displayed()
    moved = httpx.post(page.server.url + "/_sandbox/clock/advance", json={"duration": "2h"})
    assert moved.status_code == 200
    page.wait(lambda d: d.find_element(By.ID, "stale").is_displayed())
    assert page.text("#clock-now") == "2026-11-26T11:00:00Z"  # the clock follows live
    page.shot("stale")
    page.click("#stale")
    assert page.text("#record-status") == "under_platform_review"
    assert not page.driver.find_element(By.ID, "stale").is_displayed()
