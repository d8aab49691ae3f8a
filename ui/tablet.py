"""Touch-friendly sizing for the pages used on tablets in service halls."""

import streamlit as st

# A fixed style sheet, no user text: buttons and choice chips at least 48 px high
# (the usual minimum touch target), radio and checkbox labels easier to hit.
_CSS = """
<style>
div[data-testid="stButton"] button, div[data-testid="stFormSubmitButton"] button,
div[data-testid="stDownloadButton"] button { min-height: 3rem; font-size: 1.05rem; }
div[data-testid="stButtonGroup"] button { min-height: 3rem; min-width: 4.5rem; font-size: 1.05rem; }
div[data-testid="stRadio"] label, div[data-testid="stCheckbox"] label { min-height: 2.5rem; }
div[data-testid="stSelectbox"] div[data-baseweb="select"] > div { min-height: 3rem; }
div[data-testid="stNumberInput"] input, div[data-testid="stTextInput"] input,
div[data-testid="stDateInput"] input { min-height: 3rem; }
div[data-testid="stNumberInput"] button { min-width: 3rem; min-height: 3rem; }
div[data-testid="stFileUploader"] button, div[data-testid="stPopover"] button { min-height: 3rem; }
div[data-testid="stToggle"] label { min-height: 3rem; align-items: center; }
</style>
"""


def touch_friendly() -> None:
    st.html(_CSS)
