"""The reports there are: every module in this package that defines SLUG is one.

A new report is one new file: reports/<slug with underscores>.py with SLUG, TITLE, ORDER,
PARAMETERS, FORMATS, HELP and run(op, params). ORDER is its place in the manual's list;
a report without one comes last. Writers and helpers (no SLUG) are never imported here.
"""

from __future__ import annotations

import pkgutil
import re
from importlib import import_module
from pathlib import Path
from types import ModuleType

from models.errors import ValidationError
from models.operators import Operator

from . import common
from .base import ReportParams

_SLUG_LINE = re.compile(r"^SLUG\s*[:=]", re.MULTILINE)
_REQUIRED = ("SLUG", "TITLE", "PARAMETERS", "FORMATS", "HELP", "run")


def _looks_like_report(path: Path | None) -> bool:
    """Read the source, not the module: writers pull in fpdf/openpyxl, which we do not need."""
    if path is None:
        return True
    try:
        return bool(_SLUG_LINE.search(path.read_text(encoding="utf-8")))
    except OSError:
        return True  # no source to read (a frozen install): import and look


def discover() -> dict[str, ModuleType]:
    """Import the report modules of this package, keyed by SLUG, in the manual's order."""
    package_dir = Path(__file__).parent
    found: list[ModuleType] = []
    for info in pkgutil.iter_modules([str(package_dir)]):
        if info.ispkg or info.name.startswith("_"):
            continue
        if not _looks_like_report(package_dir / f"{info.name}.py"):
            continue
        module = import_module(f"{__package__}.{info.name}")
        if all(hasattr(module, name) for name in _REQUIRED):
            found.append(module)
    found.sort(key=lambda m: (getattr(m, "ORDER", 1000), m.TITLE))
    reports: dict[str, ModuleType] = {}
    for module in found:
        if module.SLUG in reports:
            raise RuntimeError(f"two reports use the slug {module.SLUG}")
        reports[module.SLUG] = module
    return reports


REPORTS: dict[str, ModuleType] = discover()


def get(slug: str) -> ModuleType:
    """The report module for `slug`, or ValidationError naming the reports there are."""
    module = REPORTS.get((slug or "").strip().lower())
    if module is None:
        raise ValidationError(f"Okänd rapport {slug}. Välj en av: {', '.join(REPORTS)}.",
                              field="report")
    return module


def validate_params(module: ModuleType, params: ReportParams,
                    op: Operator | None = None) -> ReportParams:
    """Check `params` for `module` and return them normalised, or raise ValidationError.

    Checked always: the period is given where the report has one, dates are real and
    from <= to, the HSA-id is well formed, no filter the report does not have. With `op`
    (needs the database): the unit is one of the operator's region and the care type
    exists there. run() repeats every check, so a caller cannot skip them.
    """
    return common.check_params(module, params, op)


def title(slug: str) -> str:
    return get(slug).TITLE
