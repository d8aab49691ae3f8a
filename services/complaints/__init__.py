"""Complaints (投诉): the office registers them, sends them to the unit concerned, follows up
with the complainant and closes them; units sign for, answer, return or ask for more time.

lifecycle    statuses and allowed moves (the shared lifecycle helper), overdue and late
masking      the complainant's identity, masked for every role but office and admin
visibility   which complaints a user may read
register     the office's register and edits, categories
workflow     every move after registration
duplicates   possible duplicates while registering, and linking one to its original
queries      lists, counts, detail, a caller's earlier complaints (the read side)
"""
