"""Problems found: their status log, review, rectification and verification."""
