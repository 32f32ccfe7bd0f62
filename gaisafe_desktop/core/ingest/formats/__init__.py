"""Format registry: name → reader. Readers are imported on first use (pyarrow/openpyxl only when needed)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.i18n import N_


@dataclass(frozen=True)
class Format:
    name: str
    module: str
    func: str = "read"
    text: bool = True  # decoded with the detected encoding (False: the library reads the file)
    canonical: bool = False  # yields canonical fields (chat / eval formats): no column mapping
    description: str = ""

    def reader(self):
        mod = importlib.import_module(f"gaisafe_desktop.core.ingest.formats.{self.module}")
        return getattr(mod, self.func)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("csv", "csv_tsv", description="CSV/TSV with a header row"),
        Format("jsonl", "jsonl", description="JSON Lines"),
        Format("json", "json_array", description="JSON array of objects"),
        Format("parquet", "parquet", text=False, description="Apache Parquet"),
        Format("xlsx", "xlsx", text=False, description="Excel workbook"),
        Format("openai_chat", "chat", "read_openai", canonical=True, description="OpenAI chat (messages)"),
        Format("sharegpt", "chat", "read_sharegpt", canonical=True, description="ShareGPT (conversations)"),
        Format("alpaca", "chat", "read_alpaca", canonical=True, description="Alpaca (instruction/input/output)"),
        Format("inspect", "inspect", text=False, canonical=True, description="Inspect AI .eval log"),
        Format("promptfoo", "promptfoo", canonical=True, description="promptfoo results JSON"),
        Format("garak", "garak", canonical=True, description="garak report JSONL"),
        Format("lm_eval", "lm_eval", canonical=True, description="lm-evaluation-harness samples JSONL"),
        Format("media", "media", text=False, description="folder of images/audio/video"),
    )
}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(
            N_("Unknown format {name}; known formats: {names}."), name=name, names=", ".join(FORMATS)
        ) from None
