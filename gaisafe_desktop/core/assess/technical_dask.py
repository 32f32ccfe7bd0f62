"""B.2.1 b) on a Dask cluster: the same :func:`check_batch` over the same files, one task per file.

1. :func:`export_job` writes a self-contained job folder: ``job.json`` (files with their SHA-256,
   mapping options, the plan and its sample hash, library and model ids), ``sample-keys.txt`` and
   ``library.json``. Nothing in it needs the project file.
2. :func:`run_job` runs one task per file on a ``distributed`` client (a ``LocalCluster`` or a real
   scheduler). Each task verifies its file's SHA-256, re-derives the record keys exactly as the
   import did, checks the sampled records with :func:`check_batch`, and writes ``part-NNNNN.jsonl``.
   The job's ``manifest.json`` lists every partition with its SHA-256 and counts.
3. :func:`import_job_results` verifies the manifest (job hash, plan seed and sample hash, library
   and model hashes, every partition's hash, every sampled key present exactly once) and stores
   the result like a local run, with the engine recorded in its inputs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.errors import IntegrityError, NotFoundError
from gaisafe_desktop.core.hashing import canonical_json, sha256_file
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress

JOB = "job.json"
MANIFEST = "manifest.json"
KEYS = "sample-keys.txt"
LIBRARY = "library.json"


def export_job(
    project,
    out_dir: str | Path,
    *,
    plan: str | None = None,
    nonce: str | None = None,
    library: str | None = None,
    model: str | None = None,
    batch: int = 2000,
) -> Path:
    """Write the job folder for a cluster run of the technical check; returns the path of ``job.json``."""
    from gaisafe_desktop.core.assess.detectors import load_detectors
    from gaisafe_desktop.core.assess.samples import datasets_of, ensure_plan, plan_inputs, sample_key_set
    from gaisafe_desktop.core.assess.technical import ASSESSMENT
    from gaisafe_desktop.core.errors import UsageError
    from gaisafe_desktop.core.ingest.manifest import dataset_files

    fw = project.framework
    spec = fw.assessment(ASSESSMENT)
    training = datasets_of(project, "training")
    if not training:
        raise UsageError(N_("No training data imported: nothing to check."))
    frac = spec.get("min_sample_fraction", 0.1)
    p = ensure_plan(project, ASSESSMENT, [d["id"] for d in training], f"{float(frac) * 100:g}%", plan=plan, nonce=nonce)
    det = load_detectors(project, library=library, model=model, load_model=False)
    if det.model_info is not None and det.model_folder is None:
        raise UsageError(
            N_("A cluster job can use only a bundled model or a model folder; {name} is stored in the project."),
            name=det.model_info["name"],
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    keys = sorted(sample_key_set(project, p))
    (out / KEYS).write_text("".join(k + "\n" for k in keys), encoding="utf-8")
    lib = [[e.term, list(e.risks), e.kind, e.lang, e.match, e.note, e.added, e.where] for e in det.entries]
    (out / LIBRARY).write_text(json.dumps(lib, ensure_ascii=False), encoding="utf-8")
    files = []
    for d in training:
        for f in dataset_files(project, d["id"]):
            files.append(
                {
                    "dataset_id": d["id"],
                    "dataset": d["name"],
                    "kind": d["kind"],
                    "options": json.loads(d["options"]),
                    "file_idx": f["file_idx"],
                    "path": str(Path(f["path"]).resolve()),
                    "sha256": f["sha256"],
                    "format": f["format"],
                    "records": f["records"],
                    "size": f["size"],
                }
            )
    job = {
        "version": 1,
        "check": ASSESSMENT,
        "project": project.info["uuid"],
        "plan": plan_inputs(p),
        "sample_keys": {"file": KEYS, "sha256": sha256_file(out / KEYS), "count": len(keys)},
        "keyword_library": det.library and {**det.library, "file": LIBRARY, "file_sha256": sha256_file(out / LIBRARY)},
        "classifier": det.model_info and {**det.model_info, "folder": det.model_folder},
        "risk_codes": fw.risk_set(spec.get("qualified_risk_set", "all")),
        "files": files,
        "batch": batch,
    }
    path = out / JOB
    path.write_text(json.dumps(job, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def iter_file_records(entry: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(record key, text)`` of every taken record of one dataset file, keyed exactly as the import keyed it."""
    from gaisafe_desktop.core.assess.technical import record_text
    from gaisafe_desktop.core.ingest import keys
    from gaisafe_desktop.core.ingest.iterate import Record, read_mapped_rows

    with read_mapped_rows(Path(entry["path"]), entry["format"], entry["kind"], entry["options"]) as (_ctx, rows):
        for idx, line, vals, _flags, ch in rows:
            rec = Record(keys.make_key(entry["sha256"], idx, ch), 0, entry["kind"], 0, 0, idx, line, *vals)
            yield rec.key, record_text(rec)


