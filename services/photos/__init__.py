"""Photo evidence: checks and derivatives, the content-addressed store, attachment to records."""
