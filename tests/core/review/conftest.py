"""A project with a drawn sample of real imported records and a team with separate roles."""

from __future__ import annotations

import json

import pytest

from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset, save_source
from gaisafe_desktop.core.sampling.plans import create_plan, draw_plan
from gaisafe_desktop.core.store.people import add_person

TEXTS = ["今天天气很好，我们去公园散步。", "报道称{term}一事引起讨论。", "Plain English training sentence."]


def starter_term() -> str:
    """A Chinese term of the shipped starter keyword library (the library is rebuilt as data improves)."""
    from gaisafe_desktop.core.detect.keywords.service import resolve_library

    return next(
        e.term for e in resolve_library(None, starter=True).entries if e.lang == "zh" and e.kind == "term" and e.risks
    )


def write_corpus(path, n):
    texts = [t.format(term=starter_term()) for t in TEXTS]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"text": f"{texts[i % 3]} #{i}"}, ensure_ascii=False) + "\n")
    return path


def make_sampled_project(project, tmp_path, n_records=60, n_sample=20, plan="manual"):
    save_source(project, "src-a", origin="domestic", source_type="open_source")
    ds = import_dataset(
        project,
        ImportRequest(kind="training", paths=[write_corpus(tmp_path / "c.jsonl", n_records)], name="c", source="src-a"),
    )
    create_plan(project, plan, datasets=[ds.dataset_id], rule=str(n_sample), purpose="training_manual")
    draw_plan(project, plan)
    add_person(project, "Ann", ["annotator"])
    add_person(project, "Bo", ["annotator"])
    add_person(project, "Rita", ["reviewer"])
    add_person(project, "Lee", ["lead_auditor", "annotator"])
    return ds


@pytest.fixture
def sampled(tmp_project, tmp_path):
    make_sampled_project(tmp_project, tmp_path)
    return tmp_project