def run_partition(job_dir: str, index: int) -> dict[str, Any]:
    """One task: check the sampled records of file ``index`` of the job; write and describe its part file."""
    from gaisafe_desktop.core.assess.technical import check_batch
    from gaisafe_desktop.core.detect.keywords.library import Entry
    from gaisafe_desktop.core.detect.keywords.matcher import KeywordMatcher
    from gaisafe_desktop.core.detect.onnx_runtime import load_model

    root = Path(job_dir)
    job = json.loads((root / JOB).read_text(encoding="utf-8"))
    entry = job["files"][index]
    actual = sha256_file(entry["path"])
    if actual != entry["sha256"]:
        raise IntegrityError(
            N_("{path} has changed since it was imported (SHA-256 {actual}, manifest {expected})."),
            path=entry["path"],
            actual=actual,
            expected=entry["sha256"],
        )
    wanted = set((root / KEYS).read_text(encoding="utf-8").split())
    matcher = None
    if job["keyword_library"]:
        raw = json.loads((root / LIBRARY).read_text(encoding="utf-8"))
        matcher = KeywordMatcher(
            [Entry(t, tuple(r), k, lang, m, note, added, where) for t, r, k, lang, m, note, added, where in raw]
        )
    model = load_model(job["classifier"]["folder"], threads=1) if job["classifier"] else None
    name = f"part-{index:05d}.jsonl"
    read = checked = unqualified = 0
    buf: list[tuple[str, str]] = []
    with (root / name).open("w", encoding="utf-8") as out:

        def flush() -> None:
            nonlocal checked, unqualified
            for r in check_batch(buf, matcher, model, job["risk_codes"]):
                checked += 1
                unqualified += not r["qualified"]
                out.write(canonical_json(r) + "\n")
            buf.clear()

        for key, text in iter_file_records(entry):
            read += 1
            if key in wanted:
                buf.append((key, text))
                if len(buf) >= job["batch"]:
                    flush()
        if buf:
            flush()
    return {
        "partition": index,
        "file": Path(entry["path"]).name,
        "file_sha256": entry["sha256"],
        "dataset_id": entry["dataset_id"],
        "records_read": read,
        "checked": checked,
        "unqualified": unqualified,
        "path": name,
        "sha256": sha256_file(root / name),
    }


