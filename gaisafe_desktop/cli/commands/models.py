"""``gaisafe models list|show|verify|register|coverage``, ``gaisafe classify FILE``, ``gaisafe refusal FILE``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _, localized


def _project_or_none(obj):
    return obj.open_project(read_only=True) if obj.project_path is not None else None


class _Sink:
    """Writes each result as a JSONL line to a file, or prints it (JSONL with --json, else a short line)."""

    def __init__(self, out: Path | None, obj, human_row) -> None:
        self.out, self.obj, self.human_row = out, obj, human_row
        self.fh = None

    def __enter__(self):
        if self.out:
            self.fh = self.out.open("w", encoding="utf-8")
        return self

    def __exit__(self, *exc) -> None:
        if self.fh:
            self.fh.close()

    def __call__(self, key: str, res: dict) -> None:
        line = json.dumps({"record": key, **res}, ensure_ascii=False)
        if self.fh:
            self.fh.write(line + "\n")
        elif self.obj.json:
            click.echo(line)
        else:
            click.echo(self.human_row(key, res))


def register(cli: click.Group) -> None:
    g = group(cli, "models", N_("Classifier models: bundled and registered ONNX models, B.1.4 coverage."))

    @command(g, "list", N_("List the bundled models and the models registered in the project (if one is given)."))
    @pass_obj
    def list_cmd(obj):
        from gaisafe_desktop.core.detect.model_registry import list_models

        data = [m.to_dict() for m in list_models(_project_or_none(obj))]
        obj.emit(
            data,
            lambda rows: table(
                [(r["name"], r["version"], r["task"], r["origin"], r["covers"], r["sha256"][:16]) for r in rows],
                [_("Model"), _("Version"), _("Task"), _("Origin"), _("Risk codes"), _("SHA-256")],
            ),
        )

    @command(g, "show", N_("Show a model's manifest: labels, thresholds, training data, metrics."))
    @click.argument("name")
    @click.option("--version", "version", help=N_("Model version (default: the newest)."))
    @pass_obj
    def show(obj, name, version):
        from gaisafe_desktop.core.detect.model_registry import find_model

        info = find_model(name, _project_or_none(obj), version)
        data = {**info.to_dict(), "manifest": info.manifest.data}

        def human(d):
            m = d["manifest"]
            lines = [
                f"{d['name']} {d['version']} ({d['task']}, {d['origin']})",
                localized(m.get("title", {}), obj.lang) if m.get("title") else "",
                _("SHA-256: {sha}").format(sha=d["sha256"]),
                _("Risk codes covered: {n}").format(n=d["covers"]),
                "",
            ]
            rows = [
                (
                    lab["name"],
                    " ".join(lab["risk_codes"]),
                    m.get("thresholds", {}).get(lab["name"], ""),
                    lab.get("training_examples", ""),
                    lab.get("note", ""),
                )
                for lab in m["labels"]
            ]
            lines.append(table(rows, [_("Label"), _("Risk codes"), _("Threshold"), _("Training examples"), _("Note")]))
            if m.get("metrics"):
                lines += ["", _("Held-out metrics:"), json.dumps(m["metrics"], ensure_ascii=False, indent=1)]
            return "\n".join(lines)

        obj.emit(data, human)

    @command(g, "verify", N_("Re-hash every model file against its manifest; exit code 5 if one was changed."))
    @pass_obj
    def verify(obj):
        from gaisafe_desktop.core.detect.model_registry import verify_models
        from gaisafe_desktop.core.errors import IntegrityError

        data = verify_models(_project_or_none(obj))
        obj.emit(
            data,
            lambda rows: table(
                [
                    (r["name"], r["version"], r["origin"], _("ok") if r["ok"] else _("CHANGED"), r["problem"])
                    for r in rows
                ],
                [_("Model"), _("Version"), _("Origin"), _("Result"), _("Problem")],
            ),
        )
        bad = [r for r in data if not r["ok"]]
        if bad:
            raise IntegrityError(N_("{n} model file(s) do not match their manifest."), n=len(bad))

    @command(
        g,
        "register",
        N_(
            "Register an ONNX model in the project: a folder with manifest.json and the model file, or the name of a bundled model."
        ),
    )
    @click.argument("folder", metavar="FOLDER_OR_NAME")
    @click.option("--note", default="", help=N_("A note stored with the registration."))
    @pass_obj
    def register_cmd(obj, folder, note):
        from gaisafe_desktop.core.detect.model_registry import register_model

        info = register_model(obj.open_project(), folder, note=note)
        obj.emit(
            info.to_dict(),
            lambda d: _("Registered {name} {version} ({task}); covers {covers} risk codes; SHA-256 {sha}.").format(
                name=d["name"], version=d["version"], task=d["task"], covers=d["covers"], sha=d["sha256"][:16]
            ),
        )

    @command(g, "coverage", N_("B.1.4 coverage report: which of the 31 risk codes each classifier covers."))
    @pass_obj
    def coverage(obj):
        from gaisafe_desktop.core.detect.model_registry import coverage_report

        data = coverage_report(_project_or_none(obj))

        def human(d):
            names = [f"{m['name']} {m['version']}" for m in d["models"]]
            rows = [(code, *("x" if n in models else "-" for n in names)) for code, models in d["per_code"].items()]
            lines = [table(rows, [_("Risk code"), *names])]
            lines.append(
                _("Covered by at least one model: {n}/31. Missing: {missing}").format(
                    n=d["union_covered"], missing=", ".join(d["missing"]) or "-"
                )
            )
            return "\n".join(lines)

        obj.emit(data, human)

    @command(cli, "classify", N_("Classify the texts of a JSONL/CSV file with a risk model; JSONL out."))
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option(
        "--model",
        "model_name",
        default="risk-classifier",
        help=N_("Model name (default: the bundled risk-classifier)."),
    )
    @click.option(
        "--column", help=N_("Text column (default: text, content, answer, response, output, prompt or question).")
    )
    @click.option("--id-column", help=N_("Column holding the record id (default: the line number)."))
    @click.option("-o", "--output", type=click.Path(path_type=Path), help=N_("Write JSONL results to this file."))
    @click.option("--record", is_flag=True, help=N_("Record the run in the project (registered models only)."))
    @pass_obj
    def classify(obj, file, model_name, column, id_column, output, record):
        from gaisafe_desktop.core.detect.model_registry import run_classify_file

        project = obj.open_project() if record else _project_or_none(obj)
        with _Sink(output, obj, lambda k, d: f"{k}\t{'RISK' if d['risky'] else '-'}\t{' '.join(d['codes'])}") as sink:
            summary = run_classify_file(
                file,
                model_name=model_name,
                project=project,
                column=column,
                id_column=id_column,
                record=record,
                sink=sink,
                progress=obj.progress(_("Classifying")),
            )
        if summary["run_id"] is not None:
            click.echo(_("Recorded as run {id}.").format(id=summary["run_id"]), err=True)
        click.echo(_("{n} texts, {k} with a risk.").format(n=summary["records"], k=summary["risky"]), err=True)

    @command(cli, "refusal", N_("Judge the answers of a JSONL/CSV file as refusal / partial / compliance; JSONL out."))
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option(
        "--question-column", help=N_("Question column (default: question, prompt, query, input or instruction).")
    )
    @click.option("--answer-column", help=N_("Answer column (default: answer, response, output, completion or reply)."))
    @click.option("--id-column", help=N_("Column holding the record id (default: the line number)."))
    @click.option("--rules-only", is_flag=True, help=N_("Use the phrase rules only (no model channel)."))
    @click.option("-o", "--output", type=click.Path(path_type=Path), help=N_("Write JSONL results to this file."))
    @pass_obj
    def refusal(obj, file, question_column, answer_column, id_column, rules_only, output):
        from gaisafe_desktop.core.detect.model_registry import run_refusal_file

        def human(k, d):
            return f"{k}\t{d['label']}\t{_('REVIEW') if d['disagreement'] else ''}\t{' '.join(d['rules_matched'])}"

        with _Sink(output, obj, human) as sink:
            summary = run_refusal_file(
                file,
                rules_only=rules_only,
                question_column=question_column,
                answer_column=answer_column,
                id_column=id_column,
                sink=sink,
                progress=obj.progress(_("Judging")),
            )
        click.echo(
            _("{n} answers, {k} refusals, {r} flagged for review (channels disagree).").format(
                n=summary["records"], k=summary["labels"].get("refusal", 0), r=summary["disagreements"]
            ),
            err=True,
        )
