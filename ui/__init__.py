"""Streamlit glue shared by the pages: session, language, messages. No business rules."""
