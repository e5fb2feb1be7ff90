"""The arena's web pages in a real browser (Debian's Chromium, Playwright for Python) against a running demo.

In file order: live progress while the first evaluation runs; then, once both example agents are eligible,
every page (200, no console error, a screenshot), the leaderboard against `/v1/public/leaderboard`, click
navigation down to a trajectory, keyboard use, phone and dark-mode renderings, and helpful 404 pages.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
import uuid

import pytest

from .conftest import Console, screenshot

PAGE_BUDGET_BYTES = 150_000


def running_qualifying_run(demo):
    running = demo.api("/v1/public/evaluations/running")
    return next((r for r in running if r.get("phase") == "QUALIFYING"), None)


def test_live_progress_changes_while_an_evaluation_runs(demo, context):
    page = context.new_page()
    console = Console().watch(page)
    for attempt in range(10):
        run = demo.wait_for("a running evaluation", lambda: running_qualifying_run(demo), timeout=600, interval=0.1)
        response = page.goto(demo.url(f"/agents/{run['agent_version_id']}"))
        assert response.status == 200
        # An evaluation can finish between the API's answer and the page load: then take the next one.
        if page.locator("#live [data-live-final]").count() == 0:
            break
    else:
        pytest.fail("every evaluation finished before its page loaded")
    page.evaluate("window.__loadedOnce = 'yes'")
    first = page.inner_text("#live")
    # The live region refreshes from its fragment URL: its text changes (problems finish, runs complete) while
    # the page itself is never reloaded.
    page.wait_for_function(
        "(first) => document.querySelector('#live').innerText !== first", arg=first, timeout=240_000, polling=500)
    assert page.evaluate("window.__loadedOnce") == "yes", "the page reloaded instead of updating in place"
    assert page.get_attribute("#live", "data-live-updated") is not None
    screenshot(page, "agent-live-progress")
    # The run page updates live too.
    page.goto(demo.url(f"/runs/{run['eval_run_id']}"))
    page.evaluate("window.__loadedOnce = 'run'")
    before = page.inner_text("#live")
    if "data-live-final" not in page.inner_html("#live"):
        page.wait_for_function(
            "(first) => document.querySelector('#live').innerText !== first", arg=before, timeout=240_000, polling=500)
        assert page.evaluate("window.__loadedOnce") == "run"
    assert console.errors == []


@pytest.fixture(scope="module")
def finished(demo):
    """Waits until the demo's three example agents are on the leaderboard; returns the API's board."""
    def board():
        data = demo.api("/v1/public/leaderboard")
        return data if data.get("total", 0) >= 3 else None
    return demo.wait_for("the three example agents to be eligible", board, timeout=900, interval=1)


@pytest.fixture(scope="module")
def ids(demo, finished):
    """Real ids for every page: the top version, one of its runs, one of the run's problems, its miner."""
    version = finished["entries"][0]["agent_version_id"]
    runs = demo.api(f"/v1/public/agent-versions/{version}/runs")
    run = next(r for r in runs if r["status"] == "SUCCESS")
    problems = demo.api(f"/v1/public/agent-versions/{version}/problems")["problems"]
    problem = next(p["problem_id"] for p in problems
                   if any(v["eval_run_id"] == run["eval_run_id"] for v in p["validator_results"]))
    return {"version": version, "run": run["eval_run_id"], "problem": problem,
            "miner": finished["entries"][0]["miner_hotkey"]}


def page_paths(ids):
    return {
        "leaderboard": "/",
        "leaderboard-race": "/?tab=race",
        "leaderboard-search": "/?q=" + ids["miner"][:6],
        "agent": f"/agents/{ids['version']}",
        "run": f"/runs/{ids['run']}",
        "trajectory": f"/runs/{ids['run']}/problems/{ids['problem']}",
        "races": "/races",
        "miner": f"/miners/{ids['miner']}",
        "corpus": "/corpus",
        "validators": "/validators",
    }


def test_every_page_loads_without_console_errors(demo, context, ids):
    timings = {}
    for name, path in page_paths(ids).items():
        page = context.new_page()
        console = Console().watch(page)
        response = page.goto(demo.url(path))
        assert response.status == 200, f"{path}: HTTP {response.status}"
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        body = response.body()
        assert len(body) < PAGE_BUDGET_BYTES, f"{path} is {len(body)} bytes"
        match = re.search(r"app;dur=([0-9.]+)", response.headers.get("server-timing", ""))
        assert match, f"{path} has no Server-Timing header"
        timings[name] = float(match.group(1))
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").count() == 1, f"{path} should have exactly one h1"
        screenshot(page, name)
        assert console.errors == [], f"{path}: {console.errors}"
        page.close()
    print("server render times (ms):", timings)


