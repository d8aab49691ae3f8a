"""The five campaigns (五大攻坚战) and their 25 tasks: who leads and who helps, monthly
progress by the lead unit, the special and annual reports, service-hall entry plans.

schedule     a task's schedule status from its milestones and latest report (a pure rule)
calendar     when each report is due, and whether one came late or is missing (pure)
"""
