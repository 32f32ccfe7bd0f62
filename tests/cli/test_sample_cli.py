"""gaisafe sample plan|draw|verify|show from the command line."""

from __future__ import annotations

import json


def test_sample_cli_round_trip(tmp_path, cli):
    proj = tmp_path / "s.gaisafe"
    assert cli("project", "new", proj, "--provider", "P", "--service", "S").code == 0
    data = tmp_path / "d.jsonl"
    data.write_text(
        "".join(json.dumps({"text": f"文本 {i}"}, ensure_ascii=False) + "\n" for i in range(500)), encoding="utf-8"
    )
    p = ["--project", proj]
    r = cli(*p, "import", "data", data, "--source", "web", "--origin", "domestic", "--source-type", "self_collected")
    assert r.code == 0, r.err
    r = cli(*p, "sample", "plan", "t", "--dataset", "web", "--rule", "10%", "--nonce", "public-nonce-42")
    assert r.code == 0, r.err
    assert "public-nonce-42" in r.out
    r = cli(*p, "--json", "sample", "draw", "t")
    assert r.code == 0, r.err
    assert r.json["sample_size"] == 50
    r = cli(*p, "sample", "verify", "t")
    assert r.code == 0, r.out + r.err
    assert "identical" in r.out
    shown = cli(*p, "--json", "sample", "show", "t").json
    assert len(shown["sample"]) == 50 and shown["seed"] == "public-nonce-42"
    data.write_text(data.read_text(encoding="utf-8").replace('文本 3"', '文本 x"'), encoding="utf-8")
    r = cli(*p, "sample", "verify", "t")
    assert r.code == 5
    assert "does NOT verify" in r.out
