"""Imports from CSV and XLSX with a report per row."""
