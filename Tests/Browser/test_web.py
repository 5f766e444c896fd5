"""The web pages in a real browser: Debian's chromium, headless, driven by selenium through chromium-driver.

Runs against a real `darkroom serve` on a loopback port with a scratch database (see scripts/browser-tests,
which `make test` calls). Saves screenshots of the dashboard, the playground and the docs under
docs/screenshots/ for the README.
"""
import json
import os
import time
import unittest
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["DARKROOM_BROWSER_BASE"]
EMAIL = os.environ["DARKROOM_BROWSER_EMAIL"]
PASSWORD = os.environ["DARKROOM_BROWSER_PASSWORD"]
TEAM = os.environ["DARKROOM_BROWSER_TEAM"]
PHOTO = os.environ["DARKROOM_BROWSER_PHOTO"]
SHOTS = os.environ.get("DARKROOM_BROWSER_SCREENSHOTS", "docs/screenshots")
# Debug builds run the model slowly: a preview may take a while.
PREVIEW_TIMEOUT = float(os.environ.get("DARKROOM_BROWSER_PREVIEW_TIMEOUT", "180"))


def api(path, key):
    request = urllib.request.Request(BASE + path, headers={"x-api-key": key})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class WebInABrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--disable-gpu"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
        cls.driver = webdriver.Chrome(options=options, service=service)
        cls.wait = WebDriverWait(cls.driver, 20)
        os.makedirs(SHOTS, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    def assert_no_console_errors(self):
        errors = [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]
        self.assertEqual(errors, [], "console errors")

    def assert_inputs_are_labelled(self):
        unlabelled = self.driver.execute_script("""
            return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))
              .map(e => e.outerHTML.slice(0, 80));""")
        self.assertEqual(unlabelled, [], "inputs without a label")

    def sign_in_by_keyboard(self):
        driver = self.driver
        driver.delete_all_cookies()
        driver.get(BASE + "/signin")
        self.assert_inputs_are_labelled()
        body = driver.find_element(By.TAG_NAME, "body")
        body.click()
        # Tab until the email field has focus: it must be reachable from the keyboard alone.
        for _ in range(15):
            if driver.switch_to.active_element.get_attribute("id") == "email":
                break
            driver.switch_to.active_element.send_keys(Keys.TAB)
        self.assertEqual(driver.switch_to.active_element.get_attribute("id"), "email")
        driver.switch_to.active_element.send_keys(EMAIL, Keys.TAB)
        self.assertEqual(driver.switch_to.active_element.get_attribute("id"), "password")
        driver.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)
        self.wait.until(EC.url_contains("/dashboard/"))

    def test_1_keyboard_sign_in_switch_team_and_keys(self):
        driver = self.driver
        self.sign_in_by_keyboard()
        self.assert_inputs_are_labelled()
        # The team switcher at the top left lists the personal space and the team; switch to the team.
        switcher = driver.find_element(By.ID, "team-switcher")
        switcher.find_element(By.TAG_NAME, "summary").click()
        links = switcher.find_elements(By.TAG_NAME, "a")
        self.assertGreaterEqual(len(links), 2)
        next(link for link in links if link.get_attribute("href").endswith("/dashboard/" + TEAM)).click()
        self.wait.until(EC.url_to_be(BASE + "/dashboard/" + TEAM))
        self.assertIn(TEAM, driver.find_element(By.TAG_NAME, "h1").text)

        # Create a key: shown once, works against /v1/account.
        label = driver.find_element(By.ID, "key-label")
        label.send_keys("browser")
        label.submit()
        key = self.wait.until(EC.presence_of_element_located((By.ID, "new-key"))).text.strip()
        self.assertTrue(key.startswith("dk_"))
        self.assertEqual(api("/v1/account", key), 200)

        # Reload: the key is gone from the page. Revoke it: 403 from then on.
        driver.get(BASE + "/dashboard/" + TEAM)
        self.assertNotIn(key, driver.page_source)
        row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "#keys tbody tr")
                   if r.find_element(By.NAME, "label").get_attribute("value") == "browser" and "active" in r.text)
        row.find_element(By.CSS_SELECTOR, "button.danger").click()
        self.wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "p.notice"), "revoked"))
        self.assertEqual(api("/v1/account", key), 403)
        self.assert_no_console_errors()

    def test_2_playground_preview(self):
        driver = self.driver
        self.sign_in_by_keyboard()
        driver.get(BASE + "/playground?team=" + TEAM + "&outputSize=400x300&padding=0.1")
        self.assert_inputs_are_labelled()
        # The cross rules are enforced in the form: no blur radius without a blur mode.
        self.assertFalse(driver.find_element(By.ID, "f-background.blur.radius").is_enabled())
        Select(driver.find_element(By.ID, "f-background.blur.mode")).select_by_visible_text("gaussian")
        self.assertTrue(driver.find_element(By.ID, "f-background.blur.radius").is_enabled())
        Select(driver.find_element(By.ID, "f-background.blur.mode")).select_by_index(0)
        # outputSize is 400x300 (fixed): maxWidth is off, with the reason.
        self.assertFalse(driver.find_element(By.ID, "f-maxWidth").is_enabled())
        self.assertIn("outputSize 400x300", driver.find_element(By.ID, "f-maxWidth-why").text)
        driver.find_element(By.ID, "f-background.color").send_keys("F4E3C1")
        driver.find_element(By.ID, "f-imageFile").send_keys(PHOTO)
        WebDriverWait(driver, PREVIEW_TIMEOUT).until(
            lambda d: d.execute_script("const i = document.getElementById('result'); return i.complete && i.naturalWidth > 0;"))
        size = driver.execute_script("const i = document.getElementById('result'); return [i.naturalWidth, i.naturalHeight];")
        self.assertEqual(size, [400, 300])
        self.assertIn("-F 'background.color=F4E3C1'", driver.find_element(By.ID, "curl").text)
        # Debounce and cancellation: five quick changes send one request; a change while it runs aborts it.
        driver.execute_script("""
            window.__calls = 0; window.__aborts = 0; const real = window.fetch;
            window.fetch = (url, options) => { window.__calls++;
              options.signal.addEventListener('abort', () => window.__aborts++); return real(url, options); };""")
        padding = driver.find_element(By.ID, "f-padding")
        for value in ("0.11", "0.12", "0.13", "0.14", "0.15"):
            driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", padding, value)
        WebDriverWait(driver, 10).until(lambda d: d.execute_script("return window.__calls") == 1)
        busy = driver.execute_script("""arguments[0].value = '0.1';
            const busy = document.getElementById('preview-pane').classList.contains('busy');
            arguments[0].dispatchEvent(new Event('input', {bubbles: true})); return busy;""", padding)
        WebDriverWait(driver, 10).until(lambda d: d.execute_script("return window.__calls") == 2)
        calls, aborts = driver.execute_script("return [window.__calls, window.__aborts]")
        self.assertEqual(calls, 2)
        # The first request is aborted exactly when it was still running as the change came.
        self.assertEqual(aborts, 1 if busy else 0)
        WebDriverWait(driver, PREVIEW_TIMEOUT).until(lambda d: d.find_element(By.ID, "status").text.startswith("Done"))
        self.assertIn("background.color=F4E3C1", driver.find_element(By.ID, "share").get_attribute("href"))
        # Half before, half after; then the screenshot from the top of the page.
        driver.execute_script("const s = document.getElementById('slider'); s.value = 50; s.dispatchEvent(new Event('input'));")
        driver.execute_script("window.scrollTo(0, 0); document.activeElement.blur();")
        driver.save_screenshot(os.path.join(SHOTS, "playground.png"))
        # A bad value is answered inline, without a crash.
        driver.find_element(By.ID, "f-background.color").send_keys("zz")
        WebDriverWait(driver, PREVIEW_TIMEOUT).until(
            lambda d: "background.color" in d.find_element(By.ID, "error").text)
        # The failed request is the only console message allowed: the page itself logs no error.
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE" and "/playground/preview" not in e["message"]]
        self.assertEqual(errors, [])

    def test_3_docs_list_every_route(self):
        driver = self.driver
        with urllib.request.urlopen(BASE + "/openapi.json", timeout=30) as response:
            document = json.load(response)
        driver.get(BASE + "/docs")
        headings = {element.text for element in driver.find_elements(By.CSS_SELECTOR, "section.route h3 code")}
        for path, operations in document["paths"].items():
            for method in operations:
                self.assertIn(f"{method.upper()} {path}", headings)
        driver.find_element(By.ID, "guide-layout").location_once_scrolled_into_view
        driver.save_screenshot(os.path.join(SHOTS, "docs.png"))
        # The dashboard after the playground's preview: the usage chart and the recent calls show it.
        self.sign_in_by_keyboard()
        driver.set_window_size(1280, 1700)
        driver.get(BASE + "/dashboard/" + TEAM)
        self.assertTrue(driver.find_elements(By.CSS_SELECTOR, "#usage-chart rect.bar"))
        driver.save_screenshot(os.path.join(SHOTS, "dashboard.png"))
        driver.set_window_size(1280, 900)
        driver.get(BASE + "/changelog")
        self.assertIn("Unreleased", driver.find_element(By.TAG_NAME, "h2").text)
        self.assert_no_console_errors()


if __name__ == "__main__":
    unittest.main(verbosity=2)
