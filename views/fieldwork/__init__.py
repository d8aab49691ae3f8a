"""Field inspections: today's visits, the visit record, visit plans, checklists."""
