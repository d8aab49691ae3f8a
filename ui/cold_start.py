"""Hand a cold deep link back to app.py.

Because `pages/` sits beside app.py, a new server process starts in Streamlit's legacy
multipage mode until st.navigation has run once: a URL such as /admin_users then runs
pages/admin_users.py itself, skipping the sign-in gate in app.py. Every page module ends
with `if __name__ == "__main__": run_app()`, so such a run builds the real navigation
(and the gate) instead. The URL path of each page is its module name, so the link still
lands on that page once signed in."""


def run_app() -> None:
    import app

    app.main()
