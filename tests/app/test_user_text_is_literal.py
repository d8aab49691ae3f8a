"""Text users typed is shown as typed on every page, never rendered as Markdown.

Every text field gets a payload with a remote image, raw HTML, bold, code and a heading; each
page that shows the field is run for the role that sees it. No Markdown-rendered string of
the page (markdown, captions, headings, alerts, and the labels of widgets, expanders, tabs
and popovers) may carry the payload unescaped, and the escaped payload must be there: a page
that stopped showing the text fails too."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, ButtonGroup, Element, Radio

from db.models import User
from services.core import clock
from services.core.system import system_actor
from services.fieldwork import checklists
from services.fieldwork import plans as visit_plans
from services.fieldwork import visits as inspections
from services.findings import rectification, review
from services.identity import users
from services.org import structure as org
from tests.app.conftest import APP, TIMEOUT, signed_in, user_named
from ui.text import plain

PAYLOAD = "# h ![x](http://evil.invalid/p.png) <img src=x onerror=alert(1)> **b** `c`"
# What only an unescaped payload contains: the address with a bare dot, an image or link
# opener, raw HTML, bold and code markers. Two backslashes in a row: escaped twice.
LEAK = re.compile(r"evil\.invalid|(?<!\\)<img|(?<!\\)!\[|\]\(|(?<!\\)\*\*b|(?<!\\)`c|\\\\")


def hostile(tag: str) -> str:
    return f"{PAYLOAD} {tag}"


HOSTILE_USERNAME = "# ![x](http://evil.invalid/p.png) <b>**u**</b>"

UNIT, FIRST_RESP, DISTRICT, INDUSTRY = "UNIT", "FIRSTRESP", "DISTRICT", "INDUSTRY"
INSPECTOR, LIAISON = "INSPECTOR", "LIAISON"
TEMPLATE, TEMPLATE_DESC, SECTION, YES_NO_ITEM, TEXT_ITEM = (
    "TEMPLATE", "TPLDESC", "SECTION", "YESNOITEM", "TEXTITEM")
ANSWER, SUMMARY, DESCRIPTION, RESPONSIBLE = "ANSWER", "SUMMARY", "DESCRIPTION", "RESPONSIBLE"
RECT_FIRST, REOPEN_NOTE, RECT_SECOND, PLAN_NOTE = "RECTONE", "REOPENNOTE", "RECTTWO", "PLANNOTE"


# --- what a page shows -----------------------------------------------------------------------


def _nodes(node):
    yield node
    if isinstance(node, Block):
        for child in node.children.values():
            yield from _nodes(child)


def markdown_sources(at: AppTest) -> list[str]:
    """Every string of the run that the browser renders as Markdown."""
    out: list[str] = []
    for node in _nodes(at._tree):
        if isinstance(node, Element):
            proto = node.proto
            fields = proto.DESCRIPTOR.fields_by_name
            # body: markdown, caption, headings, alerts, toasts; label and help: widgets
            # and metrics; text: a progress bar. Select box options are plain text.
            out += [getattr(proto, f) for f in ("body", "label", "help", "text")
                    if f in fields and isinstance(getattr(proto, f), str)]
            if isinstance(node, ButtonGroup):
                out += list(node.options)
            if isinstance(node, Radio):
                out += list(node.options)
        elif isinstance(node, Block):
            out += _block_label(getattr(node, "proto", None))
    return [s for s in out if s]


def _block_label(proto) -> list[str]:
    """The label of an expander, a tab or a popover (AppTest keeps either the block message
    or its sub-message)."""
    if proto is None:
        return []
    if "type" in proto.DESCRIPTOR.oneofs_by_name:
        kind = proto.WhichOneof("type")
        proto = getattr(proto, kind) if kind else None
    if proto is not None and "label" in proto.DESCRIPTOR.fields_by_name:
        return [proto.label]
    return []


def plain_text_options(at: AppTest) -> list[str]:
    """Options of select boxes and multiselects: shown as plain text, so taken raw."""
    return [o for widget in (*at.selectbox, *at.multiselect) for o in widget.options]


def check(at: AppTest, shown: list[str], *, options: list[str] = ()) -> None:
    """Nothing leaks unescaped; each tag in `shown` is on the page, escaped exactly once;
    each tag in `options` is in a select box, raw."""
    assert not at.exception, at.exception
    sources = markdown_sources(at)
    leaks = [s for s in sources if LEAK.search(s)]
    assert not leaks, leaks
    joined = "\n".join(sources)
    missing = [tag for tag in shown if plain(hostile(tag)) not in joined]
    assert not missing, (missing, sources)
    raw = plain_text_options(at)
    assert not [o for o in raw if "\\" in o], raw  # escaped here, it would show backslashes
    missing = [tag for tag in options if not any(hostile(tag) in o for o in raw)]
    assert not missing, (missing, raw)


# --- set-up through the services -------------------------------------------------------------


def _harness(key: str) -> None:
    from ui.navigation import PAGES

    PAGES[key][0]()


def _rows(uow) -> dict[str, users.UserRow]:
    return {u.username: u for u in uow.query(users.list_users, actor=system_actor())}


def _user(uow, username: str) -> User:
    return user_named(uow, username)


def page(key: str, username: str, uow, **query: int) -> AppTest:
    at = signed_in(AppTest.from_function(_harness, args=(key,), default_timeout=TIMEOUT), uow,
                   username)
    for name, value in query.items():
        at.query_params[name] = str(value)
    return at.run()


def _rename_people(uow) -> None:
    rows = _rows(uow)
    for username, tag in (("inspector1", INSPECTOR), ("unit_gdj", LIAISON)):
        row = rows[username]
        uow.run(users.update_user, actor=system_actor(), user_id=row.id, version=row.version,
                          display_name=hostile(tag), role=row.role,
                          district_id=row.district_id, unit_id=row.unit_id)


def _rename_org(uow) -> int:
    """The liaison's unit, its first responsible person, a district and an industry get the
    payload; returns the unit's id."""
    actor = system_actor()
    unit = next(u for u in uow.query(org.list_units, actor=actor) if u.name == "市供电公司")
    uow.run(org.update_unit, actor=actor, unit_id=unit.id, version=unit.version,
                    name=hostile(UNIT), district_id=unit.district_id,
                    industry_id=unit.industry_id, supervisor_id=unit.supervisor_id,
                    first_responsible=hostile(FIRST_RESP))
    district = next(d for d in uow.query(org.list_districts, actor=actor) if d.name == "雄关区")
    uow.run(org.update_district, actor=actor, district_id=district.id, version=district.version,
                        name=hostile(DISTRICT), parent_id=district.parent_id)
    industry = next(i for i in uow.query(org.list_industries, actor=actor) if i.name == "供电")
    uow.run(org.update_industry, actor=actor, industry_id=industry.id, version=industry.version,
                        name=hostile(INDUSTRY), active=True)
    return unit.id


