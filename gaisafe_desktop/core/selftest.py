"""Self-test: prove that an installed (or frozen) copy of the app is whole and works, offline.

``gaisafe selftest`` and ``gaisafe-desktop --selftest`` run :data:`CHECKS` in order inside a
throw-away folder and exit 0 only if every check passes; the last check runs the whole bundled demo
audit (``core/demo.py``). Each check is a plain function taking a
:class:`SelftestContext` and returning a one-line detail (raise to fail). Other parts of the app add
their own with :func:`register_check` (e.g. the demo audit), so the list grows with the product.

The checks touch nothing of the user's: projects, keys and reports go to a temporary folder that is
removed afterwards (unless ``keep`` is given). A JSON record of the run is written to the log folder
(``core/paths.log_dir()``) so IT can see the result of a self-test started from a desktop shortcut.

A frozen build carries ``gaisafe-resources.sha256`` (written by ``build.spec``) beside ``resources/``
and ``bundled_models/``; the ``bundle`` check re-hashes every listed file, so a damaged or tampered
installation is caught before an audit rests on it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gaisafe_desktop import __version__
from gaisafe_desktop.core.errors import GaisafeError, IntegrityError, NotFoundError
from gaisafe_desktop.core.i18n import N_, _, translate_to
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.resources import models_path, resource_path

#: Name of the checksum list ``build.spec`` writes into the bundle, one ``<sha256>  <relative path>`` a line.
BUNDLE_MANIFEST = "gaisafe-resources.sha256"
#: Folders of the bundle the checksum list covers.
BUNDLE_FOLDERS = ("resources", "bundled_models")
FRAMEWORK_ID = "tc260-2024-draft"


class SelftestError(IntegrityError):
    """A check found the installation incomplete or broken."""


@dataclass
class SelftestContext:
    """What a check may use: a private scratch folder and what earlier checks left for later ones."""

    workdir: Path
    shared: dict = field(default_factory=dict)

    @property
    def project_path(self) -> Path:
        return self.workdir / "selftest.gaisafe"

    @property
    def key_store(self) -> Path:
        return self.workdir / "keys"


@dataclass(frozen=True)
class SelftestCheck:
    name: str
    title: str  # N_() id, translated when shown
    run: Callable[[SelftestContext], str]
    needs: tuple[str, ...] = ()  # checks whose success this one relies on (it is skipped if one failed)


@dataclass
class CheckResult:
    name: str
    title: str
    status: str  # ok | failed | skipped
    detail: str
    seconds: float


@dataclass
class SelftestReport:
    version: str
    started: str
    frozen: bool
    results: list[CheckResult]
    seconds: float
    log_file: str | None = None

    @property
    def ok(self) -> bool:
        return all(r.status == "ok" for r in self.results)

    def to_dict(self) -> dict:
        return asdict(self) | {"ok": self.ok}


def bundle_root() -> Path:
    """The folder holding ``resources/`` and ``bundled_models/`` (``sys._MEIPASS`` when frozen)."""
    return resource_path().parent


def write_bundle_manifest(root: Path, out: Path | None = None) -> Path:
    """Write the checksum list of every file of :data:`BUNDLE_FOLDERS` under ``root`` (to ``out``, default
    ``root/BUNDLE_MANIFEST``); paths are relative to ``root`` as they will be in the bundle."""
    from gaisafe_desktop.core.hashing import sha256_file

    lines = []
    for folder in BUNDLE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                lines.append(f"{sha256_file(path)}  {path.relative_to(root).as_posix()}")
    out = out or root / BUNDLE_MANIFEST
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def verify_bundle_manifest(root: Path) -> tuple[int, list[str]]:
    """Re-hash the files listed in ``root/BUNDLE_MANIFEST``; returns (files checked, problems)."""
    from gaisafe_desktop.core.hashing import sha256_file

    manifest = root / BUNDLE_MANIFEST
    problems: list[str] = []
    count = 0
    for lineno, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, rel = line.partition("  ")
        if not sep or len(digest) != 64:
            problems.append(_("{file}, line {line}: not `<sha256>  <path>`").format(file=manifest, line=lineno))
            continue
        path = root / rel
        count += 1
        if not path.is_file():
            problems.append(_("{path}: missing").format(path=rel))
        elif sha256_file(path) != digest:
            problems.append(_("{path}: changed (SHA-256 differs from the build)").format(path=rel))
    return count, problems


# --- the checks ---------------------------------------------------------------------------------------


def check_bundle(ctx: SelftestContext) -> str:
    root = bundle_root()
    if not (root / BUNDLE_MANIFEST).is_file():
        # a source checkout or a pip install: the data folders sit elsewhere (see core/resources.py)
        folders = {"resources": resource_path(), "bundled_models": models_path()}
        missing = [str(p) for p in folders.values() if not p.is_dir()]
        if missing:
            raise SelftestError(N_("Folders missing from the installation: {folders}."), folders=", ".join(missing))
        return _("no checksum list (not an installed build); folders present")
    count, problems = verify_bundle_manifest(root)
    if problems:
        raise SelftestError(
            N_("{n} damaged file(s) in the installation: {files}"), n=len(problems), files="; ".join(problems[:5])
        )
    return _("{n} files match their build checksums").format(n=count)


def check_resources(ctx: SelftestContext) -> str:
    from gaisafe_desktop.core.store.migrate import known_migrations

    needed = {
        "frameworks": resource_path("frameworks", FRAMEWORK_ID),
        "fonts": resource_path("fonts"),
        "icons": resource_path("icons"),
        "keywords": resource_path("keywords", "starter", "starter-keywords.csv"),
    }
    missing = [name for name, p in needed.items() if not p.exists()]
    if not list(resource_path("fonts").rglob("*.tt[cf]")):
        missing.append("fonts/*.ttc")
    if missing:
        raise SelftestError(N_("Resources missing: {names}."), names=", ".join(missing))
    zh = resource_path("locale", "zh_CN", "LC_MESSAGES")
    stale = [po.stem for po in zh.glob("*.po") if not po.with_suffix(".mo").is_file()]
    catalogues = sorted(zh.glob("*.mo"))
    if not catalogues or stale:
        raise SelftestError(N_("Chinese translations missing: {names}."), names=", ".join(stale) or "*.mo")
    probe = N_("Self-test")
    if translate_to("zh", probe) == probe:
        raise SelftestError(N_("The Chinese catalogue does not translate `{text}`."), text=probe)
    migrations = known_migrations()
    if not migrations:
        raise SelftestError(N_("No database migrations found in the installation."))
    return _("{catalogues} Chinese catalogues, {migrations} migrations, fonts and icons present").format(
        catalogues=len(catalogues), migrations=len(migrations)
    )


def check_models(ctx: SelftestContext) -> str:
    from gaisafe_desktop.core.detect.manifest import load_manifest
    from gaisafe_desktop.core.detect.onnx_runtime import load_from_manifest, verify_model_file

    folders = sorted(p.parent for p in models_path().glob("*/manifest.json"))
    if not folders:
        raise SelftestError(N_("No bundled models found in {folder}."), folder=str(models_path()))
    names = []
    for folder in folders:
        manifest = load_manifest(folder)
        verify_model_file(manifest)  # raises IntegrityError naming the file when its SHA-256 differs
        model = load_from_manifest(manifest, verify=False, threads=1)
        scores = model.predict(["你好，今天天气怎么样？", "How do I bake bread?"])
        if len(scores) != 2:
            raise SelftestError(N_("Model {name} returned {n} results for 2 texts."), name=manifest.name, n=len(scores))
        names.append(f"{manifest.name} {manifest.version} ({manifest.sha256[:12]})")
    return _("hashes verified and inference run: {models}").format(models=", ".join(names))


def check_framework(ctx: SelftestContext) -> str:
    from gaisafe_desktop.core.frameworks import load_framework

    fw = load_framework(FRAMEWORK_ID)
    if len(fw.risks) != 31:
        raise SelftestError(N_("Framework {id} has {n} risks; expected 31."), id=FRAMEWORK_ID, n=len(fw.risks))
    return _("{id}: {risks} risks, {clauses} clauses").format(
        id=FRAMEWORK_ID, risks=len(fw.risks), clauses=len(fw.clauses)
    )


def check_keywords(ctx: SelftestContext) -> str:
    from gaisafe_desktop.core.detect.keywords.matcher import compile_library
    from gaisafe_desktop.core.detect.keywords.service import resolve_library

    source = resolve_library(None, starter=True)
    matcher = compile_library(source.entries)
    probe = next(e for e in source.entries if e.kind == "term" and "+" not in e.term and "&" not in e.term)
    hits = matcher.scan(f"selftest {probe.term} selftest")
    if not hits:
        raise SelftestError(N_("The keyword engine found no hit for the library term `{term}`."), term=probe.term)
    return _("starter library: {n} terms compiled; a probe text matched").format(n=len(source.entries))


def check_project(ctx: SelftestContext) -> str:
    from gaisafe_desktop.core.store import create_project, open_project
    from gaisafe_desktop.core.store.audit import verify_project
    from gaisafe_desktop.core.store.people import add_person

    project = create_project(
        ctx.project_path,
        framework_id=FRAMEWORK_ID,
        provider="Self-test provider",
        service="Self-test service",
        model_name="selftest-model",
        model_version="1",
        actor="GAISafe self-test",
    )
    try:
        add_person(project, "GAISafe self-test", ["lead_auditor"])
    finally:
        project.close()
    with open_project(ctx.project_path, actor="GAISafe self-test", read_only=True) as project:
        report = verify_project(project.conn)
    if not report.ok:
        raise SelftestError(
            N_("The new project's audit log does not verify: {problems}"),
            problems="; ".join(p.message() for p in report.problems[:3]),
        )
    ctx.shared["project"] = ctx.project_path
    return _("project created, reopened, audit log verified")


def check_ingest(ctx: SelftestContext) -> str:
    from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset
    from gaisafe_desktop.core.store import open_project

    source = resource_path("demo", "transcripts", "answers.jsonl")
    if not source.is_file():
        raise NotFoundError(N_("Demo transcripts missing: {file}."), file=str(source))
    sample = ctx.workdir / "transcripts.jsonl"
    with source.open(encoding="utf-8") as src, sample.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):  # stream: the first 200 records are enough to exercise the importer
            if i >= 200:
                break
            dst.write(line)
    with open_project(ctx.project_path, actor="GAISafe self-test") as project:
        summary = import_dataset(project, ImportRequest(kind="transcripts", paths=[sample], name="selftest"))
    if summary.records == 0:
        raise SelftestError(N_("Importing {file} gave no records."), file=str(sample))
    return _("{n} transcript records imported").format(n=summary.records)


def check_report(ctx: SelftestContext) -> str:
    from gaisafe_desktop.core.report.from_project import build_report
    from gaisafe_desktop.core.report.keys import create_key
    from gaisafe_desktop.core.report.sign import sign_pdf, verify_pdf

    editions = build_report(ctx.project_path, ctx.workdir / "report.pdf", langs=("zh", "en"), actor="GAISafe self-test")
    password = "selftest-" + ctx.workdir.name
    key = create_key("GAISafe self-test", "GAISafe", "", password, store=ctx.key_store)
    signed = ctx.workdir / "report-zh-signed.pdf"
    sign_pdf(editions[0]["path"], signed, key=key.key_id, password=password, store=ctx.key_store)
    check = verify_pdf(signed, trusted_certs=[key.cert_path])
    if not check.ok:
        raise SelftestError(
            N_("The signed self-test report does not verify: {detail}"),
            detail=json.dumps(check.as_dict(), ensure_ascii=False)[:400],
        )
    pages = ", ".join(f"{e['lang']} {e['pages']}" for e in editions)
    return _("report rendered ({pages} pages), signed and verified").format(pages=pages)


def check_demo(ctx: SelftestContext) -> str:
    from gaisafe_desktop.core.demo import run_demo

    result = run_demo(ctx.workdir / "demo")
    if result.casefile_ok is False:
        raise SelftestError(
            N_("The demo audit's case file does not verify: {problems}"), problems="; ".join(result.casefile_problems)
        )
    missing = [r["path"] for r in result.reports if not Path(r.get("signed", r["path"])).is_file()]
    if not result.reports or missing:
        raise SelftestError(N_("The demo audit produced no report: {files}"), files=", ".join(missing) or "-")
    return _("demo audit: {steps} steps, {reports} signed reports, case file verified ({s} s)").format(
        steps=len(result.steps), reports=len(result.reports), s=result.seconds
    )


CHECKS: list[SelftestCheck] = [
    SelftestCheck("bundle", N_("Installed files match their checksums"), check_bundle),
    SelftestCheck("resources", N_("Resources, translations, fonts, migrations"), check_resources),
    SelftestCheck("models", N_("Bundled models: SHA-256 and inference"), check_models),
    SelftestCheck("framework", N_("Framework pack loads"), check_framework),
    SelftestCheck("keywords", N_("Keyword engine"), check_keywords),
    SelftestCheck("project", N_("Project file: create, reopen, verify audit log"), check_project),
    SelftestCheck("ingest", N_("Import transcripts"), check_ingest, needs=("project",)),
    SelftestCheck("report", N_("Report: render (zh, en), sign, verify"), check_report, needs=("project",)),
    SelftestCheck("demo", N_("The bundled demo audit, end to end"), check_demo, needs=("models", "framework")),
]


def register_check(check: SelftestCheck, *, after: str | None = None) -> None:
    """Add ``check`` to :data:`CHECKS` after the named check, else at the end; a check of the same name is
    replaced in its place (unless ``after`` moves it)."""
    names = [c.name for c in CHECKS]
    if check.name in names and after is None:
        CHECKS[names.index(check.name)] = check
        return
    CHECKS[:] = [c for c in CHECKS if c.name != check.name]
    names = [c.name for c in CHECKS]
    CHECKS.insert(names.index(after) + 1 if after in names else len(CHECKS), check)


def load_extensions() -> None:
    """Parts of the app that add checks do so when imported; import those present (e.g. the demo)."""
    import importlib
    import importlib.util

    for module in ("gaisafe_desktop.core.demo.selftest",):
        try:
            if importlib.util.find_spec(module) is not None:
                importlib.import_module(module)
        except ModuleNotFoundError:
            continue


def run_selftest(
    *,
    only: Iterable[str] | None = None,
    keep: Path | None = None,
    extra: Iterable[SelftestCheck] = (),
    write_log: bool = True,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> SelftestReport:
    """Run the checks (all, or those named in ``only``) and return what each found.

    Args:
        only: names of the checks to run (unknown names are an error).
        keep: folder to keep the scratch project, keys and reports in (default: a removed temp folder).
        extra: checks appended for this run only (the desktop app adds its window check).
        write_log: also write the report as JSON to ``log_dir()/selftest-<time>.json``.

    Raises:
        NotFoundError: a name in ``only`` is not a known check.
    """
    import sys

    load_extensions()
    checks = [*CHECKS, *extra]
    if only:
        wanted = list(only)
        unknown = [n for n in wanted if n not in {c.name for c in checks}]
        if unknown:
            raise NotFoundError(
                N_("Unknown self-test check(s): {names}; known: {known}."),
                names=", ".join(unknown),
                known=", ".join(c.name for c in checks),
            )
        checks = [c for c in checks if c.name in wanted]
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    t0 = time.perf_counter()
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        workdir, cleanup = Path(keep), False
    else:
        workdir, cleanup = Path(tempfile.mkdtemp(prefix="gaisafe-selftest-")), True
    ctx = SelftestContext(workdir)
    results: list[CheckResult] = []
    try:
        for i, check in enumerate(checks):
            cancel.raise_if_cancelled()
            progress(i, len(checks), _(check.title))
            failed_needs = [r.name for r in results if r.name in check.needs and r.status != "ok"]
            if failed_needs:
                detail = _("skipped: needs {names}").format(names=", ".join(failed_needs))
                results.append(CheckResult(check.name, _(check.title), "skipped", detail, 0.0))
                continue
            c0 = time.perf_counter()
            try:
                detail, status = check.run(ctx), "ok"
            except GaisafeError as exc:
                detail, status = exc.message(), "failed"
            except Exception as exc:  # noqa: BLE001 - a self-test reports every failure, it does not stop
                detail, status = f"{type(exc).__name__}: {exc}", "failed"
                ctx.shared.setdefault("tracebacks", {})[check.name] = traceback.format_exc()
            results.append(CheckResult(check.name, _(check.title), status, detail, round(time.perf_counter() - c0, 3)))
        progress(len(checks), len(checks), "")
    finally:
        if cleanup:
            shutil.rmtree(workdir, ignore_errors=True)
    report = SelftestReport(
        version=__version__,
        started=started.isoformat(),
        frozen=bool(getattr(sys, "frozen", False)),
        results=results,
        seconds=round(time.perf_counter() - t0, 3),
    )
    if write_log:
        report.log_file = str(_write_log(report, ctx.shared.get("tracebacks", {})))
    return report


def _write_log(report: SelftestReport, tracebacks: dict) -> Path | None:
    from gaisafe_desktop.core.paths import log_dir

    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"selftest-{report.started.replace(':', '').replace('+0000', 'Z')}.json"
        data = report.to_dict() | {"tracebacks": tracebacks}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return path
    except OSError:  # a read-only home must not turn a passing self-test into a failure
        return None


def format_report(report: SelftestReport) -> str:
    """The human-readable result, one line per check and a verdict line."""
    marks = {"ok": _("ok"), "failed": _("FAILED"), "skipped": _("skipped")}
    lines = [_("GAISafe Desktop {version} self-test").format(version=report.version)]
    for r in report.results:
        lines.append(f"[{marks[r.status]:^7}] {r.title} ({r.seconds:.1f}s): {r.detail}")
    n_ok = sum(r.status == "ok" for r in report.results)
    if report.ok:
        lines.append(_("All {n} checks passed in {s:.1f}s.").format(n=n_ok, s=report.seconds))
    else:
        lines.append(
            _("{bad} of {n} checks did not pass; the installation is not fit for an audit.").format(
                bad=len(report.results) - n_ok, n=len(report.results)
            )
        )
    if report.log_file:
        lines.append(_("Record written to {path}").format(path=report.log_file))
    return "\n".join(lines)
