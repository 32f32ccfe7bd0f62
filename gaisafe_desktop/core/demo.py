"""The demo audit: a complete audit of a made-up service on the bundled demo data, headless.

``run_demo(out_dir)`` creates the demo project, imports the demo training data, banks and answers,
imports the starter keyword library, records the demo judgements, draws the samples with the demo's
public nonce, runs every assessment, fills the checklist, builds both report editions, signs them with a
demo key and exports and verifies the case file. Every step is the same core function a user would call;
nothing here computes a figure of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.i18n import N_, _
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.resources import resource_path
from gaisafe_desktop.core.stats.verdict import VERDICT_NAMES

PROJECT_NAME = "demo-audit.gaisafe"


@dataclass
class DemoResult:
    """Where everything is, and what the demo found."""

    out_dir: Path
    project: Path
    reports: list[dict[str, Any]] = field(default_factory=list)
    casefile: Path | None = None
    casefile_ok: bool | None = None
    casefile_problems: list[str] = field(default_factory=list)
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    key_store: Path | None = None
    certificate: Path | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        for k in ("out_dir", "project", "casefile", "key_store", "certificate"):
            d[k] = str(d[k]) if d[k] is not None else None
        return d


def demo_spec() -> dict[str, Any]:
    """The demo description (``resources/demo/demo.json``)."""
    return json.loads(resource_path("demo", "demo.json").read_text(encoding="utf-8"))


class _Run:
    def __init__(self, out_dir: Path, progress: Progress, cancel: CancelToken) -> None:
        self.out = out_dir
        self.spec = demo_spec()
        self.progress = progress
        self.cancel = cancel
        self.today = dt.date.today()
        self.lead = next(p["name"] for p in self.spec["people"] if "lead_auditor" in p["roles"])
        self.result = DemoResult(out_dir=out_dir, project=out_dir / PROJECT_NAME)
        self.project = None

    def path(self, rel: str) -> Path:
        return resource_path("demo", *rel.split("/"))

    def days_ago(self, n: int) -> str:
        return (self.today - dt.timedelta(days=n)).isoformat()

    # -- steps ------------------------------------------------------------------------------------
    def create_project(self) -> str:
        from gaisafe_desktop.core.store import create_project
        from gaisafe_desktop.core.store.people import add_person
        from gaisafe_desktop.core.store.profile import set_profile

        p = self.spec["project"]
        self.project = create_project(
            self.result.project,
            framework_id="tc260-2024-draft",
            provider=p["provider"],
            service=p["service"],
            title=p["title"],
            model_name=p["model_name"],
            model_version=p["model_version"],
            scope=p["scope"],
            start_date=self.today.isoformat(),
            end_date=self.today.isoformat(),
            actor=self.lead,
            overwrite=True,
        )
        set_profile(self.project, self.spec["profile"])
        for person in self.spec["people"]:
            add_person(self.project, person["name"], person["roles"], organisation=person["organisation"])
        return _("project {path}").format(path=self.result.project.name)

    def import_data(self) -> str:
        from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset, save_source

        n = 0
        for src in self.spec["sources"]:
            meta = {k: src[k] for k in ("origin", "source_type", "personal_info", "sensitive_personal_info", "note")}
            save_source(self.project, src["name"], **meta)
            s = import_dataset(
                self.project,
                ImportRequest(kind="training", paths=[self.path(src["file"])], name=src["name"], source=src["name"]),
                progress=self.progress,
                cancel=self.cancel,
            )
            n += s.records
        for bank in self.spec["banks"]:
            import_dataset(
                self.project,
                ImportRequest(
                    kind="bank",
                    paths=[self.path(bank["file"])],
                    name=f"bank-{bank['kind']}",
                    bank_kind=bank["kind"],
                    bank_id=bank["kind"],
                    version_date=self.days_ago(bank["version_age_days"]),
                ),
                progress=self.progress,
                cancel=self.cancel,
            )
        t = self.spec["transcripts"]
        import_dataset(
            self.project,
            ImportRequest(
                kind="transcripts",
                paths=[self.path(t["file"])],
                name="answers",
                model=t["model"],
                model_version=t["model_version"],
            ),
            progress=self.progress,
            cancel=self.cancel,
        )
        return _("{n} training records, 3 banks, model answers").format(n=n)

    def import_keywords(self) -> str:
        from gaisafe_desktop.core.detect.keywords.versions import import_library_version

        k = self.spec["keywords"]
        v = import_library_version(
            self.project,
            self.path(k["file"]),
            library=k["library"],
            released=self.days_ago(k["released_days_ago"]),
            note="DEMO: the bundled starter library",
        )
        return _("keyword library {name}: {n} terms").format(name=k["library"], n=v["distinct_terms"])

    def import_judgements(self) -> str:
        from gaisafe_desktop.core.assess.judgements import import_judgements

        n = 0
        for rel in self.spec["judgements"]:
            res = import_judgements(self.project, self.path(rel), progress=self.progress, cancel=self.cancel)
            n += res.lines
        return _("{n} demo judgements by the demo annotators and reviewer").format(n=n)

    def run_assessments(self) -> str:
        from gaisafe_desktop.core.assess.run_all import assess_all

        results = assess_all(
            self.project,
            nonce=self.spec["nonce"],
            library=self.spec["keywords"]["library"],
            progress=self.progress,
            cancel=self.cancel,
        )
        self.result.verdicts = [
            {
                "check": r.check_id,
                "assessment": r.assessment,
                "outcome": r.outcome,
                "explain": r.verdict.explain() if r.verdict is not None else "",
                "rate": r.verdict.rate if r.verdict is not None else None,
                "n": r.verdict.n if r.verdict is not None else None,
            }
            for r in results
        ]
        counts: dict[str, int] = {}
        for r in self.result.verdicts:
            counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
        return _("{n} checks: {counts}").format(
            n=len(results), counts=", ".join(f"{_(VERDICT_NAMES.get(k, k))} {v}" for k, v in sorted(counts.items()))
        )

    def add_evidence(self) -> str:
        from gaisafe_desktop.core.store.evidence import add_evidence

        for ev in self.spec["evidence"]:
            add_evidence(
                self.project, self.path(ev["file"]), note=ev["note"], links=[("clause", c) for c in ev["clauses"]]
            )
        return _("{n} evidence files").format(n=len(self.spec["evidence"]))

    def fill_checklist(self) -> str:
        """Clauses bearing on assessments take their verdicts; clauses with demo evidence conform; the
        rest take the demo's (invented, marked) interview results. Clauses that do not apply stay so."""
        from gaisafe_desktop.core.checklist.checklist import checklist_rows, set_clause

        interviews = self.spec["checklist_interviews"]
        counts: dict[str, int] = {}
        for row in checklist_rows(self.project):
            if not row.applies:
                continue
            outcomes = [lk["result"]["verdict"] for lk in row.assessments if lk["result"]]
            if outcomes:
                passed = sum(1 for o in outcomes if o == "pass")
                result = "conform" if passed == len(outcomes) else ("nonconform" if passed == 0 else "partial")
                note = "DEMO: from the assessment results linked to this clause / 演示：依据关联的评估结果"
            elif row.evidence:
                result, note = "conform", "DEMO: see the linked demo evidence / 演示：见关联的演示证据"
            else:
                result = interviews["results"].get(row.clause_id, interviews["default"])
                note = interviews["note"]
            set_clause(self.project, row.clause_id, result=result, observations=note)
            counts[result] = counts.get(result, 0) + 1
        return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))

    def build_reports(self) -> str:
        from gaisafe_desktop.core.report.from_project import build_report
        from gaisafe_desktop.core.report.keys import create_key
        from gaisafe_desktop.core.report.sign import sign_pdf

        self.project.close()
        self.project = None
        store = self.out / "keys"
        k = self.spec["keys"][0]
        info = create_key(k["name"], k["organisation"], k["email"], k["password"], store=store)
        self.key = info
        self.result.key_store = store
        self.result.certificate = Path(info.cert_path)
        editions = build_report(
            self.result.project,
            self.out / "demo-report.pdf",
            langs=("zh", "en"),
            actor=self.lead,
            progress=self.progress,
            cancel=self.cancel,
        )
        for ed in editions:
            signed = Path(ed["path"]).with_name(Path(ed["path"]).stem + "-signed.pdf")
            sign_pdf(
                ed["path"],
                signed,
                key=info.key_id,
                password=k["password"],
                store=store,
                reason="DEMO report signed by the demo lead auditor",
                location="GAISafe demo",
            )
            ed["signed"] = str(signed)
        self.result.reports = editions
        return _("{n} report editions, signed").format(n=len(editions))

    def export_casefile(self) -> str:
        from gaisafe_desktop.core.casefile.export import export_casefile
        from gaisafe_desktop.core.casefile.verify import verify_casefile

        k = self.spec["keys"][0]
        res = export_casefile(
            self.result.project,
            self.out / "demo-case.gaicase",
            key=self.key.key_id,
            password=k["password"],
            reports=[r["signed"] for r in self.result.reports],
            store=self.result.key_store,
            actor=self.lead,
            progress=self.progress,
            cancel=self.cancel,
        )
        path = Path(res.path)
        check = verify_casefile(
            path, trusted_certs=[self.result.certificate], progress=self.progress, cancel=self.cancel
        )
        self.result.casefile = path
        self.result.casefile_ok = bool(check.ok)
        self.result.casefile_problems = [p.message() if hasattr(p, "message") else str(p) for p in check.problems]
        return _("case file {path}: {status}").format(
            path=path.name, status=_("verified") if check.ok else _("verification FAILED")
        )


