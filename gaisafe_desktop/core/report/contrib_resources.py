"""Default report contributions "resources" and "sampling": what was tested, and how samples were drawn.

- ``resources``: every keyword-library version, question bank / dataset and classifier model the
  verdicts rest on, with its version, date and hashes (read from the project tables of issues 3–5).
- ``sampling``: every sampling plan with its seed (and whether it was drawn or given as a public
  nonce), population manifest hash and size, selection rule, sample size and sample hash, so a
  regulator can re-draw the identical sample.

Tables that do not exist (yet) are skipped. An area that registers its own contributor under the same
name replaces these.
"""

from __future__ import annotations

import json
import sqlite3
from fractions import Fraction
from typing import Any

from gaisafe_desktop.core.report.from_project import ReportContribution, register_report_contributor
from gaisafe_desktop.core.report.model import KeyValues, Paragraph, Section, Table, Text


def _rows(conn: sqlite3.Connection, sql: str) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.Error:  # the area's table does not exist in this project (yet)
        return []


BANK_KINDS: dict[str, Text] = {
    "generated": {"zh": "生成内容测试题库", "en": "generated-content test bank"},
    "should_refuse": {"zh": "应拒答题库", "en": "should-refuse bank"},
    "should_not_refuse": {"zh": "非拒答题库", "en": "should-not-refuse bank"},
}
DATASET_KINDS: dict[str, Text] = {
    "training": {"zh": "训练数据", "en": "training data"},
    "transcripts": {"zh": "模型对话记录", "en": "model transcripts"},
    "bank": {"zh": "题库", "en": "question bank"},
    "media": {"zh": "媒体文件", "en": "media"},
}


def resources_contribution(project: Any, lang: str) -> ReportContribution | None:
    conn = project.conn
    keywords = _rows(
        conn,
        "SELECT library, version, released_on, distinct_terms, sha256, source_name FROM keyword_versions "
        "ORDER BY library, version",
    )
    datasets = _rows(
        conn,
        "SELECT name, kind, bank_kind, version_date, records, manifest_hash FROM datasets "
        "WHERE status = 'complete' ORDER BY kind, name",
    )
    models = _rows(
        conn, "SELECT name, version, task, origin, model_sha256, covered_codes FROM models ORDER BY name, version"
    )
    if not (keywords or datasets or models):
        return None
    blocks: list[Any] = [
        Paragraph(
            {
                "zh": "以下为本次评估所依据的各项资源及其版本与哈希值；评估结论只对这些版本成立。",
                "en": "The resources the verdicts rest on, with their versions and hashes; the verdicts hold "
                "for these versions only.",
            }
        )
    ]
    if keywords:
        blocks.append(
            Table(
                columns=[
                    {"zh": "关键词库", "en": "Keyword library"},
                    {"zh": "版本", "en": "Version"},
                    {"zh": "发布日期", "en": "Released"},
                    {"zh": "词条数", "en": "Terms"},
                    {"zh": "内容哈希", "en": "Content SHA-256"},
                ],
                rows=[
                    (r["library"], r["version"], r["released_on"], r["distinct_terms"], r["sha256"]) for r in keywords
                ],
                widths=[1.6, 0.6, 1.0, 0.8, 3.6],
                numeric_columns={1, 3},
            )
        )
    if datasets:
        blocks.append(
            Table(
                columns=[
                    {"zh": "数据集 / 题库", "en": "Dataset / bank"},
                    {"zh": "类别", "en": "Kind"},
                    {"zh": "版本日期", "en": "Version date"},
                    {"zh": "记录数", "en": "Records"},
                    {"zh": "清单哈希", "en": "Manifest hash"},
                ],
                rows=[
                    (
                        r["name"],
                        BANK_KINDS.get(r["bank_kind"] or "", DATASET_KINDS.get(r["kind"], r["kind"])),
                        r["version_date"] or "—",
                        r["records"],
                        r["manifest_hash"],
                    )
                    for r in datasets
                ],
                widths=[1.6, 1.3, 1.0, 0.8, 3.0],
                numeric_columns={3},
            )
        )
    if models:
        blocks.append(
            Table(
                columns=[
                    {"zh": "模型", "en": "Model"},
                    {"zh": "版本", "en": "Version"},
                    {"zh": "任务", "en": "Task"},
                    {"zh": "覆盖风险数", "en": "Risks covered"},
                    {"zh": "模型文件 SHA-256", "en": "Model file SHA-256"},
                ],
                rows=[
                    (r["name"], r["version"], r["task"], len(json.loads(r["covered_codes"] or "[]")), r["model_sha256"])
                    for r in models
                ],
                widths=[1.6, 0.7, 1.1, 0.8, 3.4],
                numeric_columns={3},
            )
        )
    return ReportContribution(
        sections=[Section(key="resources", title={"zh": "受测资源", "en": "Resources under test"}, blocks=blocks)]
    )


