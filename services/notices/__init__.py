"""Notices (通报): compose a draft, have a leader sign it off, issue it under a number."""
