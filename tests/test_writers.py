"""The report writers on hand-built results: what a reader of each file gets."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdf
import pytest

from models.errors import ValidationError
from models.timeutil import STOCKHOLM
from reports.base import Column, ReportResult
from reports.writers import WriteCancelled, default_path, suggested_name, write

MADE_AT = datetime(2026, 11, 2, 9, 5, tzinfo=STOCKHOLM)

COLUMNS = [
    Column("Mottagning"),
    Column("HSA-id"),
    Column("Anslutningsdatum", "date"),
    Column("Inkommet", "datetime"),
    Column("Inkomna", "int", total=True),
    Column("Handl tid", "hours"),
]


def result(
    rows: list[tuple],
    *,
    totals: tuple | None = None,
    notes: list[str] | None = None,
    landscape: bool = False,
) -> ReportResult:
    return ReportResult(
        slug="testrapport",
        title="Anslutna mottagningar",
        parameters=[("Vårdtyp", "Alla"), ("Period", "2026-10-01 – 2026-10-31")],
        columns=COLUMNS,
        rows=rows,
        totals=totals,
        made_by="Anna Andersson",
        made_at=MADE_AT,
        landscape=landscape,
        notes=notes or [],
    )


SMALL_ROWS = [
    (
        "Łukasz Żółć – test",
        "SE2321000016-1002",
        date(2026, 10, 3),
        datetime(2026, 10, 3, 14, 5, tzinfo=STOCKHOLM),
        12,
        Decimal("2.5"),
    ),
    (
        "=SUM(A1)",
        "+46701234567",
        date(2026, 10, 4),
        datetime(2026, 10, 4, 8, 0, tzinfo=STOCKHOLM),
        0,
        None,
    ),
    ("@x", "-1", None, None, 3, 10.25),
]
SMALL_TOTALS = ("Totalt", None, None, None, 15, None)


def many_rows(n: int) -> list[tuple]:
    return [
        (
            f"Vårdcentralen nummer {i}",
            f"SE2321000016-{i:04d}",
            date(2026, 10, 1),
            datetime(2026, 10, 1, 8, 0, tzinfo=STOCKHOLM),
            i,
            None,
        )
        for i in range(n)
    ]


# --- Excel ------------------------------------------------------------------------------


def test_xlsx_types_layout_and_totals(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    assert write(result(SMALL_ROWS, totals=SMALL_TOTALS), "xlsx", path) == 3
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert wb.properties.title == "Anslutna mottagningar"
    assert wb.properties.creator == "Anna Andersson"
    assert ws["A1"].value == "Anslutna mottagningar"
    assert ws["A2"].value == "Vårdtyp: Alla"
    assert ws["A3"].value == "Period: 2026-10-01 – 2026-10-31"
    assert ws["A4"].value == "Skapad av Anna Andersson, 2026-11-02 09:05"
    header_row = 6
    assert [c.value for c in ws[header_row]] == [c.header for c in COLUMNS]
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.auto_filter.ref == f"A{header_row}:F{header_row + 3}"

    first = ws[header_row + 1]
    assert first[0].value == "Łukasz Żółć – test"
    assert isinstance(first[2].value, datetime) and first[2].value == datetime(2026, 10, 3)
    assert first[2].number_format == "yyyy-mm-dd"
    # Excel has no time zones: the Stockholm wall-clock time is written.
    assert first[3].value == datetime(2026, 10, 3, 14, 5)
    assert first[3].number_format == "yyyy-mm-dd hh:mm"
    assert isinstance(first[4].value, int) and first[4].value == 12
    assert first[5].value == 2.5 and first[5].number_format == "0.0"

    second = ws[header_row + 2]
    assert second[5].value is None  # no case counts: an empty cell, not 0
    third = ws[header_row + 3]
    # Written as given (the queries round half up already): no second, half-to-even round.
    assert third[5].value == 10.25 and third[5].number_format == "0.0"

    totals = ws[header_row + 4]
    assert totals[0].value == "Totalt" and totals[4].value == 15
    assert totals[0].font.b


@pytest.mark.parametrize(
    ("row", "col", "text"),
    [
        (7, 0, "=SUM(A1)"),
        (7, 1, "+46701234567"),
        (8, 0, "@x"),
        (8, 1, "-1"),
    ],
)
def test_xlsx_formula_like_text_stays_text(tmp_path: Path, row: int, col: int, text: str) -> None:
    path = tmp_path / "r.xlsx"
    write(result(SMALL_ROWS), "xlsx", path)
    cell = openpyxl.load_workbook(path).active[row + 1][col]
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_xlsx_widths_follow_content_and_are_capped(tmp_path: Path) -> None:
    rows = [("x" * 200, "SE2321000016-1", None, None, 1, None)]
    path = tmp_path / "r.xlsx"
    write(result(rows), "xlsx", path)
    ws = openpyxl.load_workbook(path).active
    assert ws.column_dimensions["A"].width == 50
    assert 14 <= ws.column_dimensions["B"].width < 20
    # A header longer than its values still gets room to be read.
    assert ws.column_dimensions["C"].width >= len("Anslutningsdatum")


def test_xlsx_notes_after_the_table(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write(result(SMALL_ROWS, notes=["Antal obesvarade ärenden: 3."]), "xlsx", path)
    ws = openpyxl.load_workbook(path).active
    assert ws.cell(ws.max_row, 1).value == "Antal obesvarade ärenden: 3."
    assert ws.auto_filter.ref == "A6:F9"


# --- PDF --------------------------------------------------------------------------------


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def test_pdf_unicode_title_block_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    write(result(SMALL_ROWS, totals=SMALL_TOTALS), "pdf", path)
    reader = pypdf.PdfReader(path)
    text = reader.pages[0].extract_text()
    for expected in (
        "Anslutna mottagningar",
        "Vårdtyp: Alla",
        "Łukasz Żółć – test",
        "Skapad av Anna Andersson, 2026-11-02 09:05",
        "Totalt",
        "Sida 1 av 1",
        "2026-10-03 14:05",
        "2,5",
    ):
        assert expected in text
    meta = reader.metadata
    assert meta.title == "Anslutna mottagningar"
    assert meta.author == "Anna Andersson"
    assert meta.creator == "regionadmin"
    assert "Period: 2026-10-01 – 2026-10-31" in meta.subject


def test_pdf_header_on_every_page_and_page_numbers(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    write(result(many_rows(150), totals=("Totalt", None, None, None, 11175, None)), "pdf", path)
    pages = pdf_pages(path)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Mottagning" in text and "Anslutningsdatum" in text and "Handl tid" in text
        assert f"Sida {number} av {len(pages)}" in text
    assert "Vårdcentralen nummer 149" in pages[-1] and "11 175" in pages[-1]
    # The title block is on the first page only.
    assert "Vårdtyp: Alla" in pages[0] and "Vårdtyp: Alla" not in pages[1]


def test_pdf_cuts_long_text_with_an_ellipsis(tmp_path: Path) -> None:
    long_name = "Mottagningen " + "mycket " * 40 + "SLUTET"
    path = tmp_path / "r.pdf"
    write(result([(long_name, "SE2321000016-1", None, None, 1, None)]), "pdf", path)
    text = pdf_pages(path)[0]
    assert "SLUTET" not in text
    assert "…" in text
    assert "SE2321000016-1" in text  # the next column is still whole


def test_pdf_landscape(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    write(result(SMALL_ROWS, landscape=True), "pdf", path)
    box = pypdf.PdfReader(path).pages[0].mediabox
    assert box.width > box.height


def test_pdf_empty_result_says_so(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    write(result([]), "pdf", path)
    assert "Inga rader för valt urval." in pdf_pages(path)[0]


# --- CSV --------------------------------------------------------------------------------


def test_csv_exact_bytes(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    write(result(SMALL_ROWS, totals=SMALL_TOTALS), "csv", path)
    assert (
        path.read_bytes()
        == (
            "Mottagning,HSA-id,Anslutningsdatum,Inkommet,Inkomna,Handl tid\r\n"
            "Łukasz Żółć – test,SE2321000016-1002,2026-10-03,2026-10-03T14:05:00+02:00,12,2.5\r\n"
            # Formula-like text gets a ' (OWASP "CSV injection"); numbers stay numbers.
            "'=SUM(A1),'+46701234567,2026-10-04,2026-10-04T08:00:00+02:00,0,\r\n"
            "'@x,'-1,,,3,10.2\r\n"
        ).encode()
    )


def test_csv_quotes_commas_and_quotes(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    write(result([('Vård, "Nord"', "SE2321000016-1", None, None, 1, None)]), "csv", path)
    assert path.read_text(encoding="utf-8").splitlines()[1] == (
        '"Vård, ""Nord""",SE2321000016-1,,,1,'
    )


