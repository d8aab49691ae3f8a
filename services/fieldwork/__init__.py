"""Field inspections: checklists, confidential visit plans, visits."""
