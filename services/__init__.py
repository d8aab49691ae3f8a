"""Business rules and queries. Nothing here imports Streamlit."""
