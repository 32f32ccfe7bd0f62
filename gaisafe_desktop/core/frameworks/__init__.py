"""Framework packs: a standard's risks, clauses, applicability and assessment thresholds, as data.

    from gaisafe_desktop.core.frameworks import load_framework
    fw = load_framework("tc260-2024-draft")
    fw.risk_set("a1_a2"), fw.assessment("training_manual"), fw.applicability("7.a.4", profile)

The pack format is described in ``docs/formats/framework-pack.md``.
"""

from gaisafe_desktop.core.frameworks.loader import (
    framework_dir,
    frameworks_root,
    list_frameworks,
    load_framework,
    pack_hash,
    resolve_pack,
    validate_pack,
)
from gaisafe_desktop.core.frameworks.model import (
    Aspect,
    Assessment,
    Choice,
    Clause,
    Framework,
    FrameworkInfo,
    ProfileField,
    Risk,
    RiskGroup,
    RiskSet,
    Section,
)
from gaisafe_desktop.core.frameworks.validation import Problem

DEFAULT_FRAMEWORK = "tc260-2024-draft"

__all__ = [
    "DEFAULT_FRAMEWORK",
    "Aspect",
    "Assessment",
    "Choice",
    "Clause",
    "Framework",
    "FrameworkInfo",
    "Problem",
    "ProfileField",
    "Risk",
    "RiskGroup",
    "RiskSet",
    "Section",
    "framework_dir",
    "frameworks_root",
    "list_frameworks",
    "load_framework",
    "pack_hash",
    "resolve_pack",
    "validate_pack",
]