def test_leaderboard_rows_equal_the_public_api(demo, context, finished):
    page = context.new_page()
    page.goto(demo.url("/"))
    # The board as the API gives it right after the page was rendered (an evaluation may finish in between).
    finished = demo.api("/v1/public/leaderboard")
    rows = page.locator("table.board tbody tr")
    assert rows.count() == len(finished["entries"])
    for i, entry in enumerate(finished["entries"]):
        row = rows.nth(i)
        assert row.get_attribute("data-version-id") == entry["agent_version_id"]
        cells = row.locator("td")
        assert cells.nth(0).inner_text().strip() == str(entry["rank"])
        assert cells.nth(1).locator("a.agent").inner_text().strip() == entry["agent_name"]
        assert cells.nth(2).locator("button.copy").get_attribute("data-copy") == entry["miner_hotkey"]
        assert cells.nth(3).inner_text().strip() == f"{entry['final_score']:.4f}"
    miners = page.locator(".tile", has_text="Unique miners")
    assert miners.locator(".value").text_content().strip() == str(finished["unique_miners"])


def test_navigation_by_clicking_down_to_a_trajectory(demo, context, finished):
    page = context.new_page()
    console = Console().watch(page)
    page.goto(demo.url("/"))
    page.locator("table.board tbody tr").first.locator("a.agent").click()
    page.wait_for_url(re.compile(r"/agents/[0-9a-f-]{36}$"))
    assert finished["entries"][0]["agent_version_id"] in page.url
    page.locator("#live table.data a[href^='/runs/']").first.click()
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    assert page.locator("h1").inner_text().startswith("Run ")
    page.locator("table.problems a[href*='/problems/']").first.click()
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}/problems/.+$"))
    assert page.locator("h1").inner_text().startswith("Trajectory")
    assert page.locator("blockquote.request").inner_text().strip() != ""
    assert page.locator("ol.steps > li.step").count() >= 1
    assert page.locator("#audit-h").count() == 1
    screenshot(page, "trajectory-by-click")
    assert console.errors == []


def test_keyboard_reaches_the_skip_link_and_main_content(demo, context, finished):
    page = context.new_page()
    page.goto(demo.url("/"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # After the skip link, focus continues inside main, not in the site navigation.
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_phone_and_dark_mode_renderings(demo, browser, ids):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    try:
        for name, path in [("leaderboard", "/"), ("trajectory", f"/runs/{ids['run']}/problems/{ids['problem']}")]:
            page = phone.new_page()
            console = Console().watch(page)
            page.goto(demo.url(path))
            # Nothing but tables scrolls sideways on a phone.
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{path} overflows a phone screen by {overflow}px"
            screenshot(page, f"phone-{name}")
            assert console.errors == []
    finally:
        phone.close()
    dark = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    try:
        page = dark.new_page()
        page.goto(demo.url("/"))
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(15, 17, 21)", background
        screenshot(page, "dark-leaderboard", full_page=False)
        page.goto(demo.url(f"/agents/{ids['version']}"))
        screenshot(page, "dark-agent", full_page=False)
    finally:
        dark.close()


@pytest.mark.parametrize("path, heading", [
    ("/agents/{uuid}", "No such agent version"),
    ("/runs/{uuid}", "No such evaluation run"),
    ("/runs/{uuid}/problems/anything", "No such evaluation run"),
    ("/races/{uuid}", "No such race"),
    ("/miners/5NotARealMinerHotkey", "No such miner"),
    ("/there/is/no/such/page", "Page not found"),
])
def test_unknown_ids_give_a_helpful_404_page(demo, context, path, heading):
    page = context.new_page()
    response = page.goto(demo.url(path.format(uuid=uuid.uuid4())))
    assert response.status == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert page.locator("h1").inner_text() == heading
    assert page.locator("main a[href='/']").count() >= 1, "the 404 page links back to the leaderboard"
    assert page.locator("main form[role=search]").count() == 1
    if path.startswith("/agents"):
        screenshot(page, "not-found")


def test_pages_need_nothing_from_elsewhere(demo, context, ids):
    """Every request a page makes goes to the arena itself (no CDN): pages work offline."""
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for path in page_paths(ids).values():
        page.goto(demo.url(path))
        page.wait_for_load_state("networkidle")
    foreign = [url for url in requests if not url.startswith(demo.base_url)]
    assert foreign == []
