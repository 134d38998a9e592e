"""The reports there are: every module of this package but the few named in
INFRASTRUCTURE is one, and must keep the contract `check_report` enforces.

A new report is one new file: reports/<slug with underscores>.py with SLUG, TITLE, ORDER,
PARAMETERS, FORMATS, HELP and run(op, params) (the `ReportModule` protocol in
reports/base.py); one that grows with the data also sets STREAMS = True and takes
run(op, params, *, stream=False). ORDER is its place in the manual's list. A module that breaks the
contract stops the program at start with a sentence naming what is wrong, rather than
silently not being a report.

REPORTS is read on first use (the TUI's list, `report --list`): `get(slug)` alone, what
`regionadmin report SLUG` asks, imports that one report module and checks it.
"""

from __future__ import annotations

import inspect
import re
from importlib import import_module
from pathlib import Path
from types import ModuleType

from models.errors import ValidationError
from models.operators import Operator

from . import common
from .base import ReportParams

# Modules of the package that are not reports (the writers are a subpackage).
INFRASTRUCTURE = frozenset({"base", "common", "period", "registry"})
KNOWN_PARAMETERS = frozenset({"period", "unit", "care_type", "only_active", "as_of"})
KNOWN_FORMATS = frozenset({"pdf", "xlsx", "csv"})
_SLUG = re.compile(r"^[a-z][a-z-]*[a-z]$")


def check_report(module: ModuleType) -> ModuleType:
    """`module` if it keeps the ReportModule contract; TypeError naming the breach."""
    name = module.__name__

    def need(attribute: str, kind: type) -> object:
        value = getattr(module, attribute, None)
        if not isinstance(value, kind):
            raise TypeError(f"{name}.{attribute} must be a {kind.__name__}")
        return value

    slug = need("SLUG", str)
    if not _SLUG.match(slug) or slug.replace("-", "_") != name.rsplit(".", 1)[-1]:
        raise TypeError(f"{name}.SLUG {slug!r} must be the file name with - for _")
    need("TITLE", str)
    need("HELP", str)
    need("ORDER", int)
    parameters = need("PARAMETERS", tuple)
    if not set(parameters) <= KNOWN_PARAMETERS:
        raise TypeError(f"{name}.PARAMETERS has unknown {set(parameters) - KNOWN_PARAMETERS}")
    formats = need("FORMATS", tuple)
    if not formats or not set(formats) <= KNOWN_FORMATS:
        raise TypeError(f"{name}.FORMATS must be some of {sorted(KNOWN_FORMATS)}")
    if not callable(getattr(module, "run", None)):
        raise TypeError(f"{name}.run(op, params) is missing")
    streams = getattr(module, "STREAMS", False)
    if not isinstance(streams, bool):
        raise TypeError(f"{name}.STREAMS must be a bool")
    if streams and "stream" not in inspect.signature(module.run).parameters:
        raise TypeError(f"{name}.STREAMS is set but run(op, params, *, stream) is missing")
    return module


def discover() -> dict[str, ModuleType]:
    """Import the report modules of this package, keyed by SLUG, in the manual's order."""
    import pkgutil

    package_dir = Path(__file__).parent
    found: list[ModuleType] = []
    for info in pkgutil.iter_modules([str(package_dir)]):
        if info.ispkg or info.name.startswith("_") or info.name in INFRASTRUCTURE:
            continue
        found.append(check_report(import_module(f"{__package__}.{info.name}")))
    found.sort(key=lambda m: (m.ORDER, m.TITLE))
    reports: dict[str, ModuleType] = {}
    for module in found:
        if module.SLUG in reports:
            raise RuntimeError(f"two reports use the slug {module.SLUG}")
        reports[module.SLUG] = module
    return reports


REPORTS: dict[str, ModuleType]  # every report, keyed by SLUG: made by __getattr__
_reports: dict[str, ModuleType] | None = None


def __getattr__(name: str) -> object:
    if name == "REPORTS":
        return _all()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _all() -> dict[str, ModuleType]:
    global _reports
    if _reports is None:
        _reports = discover()
    return _reports


def get(slug: str) -> ModuleType:
    """The report module for `slug`, or ValidationError naming the reports there are."""
    key = (slug or "").strip().lower()
    module = _reports.get(key) if _reports is not None else _one(key)
    if module is None:
        raise ValidationError(
            f"Okänd rapport {slug}. Välj en av: {', '.join(_all())}.", field="report"
        )
    return module


def _one(slug: str) -> ModuleType | None:
    """The report module for `slug` alone, imported and checked; None if there is none."""
    name = slug.replace("-", "_")
    if not _SLUG.match(slug) or name in INFRASTRUCTURE:
        return None
    try:
        module = import_module(f"{__package__}.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"{__package__}.{name}":
            raise
        return None
    if hasattr(module, "__path__"):  # a subpackage (the writers), never a report
        return None
    return check_report(module)


def validate_params(
    module: ModuleType, params: ReportParams, op: Operator | None = None
) -> ReportParams:
    """Check `params` for `module` and return them normalised, or raise ValidationError.

    Checked always: the period is given where the report has one, dates are real and
    from <= to, the HSA-id is well formed, no filter the report does not have. With `op`
    (needs the database): the unit is one of the operator's region and the care type
    exists there. run() repeats every check, so a caller cannot skip them.
    """
    return common.check_params(module, params, op)


def title(slug: str) -> str:
    return get(slug).TITLE
