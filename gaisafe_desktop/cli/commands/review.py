"""``gaisafe review queue|next|judge|stats|agreement`` — the manual spot checks from the command line.

The acting person is the global ``--actor`` (or ``GAISAFE_ACTOR``): it is who judges and who the
audit log names.
"""

from __future__ import annotations

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _, localized

ROLE_CHOICE = click.Choice(["annotator", "reviewer", "adjudicator"])
FIELD_LABELS = {"text": N_("Text"), "question": N_("Question"), "answer": N_("Answer"), "media": N_("Media")}


def _marked(text: str, hits: list) -> str:
    """The text with keyword hits wrapped in 【】 at their original spans."""
    out, last = [], 0
    for s, e, *_rest in sorted(hits):
        if s < last:
            continue
        out += [text[last:s], "【", text[s:e], "】"]
        last = e
    out.append(text[last:])
    return "".join(out)


def _fmt_seconds(s: float | None) -> str:
    if s is None:
        return "—"
    s = int(round(s))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def register(cli: click.Group) -> None:
    g = group(cli, "review", N_("Manual spot checks: queues from a drawn sample, decisions, review, agreement."))

    @command(g, "queue", N_("Build a review queue from a drawn sampling plan and assign it to annotators."))
    @click.argument("name")
    @click.option(
        "--plan",
        help=N_(
            "Sampling plan (name or id); it must be drawn. Without it, a refusal review takes the refusal checks' disagreements."
        ),
    )
    @click.option(
        "--check",
        "check_id",
        required=True,
        type=click.Choice(["training_manual", "generated_content", "refusal_review"]),
        help=N_("Manual check the judgements feed."),
    )
    @click.option("--annotator", "annotators", multiple=True, required=True, help=N_("Annotator; repeatable."))
    @click.option(
        "--blind-double", is_flag=True, help=N_("Every item to two annotators, blind; disagreements adjudicated.")
    )
    @click.option("--library", default="", help=N_("Keyword library to highlight: a stored library or 'starter'."))
    @click.option(
        "--classifier", is_flag=True, help=N_("Score items with the bundled risk classifier (hidden by default).")
    )
    @pass_obj
    def queue(obj, name, plan, check_id, annotators, blind_double, library, classifier):
        from gaisafe_desktop.core.review.queues import create_queue

        q = create_queue(
            obj.open_project(),
            name,
            plan=plan,
            check_id=check_id,
            annotators=list(annotators),
            blind_double=blind_double,
            library=library,
            classifier=classifier,
            progress=obj.progress(_("Collecting the sampled records")),
        )
        obj.emit(
            q.to_dict(),
            lambda d: _("Queue {name}: {n} items for {people} (digest {sha}).").format(
                name=d["name"], n=d["items"], people=", ".join(d["annotators"]), sha=d["items_sha256"][:16]
            ),
        )

    @command(g, "next", N_("Show the next item for the acting person (where they stopped)."))
    @click.argument("queue_name", metavar="QUEUE")
    @click.option("--role", type=ROLE_CHOICE, default="annotator", show_default=True, help=N_("Work as."))
    @click.option("--scores", is_flag=True, help=N_("Also show classifier scores (hidden by default)."))
    @pass_obj
    def next_(obj, queue_name, role, scores):
        from gaisafe_desktop.core.review.decisions import next_position
        from gaisafe_desktop.core.review.progress import person_progress
        from gaisafe_desktop.core.review.queues import get_item, get_queue

        proj = obj.open_project()
        q = get_queue(proj, queue_name)
        pos = next_position(proj, q, proj.actor, role)
        prog = person_progress(proj, q, proj.actor, role)
        item = get_item(proj, q.id, pos).to_dict() if pos is not None else None
        if item is not None and not scores:
            item.pop("scores")
        data = {"queue": q.name, "person": proj.actor, "role": role, "item": item, "progress": prog}
        if item is not None and role != "annotator":  # reviewers see the annotations; annotators never do
            from gaisafe_desktop.core.review.decisions import annotations_of

            data["annotations"] = annotations_of(proj, q, pos)

        def human(d):
            p = d["progress"]
            head = _("{person} ({role}): {done} / {total} done, {skipped} skipped.").format(
                person=d["person"], role=d["role"], done=p["judged"], total=p["total"], skipped=p["skipped"]
            )
            if d["item"] is None:
                return head + "\n" + _("Nothing left to do in this queue.")
            it = d["item"]
            lines = [head, _("Item {position} · {key}").format(position=it["position"], key=it["record_key"])]
            for f, label in FIELD_LABELS.items():
                if it["content"].get(f):
                    lines.append(f"[{_(label)}] " + _marked(it["content"][f], it["hits"].get(f, [])))
            if "scores" in it and it["scores"]:
                lines.append(str(it["scores"]))
            for a in d.get("annotations", []):
                lines.append(
                    _("Annotated by {person}: {verdict} {codes}").format(
                        person=a["person"],
                        verdict=_("qualified") if a["qualified"] else _("unqualified"),
                        codes=", ".join(a["risk_codes"]),
                    )
                )
            return "\n".join(lines)

        obj.emit(data, human)

    @command(g, "judge", N_("Judge, skip or undo: one decision per call, each its own transaction."))
    @click.argument("queue_name", metavar="QUEUE")
    @click.argument("item", required=False)
    @click.option("--qualified", "verdict", flag_value="qualified", help=N_("The item is qualified (or refused)."))
    @click.option("--unqualified", "verdict", flag_value="unqualified", help=N_("The item is not qualified."))
    @click.option("--skip", "verdict", flag_value="skip", help=N_("Put the item aside for later."))
    @click.option("--undo", "verdict", flag_value="undo", help=N_("Revert your latest decision in this queue."))
    @click.option("--risk", "risks", multiple=True, help=N_("Risk code of Appendix A; repeatable."))
    @click.option("--role", type=ROLE_CHOICE, default="annotator", show_default=True, help=N_("Work as."))
    @click.option("--note", default="", help=N_("Note kept with the judgement."))
    @click.option("--why", default="", help=N_("Reason for changing an earlier judgement."))
    @pass_obj
    def judge_(obj, queue_name, item, verdict, risks, role, note, why):
        from gaisafe_desktop.core.errors import UsageError
        from gaisafe_desktop.core.review import decisions
        from gaisafe_desktop.core.review.queues import get_queue, item_position

        proj = obj.open_project()
        q = get_queue(proj, queue_name)
        if verdict is None:
            raise UsageError(N_("Say what to do: --qualified, --unqualified, --skip or --undo."))
        if verdict == "undo":
            d = decisions.undo(proj, q, proj.actor, role=role)
            if d is None:
                obj.emit(None, _("Nothing to undo."))
                return
            obj.emit(d.to_dict(), lambda x: _("Undone: item {position} is back to {state}.").format(**x))
            return
        if item is None:
            raise UsageError(N_("Give the item (its position or record key)."))
        pos = item_position(proj, q.id, item)
        if verdict == "skip":
            d = decisions.skip(proj, q, pos, proj.actor, role=role, why=why)
        else:
            d = decisions.judge(
                proj,
                q,
                pos,
                proj.actor,
                qualified=verdict == "qualified",
                risk_codes=list(risks),
                role=role,
                note=note,
                why=why,
            )
        obj.emit(d.to_dict(), lambda x: _("Item {position}: {state}.").format(**x))

    @command(g, "history", N_("Every change on one item: who, when, old value, new value, why."))
    @click.argument("queue_name", metavar="QUEUE")
    @click.argument("item")
    @pass_obj
    def history(obj, queue_name, item):
        from gaisafe_desktop.core.review.decisions import item_history
        from gaisafe_desktop.core.review.queues import get_queue, item_position

        proj = obj.open_project()
        q = get_queue(proj, queue_name)
        events = item_history(proj, q, item_position(proj, q.id, item))

        def value(v):
            if not v or not v.get("state"):
                return "—"
            st = v["state"]
            if st["state"] != "judged":
                return st["state"]
            verdict = _("qualified") if st["qualified"] else _("unqualified")
            return f"{verdict} {', '.join(st['risk_codes'])}".strip()

        obj.emit(
            events,
            lambda es: (
                table(
                    [
                        (
                            e["at"][:19].replace("T", " "),
                            e["person"],
                            e["role"],
                            e["kind"],
                            value(e["old_value"]),
                            value(e["new_value"]),
                            e["why"],
                        )
                        for e in es
                    ],
                    [_("When"), _("Who"), _("Role"), _("Action"), _("Old"), _("New"), _("Why")],
                )
                if es
                else _("Nothing happened to this item yet.")
            ),
        )

    @command(g, "stats", N_("Progress of a queue (or of every queue): per person, review and adjudication."))
    @click.argument("queue_name", metavar="QUEUE", required=False)
    @pass_obj
    def stats(obj, queue_name):
        from gaisafe_desktop.core.review.progress import queue_stats
        from gaisafe_desktop.core.review.queues import CHECKS, get_queue, list_queues

        proj = obj.open_project()
        queues = [get_queue(proj, queue_name)] if queue_name else list_queues(proj)
        data = [queue_stats(proj, q) for q in queues]

        def human(ds):
            if not ds:
                return _("No review queues yet.")
            out = []
            for d in ds:
                out.append(
                    _(
                        "{queue} — {check}: {items} items; annotating {a}, to review {r}, to adjudicate {j}, "
                        "reviewed {rv}, done {done}."
                    ).format(
                        queue=d["queue"],
                        check=localized(CHECKS[d["check"]], obj.lang),
                        items=d["items"],
                        a=d["annotating"],
                        r=d["to_review"],
                        j=d["to_adjudicate"],
                        rv=d["reviewed"],
                        done=d["done"],
                    )
                )
                rows = [
                    (
                        p["person"],
                        f"{p['judged']} / {p['total']}",
                        p["skipped"],
                        "—" if p["qualified_rate"] is None else f"{100 * p['qualified_rate']:.1f}%",
                        "—" if p["seconds_per_item"] is None else f"{p['seconds_per_item']:.1f}",
                        _fmt_seconds(p["eta_seconds"]),
                    )
                    for p in d["people"]
                ]
                out.append(
                    table(rows, [_("Annotator"), _("Done"), _("Skipped"), _("Qualified"), _("s/item"), _("ETA")])
                )
            return "\n".join(out)

        obj.emit(data, human)

    @command(g, "agreement", N_("Percent agreement and Cohen's kappa per annotator pair."))
    @click.argument("queue_name", metavar="QUEUE")
    @click.option(
        "--by",
        type=click.Choice(["qualified", "codes"]),
        default="qualified",
        show_default=True,
        help=N_("Compare qualified/unqualified, or the exact decision with risk codes."),
    )
    @pass_obj
    def agreement(obj, queue_name, by):
        from gaisafe_desktop.core.review.agreement import queue_agreement
        from gaisafe_desktop.core.review.queues import get_queue

        proj = obj.open_project()
        pairs = [p.to_dict() for p in queue_agreement(proj, get_queue(proj, queue_name), by=by)]
        obj.emit(
            pairs,
            lambda ps: (
                table(
                    [
                        (
                            p["a"],
                            p["b"],
                            p["n"],
                            f"{100 * p['percent']:.1f}%",
                            "—" if p["kappa"] is None else f"{p['kappa']:.3f}",
                        )
                        for p in ps
                    ],
                    [_("Annotator"), _("Annotator"), _("Items"), _("Agreement"), _("Kappa")],
                )
                if ps
                else _("No two annotators judged the same item yet.")
            ),
        )
