"""Demo data: the demo city, its accounts and a year of field work, built through the services."""
