"""Translation catalogue tool (development only; needs ``babel``).

    python scripts/i18n.py missing [--lang zh]      # msgids used in code with no translation
    python scripts/i18n.py add --domain NAME [--only gaisafe_desktop/core/ingest]
                                                    # append missing msgids to NAME.po (zh and en)
    python scripts/i18n.py fill --domain NAME T.json   # set zh msgstr from {msgid: translation}
    python scripts/i18n.py compile                  # .po -> .mo for every catalogue
    python scripts/i18n.py check                    # non-zero exit if anything is missing or stale

Strings are found with ``ast`` in calls to ``_()``, ``N_()`` and ``ngettext()`` whose arguments
are string literals. Each part of the app keeps its own domain (``core.po``, ``ingest.po`` …).
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "resources" / "locale"
LANG_DIRS = {"zh": "zh_CN", "en": "en"}
SOURCES = [ROOT / "gaisafe_desktop"]


def extract() -> dict[str, list[str]]:
    """Every translatable msgid in the package, with where it is used."""
    found: dict[str, list[str]] = {}
    for base in SOURCES:
        for path in sorted(base.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name not in ("_", "N_", "ngettext"):
                    continue
                args = node.args[:2] if name == "ngettext" else node.args[:1]
                for arg in args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        found.setdefault(arg.value, []).append(where)
    return found


def load_catalogues(lang: str) -> dict[Path, Catalog]:
    folder = LOCALE / LANG_DIRS[lang] / "LC_MESSAGES"
    out = {}
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as fh:
            out[po] = read_po(fh, locale=LANG_DIRS[lang])
    return out


def translated(lang: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for cat in load_catalogues(lang).values():
        for msg in cat:
            if msg.id and msg.string:
                key = msg.id if isinstance(msg.id, str) else msg.id[0]
                value = msg.string if isinstance(msg.string, str) else msg.string[0]
                if value:
                    table[key] = value
    return table


def missing(lang: str = "zh") -> dict[str, list[str]]:
    have = translated(lang)
    return {k: v for k, v in extract().items() if k not in have}


def compiled_bytes(po: Path, lang: str) -> bytes:
    with po.open("rb") as fh:
        cat = read_po(fh, locale=LANG_DIRS[lang])
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    return buf.getvalue()


def stale() -> list[Path]:
    """Catalogues whose ``.mo`` is missing or differs from what the ``.po`` compiles to."""
    out = []
    for lang in LANG_DIRS:
        for po in load_catalogues(lang):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != compiled_bytes(po, lang):
                out.append(mo)
    return out


def compile_all() -> None:
    for lang in LANG_DIRS:
        for po in load_catalogues(lang):
            po.with_suffix(".mo").write_bytes(compiled_bytes(po, lang))


def add(domain: str, only: list[str] | None = None) -> int:
    todo = missing("zh")
    if only:
        todo = {k: v for k, v in todo.items() if any(w.startswith(tuple(only)) for w in v)}
    for folder in LANG_DIRS.values():
        path = LOCALE / folder / "LC_MESSAGES" / f"{domain}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as fh:
                cat = read_po(fh, locale=folder)
        else:
            cat = Catalog(locale=folder, domain=domain, project="GAISafe Desktop", charset="utf-8")
        have = {m.id for m in cat}
        for msgid, where in todo.items():
            if msgid not in have:
                cat.add(msgid, "", locations=[(w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1])) for w in where[:3]])
        with path.open("wb") as fh:
            write_po(fh, cat, width=0, omit_header=False)
    return len(todo)


def fill(domain: str, source: Path) -> int:
    """Set zh msgstr values of ``domain`` from a JSON object {msgid: translation}."""
    import json

    table = json.loads(source.read_text(encoding="utf-8"))
    path = LOCALE / LANG_DIRS["zh"] / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as fh:
        cat = read_po(fh, locale=LANG_DIRS["zh"])
    done = 0
    for msg in cat:
        if msg.id in table:
            msg.string = table[msg.id]
            done += 1
    with path.open("wb") as fh:
        write_po(fh, cat, width=0)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("missing")
    m.add_argument("--lang", default="zh")
    a = sub.add_parser("add")
    a.add_argument("--domain", required=True)
    a.add_argument("--only", action="append", help="only msgids used under this path prefix (repeatable)")
    f = sub.add_parser("fill")
    f.add_argument("--domain", required=True)
    f.add_argument("json", type=Path, help="JSON object {msgid: Chinese translation}")
    sub.add_parser("compile")
    sub.add_parser("check")
    args = parser.parse_args(argv)
    if args.cmd == "missing":
        for msgid, where in missing(args.lang).items():
            print(f"{where[0]}: {msgid!r}")
        return 0
    if args.cmd == "add":
        print(f"{add(args.domain, args.only)} msgid(s) added to {args.domain}.po; fill in the zh msgstr, then compile")
        return 0
    if args.cmd == "fill":
        print(f"{fill(args.domain, args.json)} translation(s) set in {args.domain}.po")
        return 0
    if args.cmd == "compile":
        compile_all()
        return 0
    problems = [f"missing zh: {k!r} ({v[0]})" for k, v in missing("zh").items()]
    problems += [f"stale: {p.relative_to(ROOT)}" for p in stale()]
    print("\n".join(problems) or "catalogues complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