STEPS: list[tuple[str, str]] = [
    ("create_project", N_("Creating the demo project")),
    ("import_data", N_("Importing training data, banks and answers")),
    ("import_keywords", N_("Importing the keyword library")),
    ("import_judgements", N_("Recording the demo judgements")),
    ("run_assessments", N_("Running every assessment (samples drawn with the demo's public nonce)")),
    ("add_evidence", N_("Adding evidence")),
    ("fill_checklist", N_("Filling the clause checklist")),
    ("build_reports", N_("Building and signing the reports")),
    ("export_casefile", N_("Exporting and verifying the case file")),
]


def run_demo(
    out_dir: str | Path,
    *,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
    on_step: Callable[[int, int, str], None] | None = None,
) -> DemoResult:
    """Run the whole demo audit into ``out_dir`` (created; an earlier demo there is replaced)."""
    t0 = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    run = _Run(out, progress, cancel)
    try:
        for i, (name, label) in enumerate(STEPS):
            cancel.raise_if_cancelled()
            if on_step:
                on_step(i, len(STEPS), _(label))
            s0 = time.perf_counter()
            detail = getattr(run, name)()
            run.result.steps.append(
                {"step": name, "label": _(label), "detail": detail, "seconds": round(time.perf_counter() - s0, 2)}
            )
    finally:
        if run.project is not None:
            run.project.close()
    run.result.seconds = round(time.perf_counter() - t0, 1)
    return run.result
