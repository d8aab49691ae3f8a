"""Leaders' instructions (领导批示): a leader writes one on a complaint, a finding or a task
it may read; the office and the unit concerned see it; the office marks it handled.

- targets.py: what an instruction is about (the unit concerned; a plain description that
  never names a complainant)
- write.py: give, handle
- queries.py: lists for each role, those on one record, the office's open count
"""
