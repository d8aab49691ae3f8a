"""Leaders' instructions (领导批示): the list page, the panel that drill-down lists embed,
the open ones on a unit's start page."""
