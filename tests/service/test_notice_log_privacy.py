"""A unit's liaison reads the issued notice about its unit, not the way it took inside:
who returned it and the leader's comments stay with the office and the leaders."""

from __future__ import annotations

from services.notices import queries, workflow
from tests.service.test_notices import draft, issue, latest, to_signed, world  # noqa: F401


def test_the_liaison_reads_no_history_of_returns_and_comments(uow, world):  # noqa: F811
    w = world
    n = draft(uow, w)
    n = uow.run(workflow.submit, actor=w["office"], notice_id=n.id, version=n.version)
    uow.run(workflow.return_to_draft, actor=w["leader"], notice_id=n.id, version=n.version,
            comments="措辞太重，请改")
    issue(uow, w, to_signed(uow, w, latest(uow, n.id)))

    liaison = uow.query(queries.get_notice, actor=w["liaison_a"], notice_id=n.id)
    assert liaison.log == []
    assert liaison.number  # the notice itself is theirs to read
    for reader in ("office", "leader"):
        view = uow.query(queries.get_notice, actor=w[reader], notice_id=n.id)
        assert "措辞太重，请改" in [row.note for row in view.log]
        assert [row.to_status for row in view.log][-1] == "issued"
