"""The campaign's pages: the task board, a unit's own tasks, the report calendar."""