def _visit(uow, inspector, unit_id: int, template, *, submit: bool) -> tuple[int, int]:
    """A visit with the yes/no item failed, the text item answered with the payload and one
    finding on the failed item; returns (visit id, finding id)."""
    insp = uow.run(inspections.start_visit, actor=inspector, client_key=uuid.uuid4().hex,
                                   unit_id=unit_id, kind="unannounced", template_id=template.id)
    items = {i.answer_type: i for i in template.items}
    uow.run(inspections.save_answers, actor=inspector, inspection_id=insp.id, answers={
        items["yes_no"].id: "no", items["text"].id: hostile(ANSWER)})
    uow.run(inspections.save_details, actor=inspector, inspection_id=insp.id,
                             summary=hostile(SUMMARY))
    finding = uow.run(
        inspections.save_finding, actor=inspector, inspection_id=insp.id,
        client_key=uuid.uuid4().hex,
        category="discipline", severity="serious", description=hostile(DESCRIPTION),
        responsible_person=hostile(RESPONSIBLE), item_id=items["yes_no"].id)
    if submit:
        uow.run(inspections.submit_visit, actor=inspector, inspection_id=insp.id)
    return insp.id, finding.id


@pytest.fixture
def world(demo_loaded):
    """Every text field holds the payload: people, organisation, a checklist, a submitted
    visit waiting for review, a finding reported fixed a second time after a reopen, a
    draft visit, an open visit plan."""
    uow = demo_loaded
    _rename_people(uow)
    unit_id = _rename_org(uow)
    office, inspector, liaison = (_user(uow, n) for n in ("office", "inspector1", "unit_gdj"))
    uow.run(
        checklists.save_template, actor=office, name=hostile(TEMPLATE),
        description=hostile(TEMPLATE_DESC),
        items=[checklists.ItemSpec(section=hostile(SECTION), text=hostile(YES_NO_ITEM)),
               checklists.ItemSpec(section=hostile(SECTION), text=hostile(TEXT_ITEM),
                                   answer_type="text")])
    [template] = uow.query(checklists.list_templates, actor=office)

    # The first visit's finding stays open, so the visit waits for review.
    pending_id, _ = _visit(uow, inspector, unit_id, template, submit=True)
    _, finding_id = _visit(uow, inspector, unit_id, template, submit=True)
    uow.run(review.confirm_finding, actor=office, finding_id=finding_id)
    for text, reopen in ((hostile(RECT_FIRST), True), (hostile(RECT_SECOND), False)):
        uow.run(rectification.submit_rectification, actor=liaison, finding_id=finding_id,
                                           client_key=uuid.uuid4().hex, text=text)
        if reopen:
            uow.run(rectification.verify, actor=office, finding_id=finding_id, accept=False,
                                 note=hostile(REOPEN_NOTE))

    # A draft with the failed item not yet recorded as a finding, and nothing else answered.
    draft = uow.run(inspections.start_visit, actor=inspector, client_key=uuid.uuid4().hex,
                                    unit_id=unit_id, kind="open", template_id=template.id)
    yes_no = next(i for i in template.items if i.answer_type == "yes_no")
    uow.run(inspections.save_answers, actor=inspector, inspection_id=draft.id,
                             answers={yes_no.id: "no"})
    today = clock.today()
    uow.run(visit_plans.save_plan, actor=office, unit_id=unit_id, kind="unannounced",
                          window_start=today, window_end=today + timedelta(days=7),
                          template_id=template.id, inspector_ids=[inspector.id],
                          note=hostile(PLAN_NOTE))
    return {"uow": uow, "pending": pending_id, "draft": draft.id, "failed_item": yes_no.id}


