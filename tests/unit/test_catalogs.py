"""The two catalogs have the same keys, and every key the code uses exists."""

import json
import re
import string
from pathlib import Path

import pytest

from i18n import LANGUAGES, catalog, translate
from services.core.permissions import PAGE_CAPABILITY, ROLES
from services.findings import status as finding_status
from services.notices import rules as notice_rules
from ui.navigation import SECTIONS

REPO = Path(__file__).resolve().parents[2]
CODE_DIRS = ("app.py", "manage.py", "views", "services", "ui", "demo")
KEY_CALL = re.compile(
    r"""(?:\bt|translate|flash|RowIssue|[A-Z][A-Za-z]+)\(\s*(?:"[a-z]+",\s*)?"([a-z_]+\.[a-z_.]+)\""""
)
# A page's title, given to the page decorator (ui/page.py): @page("key", title="x.title").
TITLE_KEY = re.compile(r"""\btitle="([a-z_]+\.[a-z_.]+)\"""")


def _code_keys() -> set[str]:
    keys: set[str] = set()
    for entry in CODE_DIRS:
        path = REPO / entry
        files = [path] if path.is_file() else path.rglob("*.py")
        for f in files:
            source = f.read_text(encoding="utf-8")
            keys |= set(KEY_CALL.findall(source)) | set(TITLE_KEY.findall(source))
    return keys


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogs_have_the_same_keys_and_placeholders():
    zh, en = catalog("zh-CN"), catalog("en")
    assert sorted(set(zh) - set(en)) == []
    assert sorted(set(en) - set(zh)) == []
    for key in zh:
        assert _placeholders(zh[key]) == _placeholders(en[key]), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_used_in_code_exists(lang):
    keys = _code_keys()
    keys |= {f"nav.{page}" for page in PAGE_CAPABILITY} | {f"role.{r}" for r in ROLES}
    keys |= {f"nav.section.{section}" for section in SECTIONS}
    keys |= {f"{lifecycle.name}.bad_transition" for lifecycle in (finding_status.LIFECYCLE,
                                                                    notice_rules.LIFECYCLE)}
    assert len(keys) > 100
    assert sorted(k for k in keys if k not in catalog(lang)) == []


def test_catalog_files_are_valid_json_without_empty_texts():
    for lang in LANGUAGES:
        data = json.loads((REPO / "locales" / f"{lang}.json").read_text(encoding="utf-8"))
        assert data
        assert all(v.strip() for v in catalog(lang).values())


def test_translate_formats_lists_per_language_and_survives_missing_keys():
    assert translate("import.missing_columns", "zh-CN", columns=["a", "b"]).endswith("a、b")
    assert translate("import.missing_columns", "en", columns=["a", "b"]).endswith("a, b")
    assert translate("no.such_key", "en") == "no.such_key"
    assert translate("auth.throttled", "en-US", seconds=3).startswith("Too many")



def test_a_long_sign_in_wait_is_said_in_minutes():
    from services.core.errors import SignInThrottled
    from ui.feedback import error_text

    assert error_text(SignInThrottled(seconds=30)) == "尝试次数过多，请在 30 秒后再试"
    assert error_text(SignInThrottled(seconds=900)) == "尝试次数过多，请在 15 分钟后再试"
    assert error_text(SignInThrottled(seconds=121)) == "尝试次数过多，请在 3 分钟后再试"


def _calls_without_placeholder() -> list[str]:
    """Widgets that would show Streamlit's own English prompt ("Choose options", "Choose an
    option") when empty: a multiselect, or a select box that starts with nothing chosen or
    offers None (a chosen None shows as that prompt, not as its label)."""
    import ast

    found = []
    for f in sorted((REPO / "views").rglob("*.py")) + sorted((REPO / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            empty_start = (isinstance(keywords.get("index"), ast.Constant)
                           and keywords["index"].value is None)
            # A None among the options shows as "Choose an option" too when chosen.
            options = node.args[1] if len(node.args) > 1 else keywords.get("options")
            empty_start |= (isinstance(options, ast.List) and bool(options.elts)
                            and isinstance(options.elts[0], ast.Constant)
                            and options.elts[0].value is None)
            prompts = node.func.attr == "multiselect" or (
                node.func.attr == "selectbox" and empty_start)
            if prompts and "placeholder" not in keywords:
                found.append(f"{f.relative_to(REPO)}:{node.lineno}")
    return found


def test_empty_choices_prompt_in_the_users_language():
    assert _calls_without_placeholder() == []