def _rule_text(rule: dict[str, Any]) -> Text:
    if rule.get("kind") == "count":
        return {"zh": f"固定抽取 {rule.get('n')} 条", "en": f"a fixed {rule.get('n')} records"}
    if rule.get("kind") == "fraction":
        try:
            frac = float(Fraction(str(rule.get("fraction", 0))))  # stored exactly, e.g. "1/10"
        except (ValueError, ZeroDivisionError):
            return json.dumps(rule, ensure_ascii=False, sort_keys=True)
        shown = f"{frac * 100:.4f}".rstrip("0").rstrip(".") + "%"
        return {"zh": f"总体的 {shown}（向上取整）", "en": f"{shown} of the population (rounded up)"}
    return json.dumps(rule, ensure_ascii=False, sort_keys=True)


def sampling_contribution(project: Any, lang: str) -> ReportContribution | None:
    plans = _rows(project.conn, "SELECT * FROM sampling_plans ORDER BY id")
    if not plans:
        return None
    seed_sources: dict[str, Text] = {
        "csprng": {"zh": "随机生成", "en": "random (CSPRNG)"},
        "nonce": {"zh": "公开随机数", "en": "public nonce"},
    }
    sections = []
    for p in plans:
        items: list[tuple[Text, Text]] = [
            ({"zh": "用途", "en": "Purpose"}, p["purpose"] or "—"),
            ({"zh": "种子", "en": "Seed"}, p["seed"]),
            ({"zh": "种子来源", "en": "Seed source"}, seed_sources.get(p["seed_source"], p["seed_source"])),
            ({"zh": "总体清单哈希", "en": "Population manifest hash"}, p["population_hash"]),
            ({"zh": "总体规模", "en": "Population size"}, f"{p['population_size']:,}"),
            ({"zh": "抽取规则", "en": "Rule"}, _rule_text(json.loads(p["rule"]))),
            ({"zh": "分层", "en": "Strata"}, p["strata"] or "—"),
            ({"zh": "样本量", "en": "Sample size"}, f"{p['sample_size']:,}" if p["sample_size"] is not None else "—"),
            ({"zh": "样本哈希", "en": "Sample hash"}, p["sample_hash"] or "—"),
            ({"zh": "制定", "en": "Planned"}, f"{p['created_by']} {p['created_at']}"),
            ({"zh": "抽取时间", "en": "Drawn"}, p["drawn_at"] or "—"),
        ]
        sections.append(
            Section(
                key=f"sampling.{p['id']}",
                title={"zh": f"抽样方案 {p['name']}", "en": f"Plan {p['name']}"},
                blocks=[KeyValues(items)],
            )
        )
    intro = Section(
        key="sampling",
        title={"zh": "抽样方案", "en": "Sampling plans"},
        blocks=[
            Paragraph(
                {
                    "zh": "每个方案的种子在抽取之前已写入审计日志；抽取规则为取 SHA-256(种子‖记录键) 最小的 k 条记录，"
                    "监管人员可依据相同的文件重新抽取出完全相同的样本。",
                    "en": "Each plan's seed was written to the audit log before the draw; the selection keeps the "
                    "k records with the smallest SHA-256(seed‖record key), so a regulator re-draws the identical "
                    "sample from the same files.",
                }
            )
        ],
        subsections=sections,
    )
    return ReportContribution(sections=[intro])


register_report_contributor("resources", resources_contribution, default=True)
register_report_contributor("sampling", sampling_contribution, default=True)
