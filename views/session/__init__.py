"""Sign-in, first-run set-up and the user's own account."""
