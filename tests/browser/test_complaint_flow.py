"""Complaints in a real browser: the office imports a hotline export (the columns mapped
from its headers), registers one complaint by hand and sends it to the power company; the
company's liaison signs for it and answers; the office calls the complainant back and the
complaint is closed. The complainant's name never reaches the liaison's screen."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from services.core import clock
from tests.browser.test_inspection_flow import (
    app_page,
    choose,
    open_menu_page,
    rerun,
    sign_in_to,
)
from tests.browser.test_signin_navigation import zh

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

OFFICE, LIAISON = "office", "unit_gdj"
UNIT = "市供电公司"  # unit_gdj's unit
NAME, PHONE = "欧阳测试", "13912345678"
CONTENT = "浏览器测试：在供电营业厅办理过户时被要求反复补交材料，跑了四趟"
ACTION, RESULT = "已约谈营业厅负责人，一次性告知所需材料", "已为投诉人办结过户并致歉"


def _box(page: Page, label_key: str):
    return page.get_by_role("textbox", name=zh(label_key), exact=True)


def _hotline_export(tmp_path: Path) -> Path:
    """A 12345 export as such platforms write it (GBK, a title above the header)."""
    today = clock.today()
    rows = [["嘉峪关市12345热线 工单导出", "", "", "", "", ""],
            ["工单编号", "受理时间", "来电人", "联系电话", "被投诉单位", "投诉内容"]]
    rows += [[f"BT{today:%Y%m%d}{n}", f"{today - timedelta(days=n):%Y-%m-%d} 09:{n:02d}",
              "王某", f"1370000000{n}", UNIT, f"浏览器导入测试：营业厅排队太久 {n}"]
             for n in range(1, 4)]
    path = tmp_path / "12345工单.csv"
    path.write_bytes("".join(",".join(r) + "\r\n" for r in rows).encode("gbk"))
    return path


def _office_imports(page: Page, export: Path) -> None:
    open_menu_page(page, "complaint_import", "nav.complaint_import")
    rerun(page, lambda: page.locator('input[type="file"]').set_input_files(export))
    expect(page.get_by_text("表头在第 2 行", exact=False)).to_be_visible()
    check = page.get_by_role("button", name=zh("complaint_import.check"), exact=True)
    rerun(page, check.click)
    expect(page.get_by_text(re.compile(r"^检查结果：可新建 3 条"))).to_be_visible()
    go = page.get_by_role("button", name=zh("complaint_import.go", rows=3), exact=True)
    rerun(page, go.click)
    expect(page.get_by_text(re.compile(r"^导入完成：新建 3 条"))).to_be_visible()


def _office_registers_and_assigns(page: Page, server: str, password: str,
                                  export: Path) -> int:
    sign_in_to(page, server, OFFICE, password, "nav.workbench")
    _office_imports(page, export)
    open_menu_page(page, "complaint_register", "nav.complaint_register")
    for key, value in (("field.complainant_name", NAME), ("field.complainant_phone", PHONE)):
        box = _box(page, key)
        rerun(page, lambda box=box, value=value: (box.fill(value), box.press("Tab")))
    choose(page, zh("field.complaint_unit"), UNIT, "供电公司")
    choose(page, zh("field.complaint_category"), "服务态度差", "态度")
    content = _box(page, "field.content")
    rerun(page, lambda: (content.fill(CONTENT), content.press("Tab")))
    save = page.get_by_role("button", name=zh("complaints_ui.register"), exact=True)
    rerun(page, save.click)
    done = page.get_by_text(re.compile(r"^已登记投诉 #(\d+)$")).first
    expect(done).to_be_visible()
    number = int(re.search(r"#(\d+)", done.inner_text()).group(1))

    _open_in_list(page, number)
    send = page.get_by_role("button", name=zh("complaints_ui.assign"), exact=True)
    rerun(page, send.click)
    expect(page.get_by_text(zh("complaints_ui.assigned"), exact=True).first).to_be_visible()
    expect(page.get_by_text(f"投诉 #{number} · {zh('complaint_status.assigned')}")).to_be_visible()
    return number


def _open_in_list(page: Page, number: int) -> None:
    open_menu_page(page, "complaints", "nav.complaints")
    box = page.get_by_role("spinbutton", name=zh("complaints_ui.open_number"), exact=True)
    rerun(page, lambda: (box.fill(str(number)), box.press("Enter")))
    expect(page.get_by_text(re.compile(rf"^投诉 #{number} · "))).to_be_visible()


def _liaison_signs_and_answers(page: Page, server: str, password: str, number: int) -> None:
    # The liaison's start page says what waits for the unit, complaints among it.
    sign_in_to(page, server, LIAISON, password, "nav.unit_tasks")
    expect(page.get_by_text(re.compile(r"^投诉：\d+ 件等待本单位办理"))).to_be_visible()
    open_menu_page(page, "complaint_inbox", "nav.complaint_inbox")
    pick = page.get_by_role("radiogroup", name=zh("complaints_ui.pick"), exact=True)
    option = pick.get_by_text(re.compile(rf"^投诉 #{number} · "))
    rerun(page, option.click)
    expect(page.get_by_text(re.compile(rf"^投诉 #{number} · "))).to_have_count(2)
    # The liaison reads the complainant masked.
    expect(page.get_by_text("欧*", exact=False).first).to_be_visible()
    expect(page.get_by_text(NAME)).to_have_count(0)
    expect(page.get_by_text(PHONE)).to_have_count(0)
    sign = page.get_by_role("button", name=zh("complaints_ui.sign"), exact=True)
    rerun(page, sign.click)
    expect(page.get_by_text(zh("complaints_ui.signed"), exact=True).first).to_be_visible()
    action = page.get_by_role("textbox", name=zh("field.action_taken"), exact=True)
    result = page.get_by_role("textbox", name=zh("field.result"), exact=True)
    action.fill(ACTION)
    result.fill(RESULT)
    send = page.get_by_role("button", name=zh("complaints_ui.send_reply"), exact=True)
    rerun(page, send.click)
    expect(page.get_by_text(zh("complaints_ui.replied"), exact=True).first).to_be_visible()


def _office_follows_up(page: Page, server: str, password: str, number: int) -> None:
    sign_in_to(page, server, OFFICE, password, "nav.workbench")
    _open_in_list(page, number)
    expect(page.get_by_text(ACTION)).to_be_visible()
    satisfied = page.get_by_role("radiogroup", name=zh("field.satisfaction"), exact=True)
    satisfied.get_by_text(zh("satisfaction.satisfied"), exact=True).click()
    save = page.get_by_role("button", name=zh("complaints_ui.save_follow_up"), exact=True)
    rerun(page, save.click)
    expect(page.get_by_text(zh("complaints_ui.followed_up"), exact=True).first).to_be_visible()
    _open_in_list(page, number)
    expect(page.get_by_text(f"投诉 #{number} · {zh('complaint_status.closed')}")).to_be_visible()


def test_a_complaint_from_import_and_register_to_closed(
    browser: Browser, server: str, demo_password: str, tmp_path: Path
) -> None:
    with _page(browser) as page:
        number = _office_registers_and_assigns(page, server, demo_password,
                                               _hotline_export(tmp_path))
    with _page(browser) as page:
        _liaison_signs_and_answers(page, server, demo_password, number)
    with _page(browser) as page:
        _office_follows_up(page, server, demo_password, number)


def _page(browser: Browser):
    """The office works at a PC: a PC-sized window, no touch."""
    return app_page(browser, 1400, 1000, touch=False)
