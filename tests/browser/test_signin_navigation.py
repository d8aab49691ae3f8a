"""Sign-in, the role-filtered top navigation, sign-out, cold deep links and the language switch,
in a real browser. Expected menus come from the app's own tables (permission matrix and
message catalog), so the tests follow the matrix instead of copying it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from demo.org import ACCOUNTS
from i18n import translate
from services.core.permissions import PAGE_CAPABILITY, pages_for
from ui.navigation import menu, section_of

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

ZH = "zh-CN"
EN = "en"
ROLE_OF = {username: role for username, _name, role, _district, _unit in ACCOUNTS}
DISPLAY_NAME_OF = {username: name for username, name, _role, _district, _unit in ACCOUNTS}
ALL_NAV_TITLES = [translate(f"nav.{key}", ZH) for key in PAGE_CAPABILITY] + [
    translate("nav.sign_out", ZH)
]


def zh(key: str, **params: object) -> str:
    return translate(key, ZH, **params)


def expected_nav(role: str) -> list[str]:
    """Menu titles of a role, in menu order: its pages, then "sign out"."""
    return [title for _section, titles in expected_menu(role) for title in titles]


def expected_menu(role: str) -> list[tuple[str, list[str]]]:
    """(section title, page titles) of a role; "sign out" closes the account section."""
    sections = [
        (zh(f"nav.section.{section}"), [zh(f"nav.{key}") for key in keys])
        for section, keys in menu(pages_for(role))
    ]
    sections[-1][1].append(zh("nav.sign_out"))
    return sections


# --------------------------------------------------------------------------- helpers


def username_box(page: Page, lang: str = ZH) -> Locator:
    return page.get_by_role("textbox", name=translate("signin.username", lang), exact=True)


def password_box(page: Page, lang: str = ZH) -> Locator:
    # A textbox: the label also names the "Show password" eye button.
    return page.get_by_role("textbox", name=translate("signin.password", lang), exact=True)


def submit_button(page: Page, lang: str = ZH) -> Locator:
    return page.get_by_role("button", name=translate("signin.submit", lang), exact=True)


def top_nav(page: Page) -> Locator:
    return page.get_by_test_id("stTopNav")


def nav_section_titles(page: Page) -> Locator:
    """Titles of the menu sections shown in the header. `get_by_role` skips aria-hidden
    items, so a section pushed into the overflow ("more") part would not count as shown."""
    return top_nav(page).get_by_role("button").get_by_test_id("stMarkdownContainer")


def open_section(page: Page, section_title: str) -> Locator:
    """Opens a menu section and returns its drop-down."""
    top_nav(page).get_by_test_id("stTopNavSection").filter(has_text=section_title).click()
    dropdown = page.get_by_test_id("stTopNavPopover")
    expect(dropdown).to_be_visible()
    return dropdown


def menu_item(page: Page, title: str) -> Locator:
    return page.get_by_test_id("stTopNavPopover").get_by_role("menuitem", name=title, exact=True)


def go_to(page: Page, key: str) -> None:
    """Opens a page through the menu (its section, then its item)."""
    open_section(page, zh(f"nav.section.{section_of(key)}"))
    menu_item(page, zh(f"nav.{key}")).click()


def sign_out_via_menu(page: Page) -> None:
    open_section(page, zh("nav.section.session"))
    menu_item(page, zh("nav.sign_out")).click()


def wait_until_idle(page: Page) -> None:
    """The script run has finished (Streamlit's own e2e tests wait on this attribute)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def expect_signin_form(page: Page, lang: str = ZH) -> None:
    expect(username_box(page, lang)).to_be_visible()
    expect(password_box(page, lang)).to_be_visible()
    expect(submit_button(page, lang)).to_be_visible()


def open_signin(page: Page, url: str) -> None:
    page.goto(url)
    expect_signin_form(page)


def sign_in(page: Page, username: str, password: str) -> None:
    username_box(page).fill(username)
    password_box(page).fill(password)
    submit_button(page).click()


def expect_no_app_error(page: Page) -> None:
    wait_until_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)


# --------------------------------------------------------------------------- tests


def test_expected_menus_come_from_the_tables() -> None:
    # Guards the derivation itself: every role has its account page and sign-out, and the
    # menus differ where the roles do.
    for role in ("admin", "office", "leader", "inspector", "unit"):
        titles = expected_nav(role)
        assert titles[-2:] == [zh("nav.account"), zh("nav.sign_out")], (role, titles)
    assert zh("nav.admin_users") in expected_nav("admin")
    assert zh("nav.admin_users") not in expected_nav("office")
    assert zh("nav.review") in expected_nav("office")
    assert zh("nav.inspect_today") in expected_nav("inspector")
    assert zh("nav.rectify") in expected_nav("unit")


