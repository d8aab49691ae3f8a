"""The office's workbench (and, to come, the leadership dashboard)."""
