"""Text typed by users (names, answers, descriptions, reports, notes) shown as written.

Streamlit renders Markdown in st.markdown, st.write, captions, headings, alerts, toasts and
in the labels of widgets, expanders, tabs and popovers (and the options of radio buttons,
pills and segmented controls): a report containing `![](http://host/x.png)` would make the
reader's browser load an outside image, and `[text](url)` would show a link. Escaping the
Markdown characters keeps it plain text. Select box and multiselect options, data frame
cells and input values are not Markdown: they take the raw text (escaped, a user would see
the backslashes).

Escaping is not enough for GFM's literal autolinks: Streamlit's Markdown finds
`http://...`, `www....` and `name@host.tld` in the text after escapes are resolved, and
would make them links. A word joiner (U+2060, invisible, no line break) inside each of
those patterns keeps them plain text."""

from __future__ import annotations

import re
from typing import Any

# Every ASCII punctuation character that starts Markdown, GFM or Streamlit syntax (`:` for
# :color[...] and :emoji:, `$` for LaTeX, `<` and `&` for HTML and entities, `=` for setext
# headings). CommonMark treats a backslash before any ASCII punctuation as "this character,
# literally", so the escaped text renders exactly as typed.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:&=])")


_WORD_JOINER = "\u2060"
# Where GFM's autolink-literal patterns start: "://" after a scheme, "www.", and "@".
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=www)(?=\.))|(?<=@)")


def plain(text: str | None) -> str:
    unlinked = _AUTOLINK.sub(_WORD_JOINER, text or "")
    return _MARKDOWN.sub(r"\\\1", unlinked)


def plain_param(value: Any) -> Any:
    """plain() for a parameter of a catalog message shown as Markdown: text (and lists of
    text) escaped, numbers and dates left as they are."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, (list, tuple)):
        return [plain_param(v) for v in value]
    return value
