"""plain(): what a user typed comes out of Streamlit's Markdown as typed.

No Markdown parser is installed (Streamlit renders in the browser), so the test reads the
output the way CommonMark does: a backslash before an ASCII punctuation character stands for
that character, literally; a backslash before anything else stays a visible backslash."""

import re
import string
from pathlib import Path

import pytest
import streamlit

from ui.text import plain, plain_param

# Characters that open Markdown, GFM or Streamlit syntax: emphasis, code, links and images,
# headings, lists, quotes, tables, strike-through, HTML and entities, setext underlines,
# LaTeX ($), colour directives and emoji codes (:), escapes themselves.
SYNTAX = set("\\`*_[]()#+-.!|>~<$:&=")
HOSTILE = [
    "![](http://evil.invalid/x.png)",
    "[点这里](https://evil.invalid) <img src=x onerror=alert(1)> <script>alert(1)</script>",
    "# 标题\n> 引用\n- 列表\n1. 编号\n---\n| a | b |\n标题\n===",
    "**粗体** _斜体_ ~删除~ `代码` $x^2$ :red[红] :material/warning: &lt; &#60;",
    "www.evil.invalid http://evil.invalid a@evil.invalid",
    "已整改，加强管理（一）：见附件",
    "\\*not bold\\* C:\\path\\to",
    string.punctuation,
]


def as_rendered(source: str) -> tuple[str, list[str]]:
    """The text CommonMark shows for `source` read as inline text, and the syntax
    characters left unescaped (each could start Markdown)."""
    shown, unescaped, i = [], [], 0
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source) and source[i + 1] in string.punctuation:
            shown.append(source[i + 1])
            i += 2
            continue
        if ch in SYNTAX:
            unescaped.append(ch)
        shown.append(ch)
        i += 1
    return "".join(shown), unescaped


def test_markdown_in_user_text_is_shown_as_typed_not_rendered():
    assert plain("![](http://evil/x.png)") == r"\!\[\]\(http\://evil/x\.png\)"
    assert plain("**粗体** [链接](u)") == r"\*\*粗体\*\* \[链接\]\(u\)"
    assert plain("已整改，加强管理") == "已整改，加强管理"
    assert plain(None) == ""


@pytest.mark.parametrize("ch", sorted(SYNTAX))
def test_every_markdown_character_is_escaped(ch):
    assert plain(f"a{ch}b") == f"a\\{ch}b"


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_literally_with_no_syntax_left(text):
    shown, unescaped = as_rendered(plain(text))
    assert shown == text  # no stray backslash, nothing lost
    assert unescaped == []


def test_unescaped_text_would_have_been_markdown():
    # The reading above is not vacuous: raw input is caught.
    assert as_rendered(HOSTILE[0])[1]


def test_message_parameters_escape_text_and_keep_numbers():
    assert plain_param("**x**") == r"\*\*x\*\*"
    assert plain_param(["[a](u)", "b"]) == [r"\[a\]\(u\)", "b"]
    assert plain_param(3) == 3
    assert plain_param(None) is None


# GFM's literal autolinks as Streamlit's Markdown finds them in the text after escapes are
# resolved (mdast-util-gfm-autolink-literal): http(s)://, www. and e-mail addresses only.
AUTOLINK_JS = r"/(https?:\/\/|www(?=\.))([-.\w]+)([^ \t\r\n]*)/gi"
AUTOLINK = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.I | re.A)


def test_streamlit_links_only_web_and_mail_addresses_typed_out_in_full():
    """What ui/text.py relies on to leave typed addresses as they are: the only links a
    user's text can still make show their own address and use http(s) or mailto."""
    bundle = Path(streamlit.__file__).parent / "static" / "static" / "js"
    assert any(AUTOLINK_JS in f.read_text(errors="ignore")
               for f in bundle.glob("StreamlitMarkdown*.js"))
    for hostile in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"):
        assert not AUTOLINK.search(hostile)


@pytest.mark.parametrize("text", [
    "详见 https://example.com/guide?id=12&lang=zh",
    "联系 complaint.office@example.gov.cn 或 www.example.org",
])
def test_addresses_come_out_as_typed_so_they_can_be_copied(text):
    assert as_rendered(plain(text)) == (text, [])
    assert "\u2060" not in plain(text)
