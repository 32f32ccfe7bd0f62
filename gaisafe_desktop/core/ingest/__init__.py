"""Import of training data, transcripts, question banks and media folders (issue 3).

Public API (imported on first use, so ``import gaisafe_desktop.core.ingest`` stays light):

- :func:`import_dataset` with :class:`ImportRequest` → :class:`ImportSummary`
- :func:`iter_records` (→ :class:`Record`), :func:`get_record` by key
- :func:`dataset_population` (the population manifest sampling draws from and cites)
- :func:`preview` (format, encoding, columns, first rows, proposed mapping)
- record keys: :mod:`gaisafe_desktop.core.ingest.keys` (``docs/formats/record-key.md``)
"""

from __future__ import annotations

import importlib

_API = {
    "import_dataset": "importer",
    "ImportRequest": "importer",
    "ImportSummary": "importer",
    "save_source": "importer",
    "list_sources": "importer",
    "iter_records": "iterate",
    "get_record": "iterate",
    "Record": "iterate",
    "dataset_population": "manifest",
    "get_dataset": "manifest",
    "dataset_files": "manifest",
    "preview": "detect",
    "detect_format": "detect",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(f"{__name__}.{_API[name]}"), name)
    raise AttributeError(name)
