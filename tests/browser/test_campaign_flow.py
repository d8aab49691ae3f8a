"""The campaign in a real browser: the power company's liaison reports this month's
progress on its task with a scan attached (100 %: done); the service centre's liaison adds
its contribution note to a task it helps with; the office's board shows the task's light
changed. Screenshots of each step stay in the test's output folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from services.core import clock
from tests.browser.test_inspection_flow import (
    app_page,
    choose,
    innermost_block,
    open_menu_page,
    rerun,
    sign_in_to,
)
from tests.browser.test_signin_navigation import zh
from tests.factories import a_pdf

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

TASK = "供电供暖供水服务提速"  # GZ4-3, led by 市供电公司 (unit_gdj)
NOTE = "浏览器测试：配合牵头单位梳理进驻事项清单"


def _task_line(page: Page):
    """The task's bordered line on the board: its title, light, bar and sentence."""
    return innermost_block(page, page, page.get_by_text(TASK), page.get_by_test_id("stProgress"))


def _office_board(page: Page, server: str, password: str) -> str:
    sign_in_to(page, server, "office", password, "nav.workbench")
    open_menu_page(page, "campaign_board", "nav.campaign_board")
    line = _task_line(page)
    expect(line).to_be_visible()
    return line.inner_text()


def _lead_reports(page: Page, server: str, password: str, scan: Path, shots: Path) -> None:
    sign_in_to(page, server, "unit_gdj", password, "nav.unit_tasks")
    month = f"{clock.today():%Y-%m}"
    choose(page, zh("campaign_ui.month"), month, month)
    percent = page.get_by_role("spinbutton", name=zh("campaign_ui.percent"), exact=True)
    percent.fill("100")
    percent.press("Tab")
    page.get_by_role("textbox", name=zh("campaign_ui.done"), exact=True).fill(
        "浏览器测试：报装流程全部上线，抢修平均 1.5 小时到场")
    submit = page.get_by_role("button", name=zh("campaign_ui.submit_report"), exact=True)
    # The monthly form's own uploader (the work reports below have theirs); inside a form
    # the upload waits for the submit: no script run until then.
    form = page.get_by_test_id("stForm").filter(has=submit)
    form.locator('input[type="file"]').set_input_files(scan)
    expect(form.get_by_text(scan.name).first).to_be_visible()
    rerun(page, submit.click)
    expect(page.get_by_text(zh("campaign_ui.report_saved"), exact=True).first).to_be_visible()
    expect(page.get_by_role("button", name=f"下载 {scan.name}", exact=False)).to_be_visible()
    page.screenshot(path=str(shots / "1-lead-reported.png"), full_page=True)


def _co_unit_notes(page: Page, server: str, password: str, shots: Path) -> None:
    sign_in_to(page, server, "unit_zwzx", password, "nav.unit_tasks")
    # The tasks it leads come first; open one it helps with.
    helping = f"（{zh('campaign_ui.role_helper')}）"
    option = page.get_by_role("radiogroup", name=zh("campaign_ui.open_task")).get_by_text(
        re.compile(re.escape(helping) + "$")).first
    rerun(page, option.click)
    box = page.get_by_role("textbox", name=zh("campaign_ui.note"), exact=True)
    box.fill(NOTE)
    save = page.get_by_role("button", name=zh("campaign_ui.save_note"), exact=True)
    rerun(page, save.click)
    expect(page.get_by_text(zh("campaign_ui.note_saved"), exact=True).first).to_be_visible()
    expect(page.get_by_text(NOTE).first).to_be_visible()
    page.screenshot(path=str(shots / "2-co-unit-note.png"), full_page=True)


def test_a_monthly_report_turns_the_office_board_light(
    browser: Browser, server: str, demo_password: str, tmp_path: Path
) -> None:
    scan = tmp_path / "验收纪要.pdf"
    scan.write_bytes(a_pdf(1))
    with app_page(browser, 1400, 1000, touch=False) as page:
        before = _office_board(page, server, demo_password)
    assert "100%" not in before, before  # not done yet: behind, or on track
    with app_page(browser, 1024, 768, touch=True) as page:
        _lead_reports(page, server, demo_password, scan, tmp_path)
    with app_page(browser, 1024, 768, touch=True) as page:
        _co_unit_notes(page, server, demo_password, tmp_path)
    with app_page(browser, 1400, 1000, touch=False) as page:
        _office_board(page, server, demo_password)
        line = _task_line(page)
        expect(line).to_contain_text("100%")
        expect(line.get_by_text(zh("schedule.status.done"), exact=True)).to_be_visible()
        expect(line.get_by_text("100%", exact=False)).to_be_visible()
        page.screenshot(path=str(tmp_path / "3-office-board.png"), full_page=True)
