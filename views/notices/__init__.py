"""通报: notices composed, signed off, issued and read (issue 10)."""
