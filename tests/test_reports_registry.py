"""The report registry: discovery, the manual's order, and the parameter checks."""

from __future__ import annotations

from datetime import date

import pytest

from models.errors import NotFound, PermissionDenied, ValidationError
from reports import registry
from reports.base import ReportParams
from tests.test_reports_support import build_region, fixed_clock  # noqa: F401

MANUAL_ORDER = [
    ("anslutna-mottagningar", "Anslutna mottagningar"),
    ("arenden-per-mottagning", "Antal ärenden per mottagning"),
    ("arenden-per-arendetyp", "Antal ärenden per ärendetyp"),
    ("anvandarkonton", "Användarkonton"),
    ("handlaggningstider", "Handläggningstider"),
    ("inloggningar", "Inloggningar"),
    ("obesvarade-arenden", "Obesvarade ärenden"),
    ("arendestatus", "Ärendestatus"),
    ("arendetyper-per-mottagning", "Ärendetyper per mottagning"),
]
ALLOWED = {"care_type", "unit", "period", "as_of", "only_active"}


def test_the_nine_reports_in_the_manuals_order():
    """The manual's nine, in its order; then Avvikelser mot HSA (beyond the manual)."""
    assert [(slug, m.TITLE) for slug, m in registry.REPORTS.items()] == [
        *MANUAL_ORDER,
        ("avvikelser-mot-hsa", "Avvikelser mot HSA"),
    ]
    for slug, module in registry.REPORTS.items():
        assert module.__name__ == "reports." + slug.replace("-", "_")
        assert set(module.PARAMETERS) <= ALLOWED
        assert "csv" in module.FORMATS and set(module.FORMATS) <= {"pdf", "xlsx", "csv"}
        assert module.HELP.strip() and callable(module.run)
    shown = {slug for slug, m in registry.REPORTS.items() if getattr(m, "SHOW_ON_SCREEN", 0)}
    assert {"anvandarkonton", "inloggningar"} <= shown
    assert registry.get("arendetyper-per-mottagning").FORMATS == ("xlsx", "csv")


def test_unknown_report():
    with pytest.raises(ValidationError, match="Okänd rapport statistik"):
        registry.get("statistik")


def _check(slug: str, **kw) -> ReportParams:
    return registry.validate_params(registry.get(slug), ReportParams(**kw))


@pytest.mark.parametrize(
    ("slug", "kw", "message"),
    [
        ("arendestatus", {}, "Ange från-datum"),
        ("arendestatus", {"date_from": date(2026, 1, 1)}, "Ange till-datum"),
        (
            "arendestatus",
            {"date_from": date(2026, 2, 1), "date_to": date(2026, 1, 31)},
            "måste vara samma dag som eller före",
        ),
        (
            "arendestatus",
            {"date_from": date(1999, 12, 31), "date_to": date(2026, 1, 31)},
            "mellan 2000-01-01",
        ),
        (
            "inloggningar",
            {"date_from": date(2026, 1, 1), "date_to": date(9999, 12, 31)},
            "mellan 2000-01-01",
        ),
        (
            "arendestatus",
            {
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 1, 31),
                "unit": "SE2321000016-Å1",
            },
            "HSA-id ska se ut",
        ),
        (
            "anvandarkonton",
            {"date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31)},
            "har ingen period",
        ),
        (
            "inloggningar",
            {
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 1, 31),
                "unit": "SE2321000016-1002",
            },
            "inget val av mottagning",
        ),
        (
            "arendestatus",
            {
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 1, 31),
                "care_type": "Vårdcentral",
            },
            "inget val av vårdtyp",
        ),
        (
            "arendestatus",
            {"date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31), "only_active": True},
            "endast aktiva",
        ),
        (
            "arendestatus",
            {
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 1, 31),
                "as_of": date(2026, 2, 1),
            },
            "inget per-datum",
        ),
    ],
)
def test_invalid_parameters(slug, kw, message):
    with pytest.raises(ValidationError, match=message):
        _check(slug, **kw)


def test_parameters_are_normalised():
    params = _check(
        "handlaggningstider",
        date_from=date(2026, 1, 1),
        date_to=date(2026, 1, 1),
        unit="  se2321000016-1002 ",
    )
    assert params.unit == "SE2321000016-1002"
    assert _check("arendetyper-per-mottagning", care_type="  ").care_type is None


def test_store_checks_with_the_operator(backend):
    r = build_region()
    module = registry.get("arenden-per-mottagning")
    q1 = {"date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31)}
    assert (
        registry.validate_params(
            module, ReportParams(**q1, care_type="barnmottagning"), r.op
        ).care_type
        == "Barnmottagning"
    )
    with pytest.raises(ValidationError, match="Vårdtypen Tandvård finns inte"):
        registry.validate_params(module, ReportParams(**q1, care_type="Tandvård"), r.op)
    per_unit = registry.get("arendestatus")
    with pytest.raises(PermissionDenied, match="annan region"):
        registry.validate_params(per_unit, ReportParams(**q1, unit=r.m.hsa_id), r.op)
    with pytest.raises(NotFound, match="ingen ansluten mottagning"):
        registry.validate_params(per_unit, ReportParams(**q1, unit="SE2321000016-NOPE"), r.op)
    # The same checks guard run(): a caller cannot skip them.
    with pytest.raises(PermissionDenied, match="annan region"):
        per_unit.run(r.op, ReportParams(**q1, unit=r.m.hsa_id))


def test_a_module_that_breaks_the_report_contract_is_named():
    import types

    from reports.registry import check_report

    broken = types.ModuleType("reports.min_rapport")
    broken.SLUG, broken.TITLE, broken.HELP, broken.ORDER = "min-rapport", "Min", "…", 10
    broken.PARAMETERS, broken.FORMATS = ("period", "veckodag"), ("pdf",)
    broken.run = lambda op, params: None
    with pytest.raises(TypeError, match="PARAMETERS has unknown"):
        check_report(broken)
    broken.PARAMETERS = ("period",)
    assert check_report(broken) is broken
    broken.SLUG = "annan"
    with pytest.raises(TypeError, match="file name"):
        check_report(broken)


def test_a_streaming_report_must_take_stream():
    import types

    from reports import obesvarade_arenden
    from reports.base import stream_from
    from reports.registry import check_report

    assert stream_from(obesvarade_arenden) and check_report(obesvarade_arenden)
    broken = types.ModuleType("reports.min_rapport")
    broken.SLUG, broken.TITLE, broken.HELP, broken.ORDER = "min-rapport", "Min", "…", 10
    broken.PARAMETERS, broken.FORMATS = ("period",), ("csv",)
    broken.STREAMS = True
    broken.run = lambda op, params: None
    with pytest.raises(TypeError, match="STREAMS is set but run"):
        check_report(broken)
    broken.run = lambda op, params, *, stream=False: None
    assert check_report(broken) is broken and stream_from(broken)
