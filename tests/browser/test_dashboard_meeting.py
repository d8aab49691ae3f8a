"""Meeting mode on a 1920 x 1080 screen: a leader opens the dashboard's meeting view from a
link (no menu), it refreshes itself, and a click on a bar of the units with most
complaints opens the list of those complaints. Screenshots stay in the test's folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_inspection_flow import app_page, settle
from tests.browser.test_signin_navigation import expect_signin_form, sign_in, zh

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

REFRESH_S = 5
WAIT_MS = 90_000  # a refresh every 5 s, on a busy two-core machine


def _refreshed_at(page) -> str:
    stamp = page.get_by_text(re.compile(r"最后刷新 \d\d:\d\d:\d\d"))
    expect(stamp).to_be_visible(timeout=WAIT_MS)
    return re.search(r"\d\d:\d\d:\d\d", stamp.inner_text()).group(0)


def test_meeting_mode_refreshes_and_a_bar_opens_its_list(
    browser: Browser, server: str, demo_password: str, tmp_path: Path
) -> None:
    with app_page(browser, 1920, 1080, touch=False) as page:
        page.goto(f"{server}/dashboard?meeting=1&every={REFRESH_S}&p=last12")
        expect_signin_form(page)
        sign_in(page, "leader", demo_password)
        first = _refreshed_at(page)
        # No menu in meeting mode: the top navigation is not drawn.
        expect(page.get_by_test_id("stTopNavLink")).to_have_count(0)
        expect(page.get_by_role("button", name=zh("dash.meeting_exit"))).to_be_visible()
        # One automatic refresh: the time of the last refresh moves on by itself.
        expect(page.get_by_text(re.compile(r"最后刷新 \d\d:\d\d:\d\d"))).not_to_contain_text(
            first, timeout=WAIT_MS)
        page.screenshot(path=str(tmp_path / "1-meeting.png"), full_page=True)

        panel = page.locator(".st-key-panel_top_complaints_meet")
        panel.scroll_into_view_if_needed()
        bar = panel.locator("g.trace.bars g.point path").last  # the top unit's bar
        expect(bar).to_be_visible(timeout=WAIT_MS)
        # Plotly's drag layer lies over the bars and turns a click on it into a selection
        # of the bar beneath: click where a user would, at the bar's middle.
        box = bar.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        listing = page.locator(".st-key-dash_drill_top_complaints")
        expect(listing.get_by_text(re.compile(r"对应的投诉（\d+ 件）"))).to_be_visible(
            timeout=WAIT_MS)
        expect(listing.get_by_test_id("stDataFrame")).to_be_visible()
        settle(page, WAIT_MS)
        listing.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "2-drill-down.png"), full_page=True)
