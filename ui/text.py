"""Text typed by users (names, answers, descriptions, reports, notes) shown as written.

Streamlit renders Markdown in st.markdown, st.write, captions, headings, alerts, toasts and
in the labels of widgets, expanders, tabs and popovers (and the options of radio buttons,
pills and segmented controls): a report containing `![](http://host/x.png)` would make the
reader's browser load an outside image, and `[text](url)` would show a link. Escaping the
Markdown characters keeps it plain text. Select box and multiselect options, data frame
cells and input values are not Markdown: they take the raw text (escaped, a user would see
the backslashes).

GFM's literal autolinks stay: Streamlit's Markdown turns a typed `https://...`, `www....`
or `name@host.tld` into a link after escapes are resolved. Such a link shows exactly its
own address (no hidden target, unlike `[text](url)`, which is escaped), takes only http(s)
and mailto, and fetches nothing until clicked; and breaking it (an invisible character
inside) made the address copied from a report unusable. tests/unit/test_text.py keeps
watch on the pattern Streamlit ships."""

from __future__ import annotations

import html
import re
from typing import Any

# Every ASCII punctuation character that starts Markdown, GFM or Streamlit syntax (`:` for
# :color[...] and :emoji:, `$` for LaTeX, `<` and `&` for HTML and entities, `=` for setext
# headings). CommonMark treats a backslash before any ASCII punctuation as "this character,
# literally", so the escaped text renders exactly as typed.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:&=])")


def plain(text: str | None) -> str:
    return _MARKDOWN.sub(r"\\\1", text or "")


def plain_param(value: Any) -> Any:
    """plain() for a parameter of a catalog message shown as Markdown: text (and lists of
    text) escaped, numbers and dates left as they are."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, (list, tuple)):
        return [plain_param(v) for v in value]
    return value


def html_text(text: Any) -> str:
    """The same for an HTML document made outside Streamlit (the meeting deck printed by
    Chromium): `<`, `>`, `&` and quotes as entities, so typed text shows as written and
    never becomes markup or script."""
    return html.escape("" if text is None else str(text), quote=True)
