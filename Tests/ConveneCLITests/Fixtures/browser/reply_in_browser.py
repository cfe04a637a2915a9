#!/usr/bin/env python3
"""Replies through the reply page in a real browser: Debian's chromium, driven by chromedriver
(selenium), headless. Used by Convene's tests.

  reply_in_browser.py URL --driver /usr/bin/chromedriver --browser /usr/bin/chromium
      [--other URL] [--arabic URL] [--admin URL] [--screenshots DIR]

Opens URL (a personal reply link), checks the page is usable without JavaScript and accessible
(a language, every field labelled, no focus order forced), confirms the first track with a
request for speaking time, sends a substitute to the second, submits, and checks the page shows
what was recorded. Then: a forged link (one character changed) shows no data and no form; the
form's token replayed against another delegation's link (--other) is refused; the Arabic page
(--arabic) reads right to left; the organisers' view (--admin) shows the reply. Screenshots of
the reply page and of the organisers' view in French and Arabic go to --screenshots. Prints what
it saw as JSON; exits 1 with the reason on the first failure.
"""
import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def fail(reason):
    print(json.dumps({"ok": False, "reason": reason}))
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--driver", required=True)
    parser.add_argument("--browser", required=True)
    parser.add_argument("--other")
    parser.add_argument("--arabic")
    parser.add_argument("--admin")
    parser.add_argument("--screenshots")
    args = parser.parse_args()
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)

    def shot(driver, name):
        if args.screenshots:
            driver.set_window_size(1000, 1400)
            driver.save_screenshot(os.path.join(args.screenshots, name))

    options = Options()
    options.binary_location = args.browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    # The page must work without JavaScript.
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(args.driver), options=options)
    try:
        driver.get(args.url)
        html = driver.find_element(By.TAG_NAME, "html")
        language = html.get_attribute("lang")
        if not language:
            fail("the page has no language")
        fields = driver.find_elements(By.CSS_SELECTOR, "input:not([type=hidden])")
        if not fields:
            fail("no form")
        for field in fields:
            labelled = field.find_elements(By.XPATH, "ancestor::label")
            if not labelled and field.get_attribute("id"):
                labelled = driver.find_elements(By.CSS_SELECTOR, "label[for='%s']" % field.get_attribute("id"))
            if not labelled:
                fail("field %s has no label" % field.get_attribute("name"))
            tabindex = field.get_attribute("tabindex")
            if tabindex and int(tabindex) > 0:
                fail("field %s forces the focus order" % field.get_attribute("name"))
        legends = [e.text for e in driver.find_elements(By.TAG_NAME, "legend")]
        shot(driver, "reply-page-fr.png")
        radios = driver.find_elements(By.CSS_SELECTOR, "input[type=radio][value=confirm]")
        if len(radios) < 2:
            fail("expected two tracks, found %d" % len(radios))
        first = radios[0].get_attribute("name").split(".")[0]
        second = radios[1].get_attribute("name").split(".")[0]
        radios[0].click()
        driver.find_element(By.NAME, first + ".speaking").click()
        driver.find_element(By.CSS_SELECTOR, "input[name='%s.answer'][value=substitute]" % second).click()
        driver.find_element(By.NAME, second + ".substitute_name").send_keys("Jeanne Dupont")
        driver.find_element(By.NAME, second + ".substitute_title").send_keys("Ambassadrice")
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        status = driver.find_elements(By.CSS_SELECTOR, "[role=status]")
        if not status:
            fail("no confirmation after submitting: " + driver.find_element(By.TAG_NAME, "body").text[:500])
        body = driver.find_element(By.TAG_NAME, "body").text
        if "Jeanne Dupont" not in body:
            fail("the recorded substitute is not shown")
        seen = {"ok": True, "language": language, "tracks": legends, "status": status[0].text}

        # A forged link: one character of the signature changed.
        forged = args.url[:-1] + ("A" if args.url[-1] != "A" else "B")
        driver.get(forged)
        if driver.find_elements(By.TAG_NAME, "form") or not driver.find_elements(By.CSS_SELECTOR, "[role=alert]"):
            fail("a forged link opened the form")
        seen["forged"] = driver.find_element(By.CSS_SELECTOR, "[role=alert]").text

        # The form's token replayed against another delegation's link.
        if args.other:
            page = urllib.request.urlopen(args.url).read().decode()
            token = re.search(r'name="form-token" value="([^"]+)"', page).group(1)
            data = urllib.parse.urlencode({"form-token": token, "plenary.answer": "decline"}).encode()
            try:
                urllib.request.urlopen(urllib.request.Request(args.other, data=data, method="POST"))
                fail("a form replayed against another delegation's link was accepted")
            except urllib.error.HTTPError as error:
                if error.code != 403:
                    fail("a replayed form got %d, not 403" % error.code)
            seen["replayed"] = 403

        if args.arabic:
            driver.get(args.arabic)
            if driver.find_element(By.TAG_NAME, "html").get_attribute("dir") != "rtl":
                fail("the Arabic page does not read right to left")
            shot(driver, "reply-page-ar.png")
            seen["arabic"] = "rtl"

        if args.admin:
            for lang in ("fr", "ar"):
                driver.get(args.admin + "&lang=" + lang)
                if "Jeanne Dupont" not in driver.find_element(By.TAG_NAME, "body").text:
                    fail("the organisers' view does not show the reply")
                shot(driver, "admin-%s.png" % lang)
            seen["admin"] = True
        print(json.dumps(seen, ensure_ascii=False))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
