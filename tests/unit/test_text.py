from ui.text import plain


def test_markdown_in_user_text_is_shown_as_typed_not_rendered():
    assert plain("![](http://evil/x.png)") == r"\!\[\]\(http\://evil/x\.png\)"
    assert plain("**粗体** [链接](u)") == r"\*\*粗体\*\* \[链接\]\(u\)"
    assert plain("已整改，加强管理") == "已整改，加强管理"
    assert plain(None) == ""
