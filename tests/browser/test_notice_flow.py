"""Notices in a real browser: the office filters the findings register to one unit, ticks
two of its confirmed findings, adds them to a new criticism notice, saves it, downloads the
.docx (read back with python-docx) and submits it; a leader signs it off; the office issues
it under its number; the unit's liaison reads it."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Browser, Locator, Page, expect

from db.bootstrap import open_database
from demo import checklist as demo_checklist
from services.core.uow import UnitOfWork
from services.fieldwork import checklists
from services.fieldwork import visits as inspections
from services.findings import review
from services.org import structure as org
from tests.browser.test_inspection_flow import (
    app_page,
    choose,
    commit,
    open_menu_page,
    rerun,
    settle,
    sign_in_to,
)
from tests.browser.test_signin_navigation import zh
from tests.factories import sign_in as sign_in_service

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

UNIT, LIAISON = "市政务服务中心", "unit_zwzx"
LABEL = "通报浏览器测试"
TITLE = "关于市政务服务中心窗口效能问题的通报"
ROW_PX = 35  # Streamlit's data grid: the header and each row


def _confirmed_findings(db_url: str, password: str) -> list[str]:
    """Two findings at UNIT, recorded by inspector1 and confirmed by the office, through
    the services (the inspection flow's own browser test covers those steps)."""
    engine = open_database(db_url)
    try:
        uow = UnitOfWork(engine)
        inspector = sign_in_service(uow, username="inspector1", password=password)
        office = sign_in_service(uow, username="office", password=password)
        (unit,) = [u for u in uow.query(org.list_units, actor=office, search=UNIT)
                   if u.name == UNIT]
        (template,) = [tv for tv in uow.query(checklists.list_templates, actor=inspector,
                                              active_only=True)
                       if tv.name == demo_checklist.NAME]
        visit = uow.run(inspections.start_visit, actor=inspector, client_key=uuid.uuid4().hex,
                        unit_id=unit.id, kind="unannounced", template_id=template.id)
        answers = {item.id: {"number": "0", "text": "无"}.get(item.answer_type, checklists.YES)
                   for item in template.items}
        uow.run(inspections.save_answers, actor=inspector, inspection_id=visit.id,
                answers=answers)
        texts = [f"{LABEL}：窗口人员离岗{n}次" for n in (1, 2)]
        made = [uow.run(inspections.save_finding, actor=inspector, inspection_id=visit.id,
                        client_key=uuid.uuid4().hex, category="discipline",
                        severity="general", description=text) for text in texts]
        uow.run(inspections.submit_visit, actor=inspector, inspection_id=visit.id)
        for finding in made:
            uow.run(review.confirm_finding, actor=office, finding_id=finding.id)
        return texts
    finally:
        engine.dispose()


def _tick_row(page: Page, table: Locator, index: int, done: Callable[[], bool],
              what: str) -> None:
    """Ticks a row of a data grid by its row marker (the grid is a canvas: by position)."""
    table.scroll_into_view_if_needed()

    def click() -> None:
        box = table.bounding_box()
        page.mouse.click(box["x"] + 14, box["y"] + ROW_PX * (index + 1) + ROW_PX / 2)
    commit(page, click, done, what)


def _visible(locator: Locator) -> Callable[[], bool]:
    return lambda: locator.count() > 0 and locator.first.is_visible()


def _open_notice(page: Page) -> None:
    """The notices list, newest first: ours is the first row."""
    open_menu_page(page, "notices", "nav.notices")
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    heading = page.get_by_role("heading", name=TITLE).first
    _tick_row(page, table, 0, _visible(heading), "open the notice")


def _office_composes(page: Page, tmp_path: Path, texts: list[str]) -> None:
    open_menu_page(page, "findings_register", "nav.findings_register")
    choose(page, zh("field.unit"), UNIT, "政务服务")
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    for index in (0, 1):  # the two newest: ours
        picked = page.get_by_text(zh("register_ui.picked_n", n=index + 1), exact=True)
        _tick_row(page, table, index, _visible(picked), f"tick row {index}")
    # Opening an expander is the browser's own business: no script run follows.
    page.get_by_text(zh("register_ui.action_notice"), exact=True).click()
    add = page.get_by_role("button", name=zh("notices_ui.add_picked", n=2), exact=True)
    expect(add).to_be_visible()
    rerun(page, add.click)
    title = page.get_by_role("textbox", name=zh("field.notice_title"), exact=True)
    expect(title).to_be_visible()
    rerun(page, lambda: (title.fill(TITLE), title.press("Tab")))
    page.screenshot(path=str(tmp_path / "1-compose.png"), full_page=True)
    save = page.get_by_role("button", name=zh("notices_ui.save_draft"), exact=True)
    rerun(page, save.click)
    expect(page.get_by_role("heading", name=TITLE).first).to_be_visible()
    for text in texts:
        expect(page.get_by_text(re.compile(f"发现：{text}$"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name=zh("notices_ui.download")).click()
    path = tmp_path / "notice.docx"
    download.value.save_as(path)
    doc = "\n".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert TITLE in doc and f"{UNIT}：" in doc and all(t in doc for t in texts)
    page.screenshot(path=str(tmp_path / "2-draft.png"), full_page=True)
    submit = page.get_by_role("button", name=zh("notices_ui.submit"), exact=True)
    rerun(page, submit.click)
    expect(page.get_by_text(zh("notices_ui.submitted")).first).to_be_visible()


def test_office_composes_leader_signs_office_issues_unit_reads(
    browser: Browser, server: str, demo_db, demo_password: str, tmp_path: Path
) -> None:
    texts = _confirmed_findings(f"sqlite:///{demo_db.dir / 'app.db'}", demo_password)
    with app_page(browser, 1280, 900, touch=False) as page:
        sign_in_to(page, server, "office", demo_password, "nav.workbench")
        _office_composes(page, tmp_path, texts)
    with app_page(browser, 1280, 900, touch=False) as page:
        sign_in_to(page, server, "leader", demo_password, "nav.dashboard")
        _open_notice(page)
        sign = page.get_by_role("button", name=zh("notices_ui.sign"), exact=True)
        rerun(page, sign.click)
        expect(page.get_by_text(re.compile("市领导 李强 于 .* 签发"))).to_be_visible()
    with app_page(browser, 1280, 900, touch=False) as page:
        sign_in_to(page, server, "office", demo_password, "nav.workbench")
        _open_notice(page)
        issue = page.get_by_role("button", name=zh("notices_ui.issue"), exact=True)
        rerun(page, issue.click)
        number = page.get_by_text(re.compile(r"嘉效办〔\d{4}〕[1-9]\d*号")).first
        expect(number).to_be_visible()
        settle(page)
        page.screenshot(path=str(tmp_path / "3-issued.png"), full_page=True)
    with app_page(browser, 1280, 900, touch=False) as page:
        sign_in_to(page, server, LIAISON, demo_password, "nav.unit_tasks")
        _open_notice(page)
        for text in texts:
            expect(page.get_by_text(re.compile(f"发现：{text}$"))).to_be_visible()
        expect(page.get_by_role("button", name=zh("notices_ui.download"))).to_be_visible()
        expect(page.get_by_role("button", name=zh("notices_ui.submit"))).to_have_count(0)
        page.screenshot(path=str(tmp_path / "4-liaison.png"), full_page=True)
