"""Case files (``*.gaicase``): export, verify, replay. See ``docs/formats/case-file.md``."""

from gaisafe_desktop.core.casefile.export import (
    ExportResult,
    export_casefile,
    register_casefile_exporter,
    registered_exporters,
)
from gaisafe_desktop.core.casefile.replay import ReplayResult, register_casefile_replayer, replay_casefile
from gaisafe_desktop.core.casefile.review import OpenedCasefile, casefile_overview, open_casefile
from gaisafe_desktop.core.casefile.safezip import HostileArchiveError, ZipLimits, check_archive, safe_extract
from gaisafe_desktop.core.casefile.verify import CasefileVerification, verify_casefile

__all__ = [
    "CasefileVerification",
    "ExportResult",
    "HostileArchiveError",
    "OpenedCasefile",
    "ReplayResult",
    "ZipLimits",
    "casefile_overview",
    "check_archive",
    "export_casefile",
    "open_casefile",
    "register_casefile_exporter",
    "register_casefile_replayer",
    "registered_exporters",
    "replay_casefile",
    "safe_extract",
    "verify_casefile",
]