@pytest.mark.parametrize("username", ["admin", "office", "leader", "inspector1", "unit_gdj"])
def test_role_sees_its_menu_and_signs_out(
    page: Page, server: str, demo_password: str, username: str
) -> None:
    role = ROLE_OF[username]
    expected = expected_nav(role)
    absent = [title for title in ALL_NAV_TITLES if title not in expected]

    open_signin(page, server)
    expect(top_nav(page)).to_have_count(0)  # nothing but the form before signing in
    sign_in(page, username, demo_password)

    signed_in = zh("app.signed_in_as", name=DISPLAY_NAME_OF[username], role=zh(f"role.{role}"))
    expect(page.get_by_text(signed_in, exact=True)).to_be_visible()
    expect(top_nav(page)).to_be_visible()
    # Exactly these sections, in this order, all visible in the bar at 1280 px; each opens
    # on exactly its pages.
    sections = expected_menu(role)
    expect(nav_section_titles(page)).to_have_text([section for section, _ in sections])
    for section, titles in sections:
        dropdown = open_section(page, section)
        expect(dropdown.get_by_role("menuitem").get_by_test_id("stMarkdownContainer")).to_have_text(
            titles
        )
        for title in absent:  # (a page may use the same word as a label: look at items only)
            expect(page.get_by_role("menuitem", name=title, exact=True)).to_have_count(0)
        page.keyboard.press("Escape")
        expect(dropdown).to_have_count(0)
    # The default page is the first of the menu, and it rendered without an error.
    expect(page.get_by_role("heading", name=expected[0], exact=True)).to_be_visible()
    expect(username_box(page)).to_have_count(0)
    expect_no_app_error(page)

    sign_out_via_menu(page)

    expect(page.get_by_text(zh("auth.signed_out"), exact=True).first).to_be_visible()
    expect_signin_form(page)
    expect(top_nav(page)).to_have_count(0)
    expect(page.get_by_text(signed_in, exact=True)).to_have_count(0)
    expect_no_app_error(page)


def test_wrong_password_keeps_the_form(page: Page, server: str, demo_password: str) -> None:
    username = "inspector2"
    signed_in = zh(
        "app.signed_in_as", name=DISPLAY_NAME_OF[username], role=zh(f"role.{ROLE_OF[username]}")
    )
    open_signin(page, server)
    sign_in(page, username, demo_password + "-wrong")

    expect(page.get_by_text(zh("auth.bad_credentials"), exact=True)).to_be_visible()
    expect_signin_form(page)
    expect(top_nav(page)).to_have_count(0)
    expect(page.get_by_text(signed_in, exact=True)).to_have_count(0)
    expect_no_app_error(page)


def test_lang_query_parameter_shows_english_form(page: Page, server: str) -> None:
    page.goto(f"{server}/?lang=en")

    expect_signin_form(page, EN)
    expect(page.get_by_role("heading", name=translate("app.title", EN), exact=True)).to_be_visible()
    expect(username_box(page, ZH)).to_have_count(0)
    expect(submit_button(page, ZH)).to_have_count(0)


def test_language_control_switches_the_form(page: Page, server: str) -> None:
    open_signin(page, server)
    page.get_by_role("radio", name="English", exact=True).click()

    expect_signin_form(page, EN)
    expect(username_box(page, ZH)).to_have_count(0)


def open_cold(page: Page, url: str) -> None:
    page.goto(url)
    # Wait for the end of the first script run, then expect the form without a long wait:
    # a blank page fails in seconds rather than after the full timeout.
    wait_until_idle(page)
    expect(username_box(page)).to_be_visible(timeout=5_000)
    expect(submit_button(page)).to_be_visible(timeout=5_000)


def test_cold_deep_link_asks_for_sign_in(page: Page, fresh_server: str) -> None:
    # A brand-new server process and browser context: nothing cached, nobody signed in.
    open_cold(page, f"{fresh_server}/admin_users")

    expect(password_box(page)).to_be_visible()
    users_title = zh("users.title")
    expect(page.get_by_role("heading", name=users_title, exact=True)).to_have_count(0)
    expect(page.get_by_text(users_title)).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    expect(page.get_by_text(DISPLAY_NAME_OF["admin"])).to_have_count(0)
    expect(top_nav(page)).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_cold_deep_link_lands_on_its_page_after_sign_in(
    page: Page, fresh_server: str, demo_password: str
) -> None:
    open_cold(page, f"{fresh_server}/admin_org")
    expect(page.get_by_role("dialog")).to_have_count(0)
    username_box(page).fill("admin")
    password_box(page).fill(demo_password)
    submit_button(page).click()
    expect(page.get_by_role("heading", name=zh("org.title"), exact=True)).to_be_visible()
