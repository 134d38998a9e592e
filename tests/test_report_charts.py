"""Charts in the PDF: a bar per day or month, the same numbers as the table."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pypdf

from models.entities import LoginDaily
from reports import arenden_per_arendetyp, arenden_per_mottagning, inloggningar, period
from reports.writers import write
from tests.test_reports_support import C, build_region, insert_cases, params_period, ts


def test_buckets_are_days_up_to_a_month_then_calendar_months():
    days = period.buckets(date(2026, 3, 1), date(2026, 3, 31))
    assert len(days) == 31 and days[0] == ("1/3", date(2026, 3, 1), date(2026, 3, 1))
    months = period.buckets(date(2025, 12, 15), date(2026, 2, 10))
    assert months == [
        ("dec 25", date(2025, 12, 15), date(2025, 12, 31)),
        ("jan 26", date(2026, 1, 1), date(2026, 1, 31)),
        ("feb", date(2026, 2, 1), date(2026, 2, 10)),
    ]


def test_bars_add_up_to_the_table_and_respect_dst_day_edges(backend):
    r = build_region()
    rng = random.Random(5)
    cases = [
        C(
            id=i,
            unit=rng.choice([r.a.id, r.b.id, r.m.id]),
            case_type=r.types["Rådgivning"],
            received_at=ts(2026, 3, 1) + rng.randrange(0, 31 * 86400),
        )
        for i in range(1, 400)
    ]
    # 00:30 on the day summer time begins (a 23-hour day) belongs to that day, and 23:30
    # the day before to the day before.
    cases += [
        C(
            id=1000,
            unit=r.a.id,
            case_type=r.types["Rådgivning"],
            received_at=ts(2026, 3, 29, 0, 30),
        ),
        C(
            id=1001,
            unit=r.a.id,
            case_type=r.types["Rådgivning"],
            received_at=ts(2026, 3, 28, 23, 30),
        ),
    ]
    insert_cases(cases)
    own = [c for c in cases if c.unit != r.m.id]
    march = params_period(date(2026, 3, 1), date(2026, 3, 31))
    result = arenden_per_mottagning.run(r.op, march)
    assert result.chart is not None and len(result.chart.values) == 31
    assert sum(result.chart.values) == result.totals[2] == len(own)
    expected = [
        sum(1 for c in own if ts(2026, 3, d) <= c.received_at < ts(2026, 3, d + 1))
        for d in range(1, 31)
    ]
    expected.append(sum(1 for c in own if c.received_at >= ts(2026, 3, 31)))
    assert result.chart.values == expected
    by_type = arenden_per_arendetyp.run(r.op, march)
    assert by_type.chart.values == expected
    year = arenden_per_mottagning.run(r.op, params_period(date(2025, 12, 1), date(2026, 11, 30)))
    assert len(year.chart.values) == 12 and year.chart.values[3] == len(own)


def test_logins_chart_and_the_pdf_draws_it(backend, tmp_path: Path):
    r = build_region()
    for day, n in ((date(2026, 3, 2), 5), (date(2026, 3, 2), 2), (date(2026, 3, 20), 7)):
        LoginDaily.insert(
            day=day, region="01", kind="citizen", method=f"m{n}", succeeded=n
        ).execute()
    LoginDaily.insert(
        day=date(2026, 3, 2), region="12", kind="citizen", method="x", succeeded=100
    ).execute()
    result = inloggningar.run(r.op, params_period(date(2026, 3, 1), date(2026, 3, 31)))
    assert result.chart.values[1] == 7 and result.chart.values[19] == 7
    assert sum(result.chart.values) == 14
    out = tmp_path / "inloggningar.pdf"
    write(result, "pdf", out)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "Lyckade inloggningar" in text and "21/3" in text
