"""Complaint pages."""