def run_job(job_path: str | Path, client) -> Path:
    """Run a job folder on a ``distributed.Client`` (one task per file); returns ``manifest.json``."""
    import dask

    root = Path(job_path).parent
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    futures = client.map(run_partition, [str(root)] * len(job["files"]), range(len(job["files"])), pure=False)
    parts = sorted(client.gather(futures), key=lambda p: p["partition"])
    manifest = {
        "version": 1,
        "job_sha256": sha256_file(job_path),
        "engine": {
            "name": "dask",
            "version": dask.__version__,
            "scheduler": client.scheduler.address,
            "workers": len(client.scheduler_info().get("workers", {})),
        },
        "partitions": parts,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    path = root / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def import_job_results(
    project, manifest_path: str | Path, *, progress: Progress = NULL_PROGRESS, cancel: CancelToken = NEVER
):
    """Verify a finished cluster job against the project and store its technical-check result.

    Raises:
        IntegrityError: a hash, the plan, the library, the model or the set of checked keys does not match.
    """
    from gaisafe_desktop.core.assess.detectors import load_detectors
    from gaisafe_desktop.core.assess.results import store_results
    from gaisafe_desktop.core.assess.samples import datasets_of, sample_key_set
    from gaisafe_desktop.core.assess.technical import summarise, technical_result
    from gaisafe_desktop.core.sampling.plans import get_plan

    mpath = Path(manifest_path)
    if not mpath.is_file():
        raise NotFoundError(N_("Input file {path} does not exist."), path=str(mpath))
    root = mpath.parent
    manifest = json.loads(mpath.read_text(encoding="utf-8"))
    if sha256_file(root / JOB) != manifest["job_sha256"]:
        raise IntegrityError(N_("{path}: the job file changed after the job ran."), path=str(root / JOB))
    job = json.loads((root / JOB).read_text(encoding="utf-8"))
    plan = get_plan(project, job["plan"]["name"])
    if plan.seed != job["plan"]["seed"] or plan.sample_hash != job["plan"]["sample_hash"]:
        raise IntegrityError(
            N_("The job's plan {name} differs from the project's (seed or sample hash)."), name=plan.name
        )
    lib = job["keyword_library"]
    det = load_detectors(
        project,
        library=lib["name"] if lib else None,
        model=job["classifier"]["name"] if job["classifier"] else None,
        load_model=False,
    )
    if (lib or {}).get("sha256") != (det.library or {}).get("sha256") or (
        (job["classifier"] or {}).get("sha256") != (det.model_info or {}).get("sha256")
    ):
        raise IntegrityError(N_("The job used another keyword library or model than the project has."))
    if lib and sha256_file(root / LIBRARY) != lib["file_sha256"]:
        raise IntegrityError(
            N_("{path}: the library file changed after the job was written."), path=str(root / LIBRARY)
        )
    sample = sample_key_set(project, plan)
    results: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, part in enumerate(manifest["partitions"]):
        cancel.raise_if_cancelled()
        progress(i, len(manifest["partitions"]), part["path"])
        f = root / part["path"]
        if not f.is_file() or sha256_file(f) != part["sha256"]:
            raise IntegrityError(N_("Partition {path} is missing or differs from the job manifest."), path=str(f))
        with f.open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["key"] not in sample or r["key"] in seen:
                    raise IntegrityError(
                        N_("Partition {path} has record {key}, which is not in the sample or appears twice."),
                        path=str(f),
                        key=r["key"],
                    )
                seen.add(r["key"])
                results.append(r)
    if len(seen) != len(sample):
        raise IntegrityError(
            N_("The job checked {n} of the {m} sampled records; {missing} are missing."),
            n=len(seen),
            m=len(sample),
            missing=len(sample) - len(seen),
        )
    fw = project.framework
    names = {d["id"]: d["name"] for d in datasets_of(project, "training")}
    illegal = set(fw.risk_set(fw.assessment("source_rule").get("illegal_risk_set", "illegal_unhealthy")))
    n, q, detail, items = summarise(results, sample, names, illegal)
    det.model = det.model_info  # identified, not loaded: the cluster ran it
    engine = {**manifest["engine"], "manifest_sha256": sha256_file(mpath), "partitions": len(manifest["partitions"])}
    result = technical_result(project, plan, det, n, q, detail, items, engine)
    run_id = store_results(project, "assess.training_technical.import", [result], {"manifest": sha256_file(mpath)})
    return run_id, [result]


def run_job_on_cluster(job_path: str | Path, *, scheduler: str | None = None, workers: int = 2) -> Path:
    """Run a job folder on the Dask scheduler at ``scheduler``, or on a local cluster of ``workers`` processes.

    Raises:
        UsageError: Dask is not installed here (the desktop packages leave it out).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        from gaisafe_desktop.core.errors import UsageError
        from gaisafe_desktop.core.i18n import N_

        raise UsageError(
            N_(
                "Running a job needs Dask, which this installation does not include. Run it on a machine "
                "installed with the scale extra (pip install 'gaisafe-desktop[scale]' or the --scale wheelhouse)."
            )
        ) from None

    if scheduler:
        with Client(scheduler) as client:
            return run_job(job_path, client)
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        return run_job(job_path, client)
