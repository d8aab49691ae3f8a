"""Free text typed by users (descriptions, reports, notes) shown as written.

Streamlit renders Markdown in st.write, st.markdown and captions: a report containing
`![](http://host/x.png)` would make the reader's browser load an outside image, and
`[text](url)` would show a link. Escaping the Markdown characters keeps it plain text."""

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def plain(text: str | None) -> str:
    return _MARKDOWN.sub(r"\\\1", text or "")
