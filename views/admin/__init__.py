"""System administration: users, organisation, audit log."""