# --- the pages ------------------------------------------------------------------------------


def test_review_shows_every_typed_text_literally(world):
    at = page("review", "office", world["uow"])
    at.selectbox(key="rv_pick").set_value(world["pending"]).run()
    check(at, [UNIT, INSPECTOR, TEMPLATE, SUMMARY, SECTION, YES_NO_ITEM, TEXT_ITEM, ANSWER,
               DESCRIPTION, RESPONSIBLE], options=[UNIT])


def test_verify_shows_every_typed_text_literally(world):
    at = page("verify", "office", world["uow"])
    check(at, [UNIT, DESCRIPTION, RESPONSIBLE, LIAISON, RECT_FIRST, REOPEN_NOTE, RECT_SECOND])
    assert any(hostile(UNIT) in o for o in at.selectbox(key="vf_pick").options)


def test_rectify_shows_every_typed_text_literally(world):
    at = page("rectify", "unit_gdj", world["uow"])
    check(at, [DESCRIPTION, LIAISON, RECT_FIRST, REOPEN_NOTE, RECT_SECOND])


def test_draft_visit_shows_every_typed_text_literally(world):
    at = page("inspect_visit", "inspector1", world["uow"], visit=world["draft"])
    # Item texts are widget labels here, and the "record as a finding" button names one.
    check(at, [UNIT, SECTION, YES_NO_ITEM, TEXT_ITEM])
    assert plain(hostile(YES_NO_ITEM)) in at.button(
        key=f"mk_{world['draft']}_{world['failed_item']}").label
    # A refused submit names the unanswered item in its message.
    at.button(key=f"submit_{world['draft']}").click().run()
    assert at.error, "the submit should be refused: an item is unanswered"
    check(at, [TEXT_ITEM])


def test_submitted_visit_shows_every_typed_text_literally(world):
    at = page("inspect_visit", "inspector1", world["uow"], visit=world["pending"])
    check(at, [UNIT, SECTION, YES_NO_ITEM, TEXT_ITEM, ANSWER, DESCRIPTION, SUMMARY])


def test_today_shows_every_typed_text_literally(world):
    at = page("inspect_today", "inspector1", world["uow"])
    check(at, [UNIT, TEMPLATE, PLAN_NOTE])
    at.text_input(key="today_unit_search").input("evil").run()
    check(at, [], options=[UNIT, TEMPLATE])


def test_plans_show_every_typed_text_literally(world):
    at = page("visit_plans", "office", world["uow"])
    check(at, [UNIT], options=[UNIT, TEMPLATE, INSPECTOR])


def test_checklists_show_every_typed_text_literally(world):
    at = page("checklists", "office", world["uow"])
    check(at, [TEMPLATE], options=[TEMPLATE])


def test_admin_pages_show_every_typed_text_literally(world):
    uow = world["uow"]
    at = page("admin_users", "admin", uow)
    check(at, [], options=[INSPECTOR, LIAISON, UNIT, DISTRICT])
    # The "created" message names the new account.
    at.text_input(key="uc_username").input(HOSTILE_USERNAME)
    at.text_input(key="uc_display").input(hostile("NEWUSER"))
    at.text_input(key="uc_password").input("a-long-password")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:user_create")
         ).click().run()
    check(at, [], options=["NEWUSER"])
    assert any(plain(HOSTILE_USERNAME) in s for s in markdown_sources(at))

    at = page("admin_org", "admin", uow)
    check(at, [], options=[DISTRICT, INDUSTRY, UNIT])

    at = page("admin_audit", "admin", uow)
    check(at, [], options=[INSPECTOR])


def test_account_and_menu_bar_show_the_display_name_literally(world):
    at = page("account", "inspector1", world["uow"])
    check(at, [INSPECTOR])
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    signed_in(at, world["uow"], "inspector1")
    at.run()
    check(at, [INSPECTOR])
