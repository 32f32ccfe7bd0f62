"""The automatic checks an assessment runs, identified by id and hash for its stored inputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gaisafe_desktop.core.errors import NotFoundError, UsageError
from gaisafe_desktop.core.i18n import N_


@dataclass
class Detectors:
    """A compiled keyword library and a risk classifier (either may be missing), with their ids."""

    matcher: Any = None
    entries: list = field(default_factory=list)
    library: dict[str, Any] | None = None
    model: Any = None
    model_info: dict[str, Any] | None = None
    model_folder: str | None = None
    problems: list[str] = field(default_factory=list)

    def inputs(self) -> dict[str, Any]:
        return {"keyword_library": self.library, "classifier": self.model_info}


def pick_library(project, library: str | None) -> dict[str, Any] | None:
    """The keyword library version to use: the named one, or the only one, or none."""
    from gaisafe_desktop.core.detect.keywords.versions import get_version, list_libraries

    if library:
        return get_version(project, library)
    libs = list_libraries(project)
    if not libs:
        return None
    if len(libs) > 1:
        raise UsageError(
            N_("This project has several keyword libraries ({names}); choose one with --library."),
            names=", ".join(lib["name"] for lib in libs),
        )
    return get_version(project, libs[0]["name"])


def load_detectors(
    project, *, library: str | None = None, model: str | None = None, load_model: bool = True
) -> Detectors:
    """Load the keyword library (named, or the project's only one) and the risk classifier.

    Args:
        library: keyword library name in the project (default: the only one).
        model: risk model name (bundled or registered; default the bundled ``risk-classifier``).
        load_model: False to only identify the model (workers load it themselves).
    """
    from gaisafe_desktop.core.detect.classifier import BUNDLED_RISK_MODEL
    from gaisafe_desktop.core.detect.keywords.matcher import compile_library
    from gaisafe_desktop.core.detect.keywords.versions import load_entries
    from gaisafe_desktop.core.detect.model_registry import find_model, load_model_info

    det = Detectors()
    v = pick_library(project, library)
    if v is not None:
        det.entries = load_entries(project, v["library"], v["version"])
        det.matcher = compile_library(det.entries)
        det.library = {
            "name": v["library"],
            "version": v["version"],
            "sha256": v["sha256"],
            "terms": v["distinct_terms"],
        }
    else:
        det.problems.append(N_("no keyword library"))
    try:
        info = find_model(model or BUNDLED_RISK_MODEL, project)
    except NotFoundError:
        if model:
            raise
        det.problems.append(N_("no risk classifier"))
        return det
    if info.task != "risk-multilabel":
        raise UsageError(N_("Model {name} is a `{task}` model, not a risk classifier."), name=info.name, task=info.task)
    det.model_info = {"name": info.name, "version": info.version, "origin": info.origin, "sha256": info.sha256}
    if info.origin == "bundled":
        det.model_folder = str(info.manifest.folder)
    if load_model:
        det.model = load_model_info(info, project)
    return det
