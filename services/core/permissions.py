"""The permission matrix: which role may do what. One table, used by the navigation
(which pages a role sees) and by the services (which refuse on their own)."""

from __future__ import annotations

from db.models import Role, User
from services.core.errors import PermissionDenied

# Capabilities are verbs on business objects. Pages name the capability they need.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            "account.self", "users.manage", "org.manage", "org.view", "audit.view",
            "checklist.manage", "plan.manage", "finding.view_all", "findings.register",
            "photo.original", "complaint.view", "complaint.identity", "complaint.routing",
            "campaign.view", "campaign.manage", "dashboard.view", "instruction.view",
            "notice.view",
        }
    ),
    Role.OFFICE: frozenset(
        {
            "account.self", "org.view", "checklist.manage", "plan.manage", "finding.view_all",
            "findings.register", "finding.review", "finding.verify", "photo.original",
            "complaint.view", "complaint.identity", "complaint.register", "complaint.manage",
            "complaint.import", "complaint.routing",
            "campaign.view", "campaign.manage", "campaign.report", "workbench.view",
            "dashboard.view", "instruction.view", "instruction.handle",
            "notice.compose", "notice.view",
        }
    ),
    # Leaders follow what the office has confirmed; unreviewed findings are not facts yet.
    # Complainants' identities: the office and administrators only ("complaint.identity");
    # every other role reads complaints masked (services/complaints/masking.py).
    # Leaders' instructions (领导批示): a leader gives them, the office marks them handled;
    # the unit concerned reads those about it (services/instructions/).
    Role.LEADER: frozenset(
        {"account.self", "org.view", "finding.view_confirmed", "findings.register",
         "complaint.view", "campaign.view", "dashboard.view", "instruction.give",
         "instruction.view", "notice.sign", "notice.view"}
    ),
    Role.INSPECTOR: frozenset(
        {"account.self", "org.view", "inspection.record", "finding.view_all", "finding.verify",
         "findings.register", "complaint.view", "dashboard.view"}
    ),
    # A liaison reports on the tasks of their own unit only (services/campaign/access.py).
    # Notices: a liaison reads the issued ones addressed to its unit (services/notices/).
    Role.UNIT: frozenset({"account.self", "rectification.submit", "complaint.handle",
                          "campaign.report", "campaign.unit", "instruction.view",
                          "notice.view"}),
}

ROLES: tuple[str, ...] = tuple(r.value for r in Role)

# Page key -> capability that shows it. Order is the menu order.
PAGE_CAPABILITY: dict[str, str] = {
    # A liaison's start page: the unit's tasks, reports due, what else waits for it.
    "unit_tasks": "campaign.unit",
    # The office's start page: what waits for it.
    "workbench": "workbench.view",
    "inspect_today": "inspection.record",
    "inspect_visit": "inspection.record",
    "rectify": "rectification.submit",
    "review": "finding.review",
    "verify": "finding.verify",
    "admin_users": "users.manage",
    "admin_org": "org.manage",
    "admin_audit": "audit.view",
    "visit_plans": "plan.manage",
    "checklists": "checklist.manage",
    # Leaders' start page: the dashboard (the office starts on its workbench).
    "dashboard": "dashboard.view",
    # The findings register (问题台账): which findings each reader sees is the service's.
    "findings_register": "findings.register",
    # Rectification tracking (整改跟踪): due this week, overdue by unit, reopened, on time.
    "rectification_tracking": "findings.register",
    # Notices (通报): which ones each reader sees is services/notices/queries.visible's.
    "notices": "notice.view",
    "campaign_board": "campaign.view",
    "report_calendar": "campaign.view",
    "hall_plans": "campaign.view",
    "complaint_inbox": "complaint.handle",
    "complaint_register": "complaint.register",
    "complaints": "complaint.view",
    "complaint_import": "complaint.import",
    "complaint_categories": "complaint.manage",
    "instructions": "instruction.view",
    "account": "account.self",
}


def can(actor: User | None, capability: str) -> bool:
    if actor is None or not actor.active:
        return False
    return capability in ROLE_CAPABILITIES.get(actor.role, frozenset())


def require(actor: User | None, capability: str) -> None:
    if not can(actor, capability):
        raise PermissionDenied(capability=capability)


def pages_for(role: str) -> list[str]:
    caps = ROLE_CAPABILITIES.get(role, frozenset())
    return [page for page, cap in PAGE_CAPABILITY.items() if cap in caps]
