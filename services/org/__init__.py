"""The organisation: districts, towns, communities, industries, units."""
