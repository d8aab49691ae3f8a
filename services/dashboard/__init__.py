"""What leaders and the office look at first: the office's workbench (and, to come, the
leadership dashboard)."""
