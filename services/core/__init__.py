"""Shared machinery: unit of work, errors, permissions, visibility, validation, audit log."""
