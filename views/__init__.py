"""One module per page. Each defines functions only; app.py passes them to st.Page."""
