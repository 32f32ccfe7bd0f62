"""Every user-visible string has a Chinese translation and every compiled catalogue is current."""

from __future__ import annotations

import importlib.util

from gaisafe_testing import ROOT

spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "scripts" / "i18n.py")
i18n_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(i18n_tool)


def test_no_chinese_translation_is_missing():
    missing = i18n_tool.missing("zh")
    listing = "\n".join(f"{where[0]}: {msgid!r}" for msgid, where in list(missing.items())[:40])
    assert not missing, (
        f"{len(missing)} strings lack a Chinese translation (python scripts/i18n.py add --domain X):\n{listing}"
    )


def test_compiled_catalogues_are_current():
    assert not i18n_tool.stale(), "run: python scripts/i18n.py compile"


def test_translations_keep_their_placeholders():
    import re

    table = i18n_tool.translated("zh")
    bad = []
    for msgid, text in table.items():
        want = sorted(re.findall(r"\{[a-z_0-9!r:.]*\}", msgid))
        got = sorted(re.findall(r"\{[a-z_0-9!r:.]*\}", text))
        if want != got:
            bad.append(f"{msgid!r} -> {text!r}")
    assert not bad, "\n".join(bad[:20])


def test_runtime_switch_translates_errors():
    from gaisafe_desktop.core.errors import NotFoundError
    from gaisafe_desktop.core.i18n import N_, set_language

    err = NotFoundError(N_("Project file {path} does not exist."), path="x.gaisafe")
    set_language("zh")
    try:
        assert "不存在" in err.message()
    finally:
        set_language("en")
    assert err.message() == "Project file x.gaisafe does not exist."
