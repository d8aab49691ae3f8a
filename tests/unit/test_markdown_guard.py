"""A cheap guard over the page sources: a field that holds typed text (a unit's name, a
description, a checklist item...) passed straight into something Streamlit renders as
Markdown, not through ui.text.plain(). It only sees the field where the call is written (a
value put in a variable first is the AppTest in tests/app/test_user_text_is_literal.py's
job), so it never flags a correct call."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "views").rglob("*.py")),
           *sorted((ROOT / "ui").rglob("*.py"))]

# Attributes of the services' views that hold what a user typed.
TYPED = {
    "unit", "description", "text", "name", "display_name", "username", "responsible_person",
    "first_responsible", "note", "summary", "submitted_by", "inspector", "template",
    "verify_note", "section", "reason", "district", "industry", "supervisor",
}
# Everything these show is Markdown (body, label, help).
WHOLE = {
    "markdown", "caption", "write", "title", "header", "subheader", "error", "warning",
    "info", "success", "toast", "expander", "popover", "tabs", "metric",
}
# Widgets: the label is Markdown; select box and multiselect options are not.
LABELLED = {
    "button", "form_submit_button", "download_button", "link_button", "toggle", "checkbox",
    "text_input", "text_area", "number_input", "date_input", "time_input", "selectbox",
    "multiselect", "radio", "segmented_control", "pills", "slider", "select_slider",
    "file_uploader", "camera_input", "color_picker",
}
# ...and for these the options (format_func) are Markdown too.
MARKDOWN_OPTIONS = {"radio", "segmented_control", "pills"}


def _unescaped(node: ast.AST) -> list[ast.Attribute]:
    """Typed-text attributes inside `node` that no plain(...) call wraps."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"plain", "plain_param"}:
        return []
    if isinstance(node, ast.Attribute) and node.attr in TYPED:
        return [node]
    if isinstance(node, ast.IfExp):  # `x if rect.note else y`: the test is not shown
        return _unescaped(node.body) + _unescaped(node.orelse)
    return [a for child in ast.iter_child_nodes(node) for a in _unescaped(child)]


def _markdown_arguments(call: ast.Call) -> list[ast.AST]:
    name = getattr(call.func, "attr", None)
    if name in WHOLE:
        return [*call.args, *(k.value for k in call.keywords if k.arg != "key")]
    if name in LABELLED:
        args = call.args[:1] + [k.value for k in call.keywords if k.arg in {"label", "help"}]
        if name in MARKDOWN_OPTIONS:
            args += [k.value for k in call.keywords if k.arg == "format_func"]
        return args
    return []


def findings() -> list[str]:
    out = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            for arg in _markdown_arguments(call):
                out += [f"{path.relative_to(ROOT)}:{a.lineno}: {ast.unparse(a)}"
                        for a in _unescaped(arg)]
    return out


def test_typed_text_reaches_markdown_only_through_plain():
    assert findings() == []


def test_the_guard_sees_an_unescaped_field():
    sample = ast.parse('st.markdown(f"**{case.unit}** · {plain(case.description)}")\n'
                       'st.caption(t("review.responsible", name=f.responsible_person))\n'
                       'left.button(t("visit.make_finding", item=item.text), key="k")\n'
                       'st.selectbox(t("x"), ids, format_func=lambda i: rows[i].name)\n'
                       'st.caption(t("a") + (f"：{plain(r.note)}" if r.note else ""))\n')
    flagged = [ast.unparse(a) for call in ast.walk(sample) if isinstance(call, ast.Call)
               for arg in _markdown_arguments(call) for a in _unescaped(arg)]
    assert flagged == ["case.unit", "f.responsible_person", "item.text"]
