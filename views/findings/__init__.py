"""Problems found: review, verification and the unit's rectification."""
