"""Complaint pages (投诉处理): register, the list and its detail, a unit's inbox,
categories, import."""