# --- all writers ------------------------------------------------------------------------

ESCAPE_NAME = "Ond\x1b[31m\x1b]0;titel\x07 mottagning\x00\x9b2J"


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_control_characters_never_reach_a_file(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"r.{fmt}"
    write(result([(ESCAPE_NAME, "SE2321000016-1", None, None, 1, None)]), fmt, path)
    if fmt == "xlsx":
        text = "\n".join(
            str(c.value)
            for row in openpyxl.load_workbook(path).active.iter_rows()
            for c in row
            if c.value is not None
        )
    elif fmt == "pdf":
        text = pdf_pages(path)[0]
    else:
        text = path.read_text(encoding="utf-8")
    assert "Ond mottagning" in text
    assert not any(ch in text for ch in "\x1b\x07\x00\x9b")


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_cancel_leaves_no_file_and_keeps_an_old_one(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"r.{fmt}"
    path.write_bytes(b"old report")
    with pytest.raises(WriteCancelled) as caught:
        write(result(many_rows(600)), fmt, path, cancelled=lambda: True)
    assert str(caught.value) == "Avbrutet – ingen fil skrevs."
    assert path.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_progress_reports_rows_and_ends_at_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    write(
        result(many_rows(600)),
        "csv",
        tmp_path / "r.csv",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (0, 600)
    assert seen[-1] == (600, 600)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_unwritable_path_is_one_swedish_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    with pytest.raises(ValidationError) as caught:
        write(result(SMALL_ROWS), "csv", blocker / "r.csv")
    assert str(caught.value).startswith(f"Filen {blocker / 'r.csv'} kunde inte skrivas")


def test_a_directory_is_not_a_file_name(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="är en mapp"):
        write(result(SMALL_ROWS), "csv", tmp_path)


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="Formatet doc finns inte"):
        write(result(SMALL_ROWS), "doc", tmp_path / "r.doc")


def test_missing_folders_are_made_and_a_new_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "r.csv"
    write(result(SMALL_ROWS), "csv", path)
    assert path.exists()
    assert path.stat().st_mode & 0o077 == 0  # names of staff and patients' contacts


def test_a_replaced_report_keeps_its_mode_and_no_temporary_is_left(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("gammal\n")
    path.chmod(0o640)
    write(result(SMALL_ROWS), "csv", path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert "gammal" not in path.read_text(encoding="utf-8-sig")
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_suggested_names() -> None:
    assert suggested_name("inloggningar", "pdf", date(2026, 11, 2)) == "inloggningar-2026-11-02.pdf"
    assert default_path("inloggningar", "csv", date(2026, 11, 2)) == (
        Path.home() / "regionadmin-rapporter" / "inloggningar-2026-11-02.csv"
    )


def test_pdf_of_5000_rows(tmp_path: Path) -> None:
    """The size the design asks to render in seconds (measured: about 2 s on 2 cores)."""
    path = tmp_path / "r.pdf"
    assert (
        write(
            result(many_rows(5000), totals=("Totalt", None, None, None, 12497500, None)),
            "pdf",
            path,
        )
        == 5000
    )
    reader = pypdf.PdfReader(path)
    last = reader.pages[-1].extract_text()
    assert "Vårdcentralen nummer 4999" in last and "12 497 500" in last
    assert f"Sida {len(reader.pages)} av {len(reader.pages)}" in last


def test_pdf_font_files_are_static_and_embedded(tmp_path: Path) -> None:
    from reports.writers import pdf as pdf_writer

    files = pdf_writer.font_files()
    assert set(files) == {"", "B"} and all(
        p.suffix == ".ttf" and p.exists() for p in files.values()
    )
    path = tmp_path / "r.pdf"
    write(result(SMALL_ROWS), "pdf", path)
    fonts = {
        str(f.get_object()["/BaseFont"])
        for page in pypdf.PdfReader(path).pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert any("Lato" in name for name in fonts), fonts
    assert "Łukasz Żółć – test" in pdf_pages(path)[0]


def test_table_writer_cuts_text_not_numbers_and_groups_digits():
    from datetime import datetime

    from reports.base import Column, ReportResult
    from reports.writers.table import render

    result = ReportResult(
        slug="x",
        title="Antal ärenden per mottagning",
        parameters=[("Period", "2026")],
        columns=[Column("Mottagning", "text"), Column("Inkomna", "int", total=True)],
        rows=[("Barnavårdscentralen med ett mycket långt namn", 1555), ("BVC", 2)],
        totals=(None, 1557),
        made_by="Anna",
        made_at=datetime(2026, 12, 1, 12, 0),
    )
    lines = list(render(result, width=30))
    assert all(len(line) <= 30 for line in lines)
    assert any(line.endswith("1 555") and "…" in line for line in lines)
    assert lines[-3].startswith("Totalt") and lines[-3].endswith("1 557")
    assert lines[-1] == "2 rader"
