"""What a user keeps for themselves, and only for themselves.

- saved_filters.py: a list page's filters saved by name (the findings register's, issue 10)
"""
