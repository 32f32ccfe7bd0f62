"""People and roles, the service profile and its clause applicability, the evidence store."""

from __future__ import annotations

import pytest

from gaisafe_desktop.core.errors import NotFoundError, UsageError
from gaisafe_desktop.core.hashing import sha256_bytes
from gaisafe_desktop.core.store.evidence import add_evidence, export_evidence, get_evidence, list_evidence
from gaisafe_desktop.core.store.people import add_person, list_people, set_roles
from gaisafe_desktop.core.store.profile import clause_applicability, get_profile, set_profile


def test_people_and_roles(tmp_project):
    add_person(tmp_project, "Li Lei", ["lead_auditor"], organisation="CAICT")
    add_person(tmp_project, "Wang Fang", ["annotator"])
    assert [p.name for p in list_people(tmp_project, "annotator")] == ["Wang Fang"]
    person = set_roles(tmp_project, "Wang Fang", ["annotator", "reviewer"])
    assert person.roles == ("annotator", "reviewer")
    with pytest.raises(UsageError, match="Unknown role"):
        add_person(tmp_project, "X", ["boss"])
    with pytest.raises(UsageError, match="already registered"):
        add_person(tmp_project, "Li Lei", ["auditor"])
    with pytest.raises(NotFoundError):
        set_roles(tmp_project, "Nobody", ["auditor"])


def _applies(project) -> dict[str, bool]:
    return {a["clause"].id: a["applies"] for a in clause_applicability(project)}


def test_profile_decides_applicability(tmp_project):
    set_profile(tmp_project, {"suitable_for_minors": False, "interfaces": "interactive", "uses_foreign_data": "no"})
    before = _applies(tmp_project)
    assert before["7.a.3.a"] is False and before["7.a.4"] is True
    assert before["7.b.3"] is False
    assert before["5.1.b.2"] is False
    set_profile(
        tmp_project,
        {"suitable_for_minors": "yes", "interfaces": "interactive,programmable", "uses_foreign_data": "yes"},
    )
    after = _applies(tmp_project)
    assert after["7.a.3.a"] is True and after["7.a.4"] is False
    assert after["7.b.3"] is True
    assert after["5.1.b.2"] is True
    assert get_profile(tmp_project)["interfaces"] == ["interactive", "programmable"]


def test_profile_rejects_bad_values(tmp_project):
    with pytest.raises(UsageError, match="Unknown profile field"):
        set_profile(tmp_project, {"colour": "blue"})
    with pytest.raises(UsageError, match="yes or no"):
        set_profile(tmp_project, {"suitable_for_minors": "maybe"})
    with pytest.raises(UsageError, match="does not offer"):
        set_profile(tmp_project, {"modalities": "smell"})


def test_evidence_is_content_addressed_and_streams_back(tmp_project, tmp_path):
    data = bytes(range(256)) * 9000  # 2.3 MB: several chunks
    f = tmp_path / "contract.pdf"
    f.write_bytes(data)
    ev = add_evidence(tmp_project, f, note="data purchase contract", links=[("clause", "5.1.c.3.a")])
    assert ev.sha256 == sha256_bytes(data)
    assert ev.media_type == "application/pdf"
    again = add_evidence(tmp_project, f, links=[("assessment", "source_rule")])
    assert again.sha256 == ev.sha256
    assert set(again.links) == {("clause", "5.1.c.3.a"), ("assessment", "source_rule")}
    assert tmp_project.conn.execute("SELECT COUNT(*) FROM evidence").fetchone()[0] == 1
    assert [e.sha256 for e in list_evidence(tmp_project, target_type="clause", target_id="5.1.c.3.a")] == [ev.sha256]
    out = export_evidence(tmp_project, ev.sha256[:10], tmp_path / "out.pdf")
    assert out.read_bytes() == data
    assert get_evidence(tmp_project, ev.sha256[:8]).name == "contract.pdf"


def test_evidence_link_to_unknown_clause_is_refused(tmp_project, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("x")
    with pytest.raises(NotFoundError):
        add_evidence(tmp_project, f, links=[("clause", "9.9.z")])
    assert tmp_project.conn.execute("SELECT COUNT(*) FROM evidence").fetchone()[0] == 0
