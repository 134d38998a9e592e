"""PDF with fpdf2: a Unicode font, the column header on every page, "Sida N av M".

The table is a plain cell() loop (fpdf2's table() is about eight times slower); the column
header is drawn by FPDF.header() so every page break repeats it. Long texts are cut to
the column width with "…" instead of running into the next column.

Font: Lato from the fontpkg-lato package (static regular and bold TTFs with Latin
Extended: "Ł", "–" and "…" print). Noto Sans was tried first: its package ships only a
variable font, and instancing a weight with fontTools took about ten seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from models.formatting import count_text
from models.text import clean
from models.timeutil import STOCKHOLM
from reports.base import Chart, ReportResult
from reports.writers import (
    _Tracker,
    display,
    is_numeric,
    made_line,
    parameter_lines,
    rows_and_sample,
    totals_row,
)

FAMILY = "Lato"
FONT_PACKAGE = "Lato"
WEIGHTS = {"": 400, "B": 700}
MARGIN = 12  # mm
BOTTOM = 14  # mm kept free for the footer
BODY_SIZE = 8.5  # pt
ROW_H = 5.0  # mm
HEADER_LINE_H = 4.0  # mm
ELLIPSIS = "…"
TEXT_MIN = 32.0  # mm: a text column narrower than this is never cut
MAX_HEADER_LINES = 4
HEADER_WORD_MAX = 45.0  # mm: a longer header word is split over lines

# --- the font ---------------------------------------------------------------------------


def font_files() -> dict[str, Path]:
    """Lato regular and bold: static TTFs, so fpdf2 embeds them without any instancing."""
    import fontpkg

    return {
        style: Path(fontpkg.path(FONT_PACKAGE, weight=weight)) for style, weight in WEIGHTS.items()
    }


def _add_fonts(pdf: FPDF) -> None:
    for style, path in font_files().items():
        pdf.add_font(FAMILY, style, fname=str(path))


# --- the document -----------------------------------------------------------------------


@dataclass
class _Layout:
    widths: list[float]
    aligns: list[str]
    header_lines: list[list[str]]
    header_h: float


class ReportPDF(FPDF):
    """An FPDF that repeats the column header on every page and numbers the pages."""

    def __init__(self, result: ReportResult) -> None:
        super().__init__(orientation="L" if result.landscape else "P", unit="mm", format="A4")
        # fpdf2 reserves one digit per alias character (three for "{nb}"); six digits keep
        # "Sida N av M" inside the margin however many pages a big report has.
        self.alias_nb_pages("{nbpg}")
        self.result = result
        self.layout: _Layout | None = None  # set once the title block is drawn
        self._footer_left = f"{clean(result.title)} · {made_line(result)}"

    def header(self) -> None:
        if self.layout is not None:
            self.draw_column_header()

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FAMILY, "", 7)
        self.set_text_color(90)
        half = self.epw / 2
        self.cell(half, 4, self.fit(self._footer_left, half), new_x=XPos.RIGHT)
        self.cell(half, 4, f"Sida {self.page_no()} av {self.str_alias_nb_pages}", align="R")
        self.set_text_color(0)

    def draw_column_header(self) -> None:
        layout = self.layout
        assert layout is not None
        self.set_font(FAMILY, "B", BODY_SIZE)
        top = self.y
        x = self.l_margin
        most = max((len(lines) for lines in layout.header_lines), default=1)
        for width, align, lines in zip(
            layout.widths, layout.aligns, layout.header_lines, strict=True
        ):
            # A wrapped header sits on the bottom line, next to the one-line headers.
            offset = (most - len(lines)) * HEADER_LINE_H
            for index, text in enumerate(lines):
                self.set_xy(x, top + offset + index * HEADER_LINE_H)
                self.cell(width, HEADER_LINE_H, text, align=align)
            x += width
        bottom = top + layout.header_h
        self.set_line_width(0.3)
        self.line(self.l_margin, bottom, self.l_margin + sum(layout.widths), bottom)
        self.set_xy(self.l_margin, bottom + 0.5)
        self.set_font(FAMILY, "", BODY_SIZE)

    # --- text measuring ---------------------------------------------------------------
    # fpdf2's get_string_width() copies the graphics state on every call; reading the
    # font's width table directly is what makes 5,000 rows take seconds, not tens of them.
    def _char_widths(self, text: str) -> list[float]:
        table = self.current_font.cw
        scale = self.font_size_pt * 0.001 / self.k
        return [table[ord(ch)] * scale for ch in text]

    def width_of(self, text: str) -> float:
        """Width of `text` in mm in the current font (no shaping, no char spacing)."""
        return sum(self._char_widths(text))

    def fit(self, text: str, width: float) -> str:
        """`text`, cut with "…" so it fits in a cell of `width` (cell padding included)."""
        room = width - 2 * self.c_margin + 0.01  # float noise must not cut a fitting text
        widths = self._char_widths(text)
        if sum(widths) <= room:
            return text
        room -= self.width_of(ELLIPSIS)
        used = 0.0
        cut = 0
        for cut, w in enumerate(widths):  # noqa: B007 - `cut` is the answer
            if used + w > room:
                break
            used += w
        return text[:cut].rstrip() + ELLIPSIS


def write_pdf(result: ReportResult, path: Path, tracker: _Tracker) -> None:
    pdf = ReportPDF(result)
    _add_fonts(pdf)
    _metadata(pdf, result)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    pdf.add_page()
    _title_block(pdf, result)
    sample, rows = rows_and_sample(result)
    pdf.layout = _layout(pdf, result, sample)
    empty = not sample
    del sample  # a streamed result's first rows: written below, not kept
    pdf.draw_column_header()
    _body(pdf, result, rows, empty, tracker)
    if result.chart is not None and result.chart.values:
        _chart(pdf, result.chart)
    tracker.check()
    pdf.output(str(path))
    tracker.finish()


def _metadata(pdf: FPDF, result: ReportResult) -> None:
    pdf.set_title(clean(result.title))
    pdf.set_author(clean(result.made_by))
    pdf.set_creator("regionadmin")
    pdf.set_subject("; ".join(parameter_lines(result)) or clean(result.title))
    pdf.set_lang("sv")
    made = result.made_at
    if isinstance(made, datetime):
        pdf.set_creation_date(made if made.tzinfo else made.replace(tzinfo=STOCKHOLM))


def _title_block(pdf: ReportPDF, result: ReportResult) -> None:
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 7, clean(result.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 9)
    for line in [*parameter_lines(result), made_line(result)]:
        pdf.multi_cell(0, 4.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _layout(pdf: ReportPDF, result: ReportResult, sample: list[Any]) -> _Layout:
    columns = result.columns
    widths = _column_widths(pdf, result, sample)
    aligns = ["R" if is_numeric(c) else "L" for c in columns]
    pdf.set_font(FAMILY, "B", BODY_SIZE)
    header_lines = [
        _wrap_header(pdf, clean(c.header), w) for c, w in zip(columns, widths, strict=True)
    ]
    pdf.set_font(FAMILY, "", BODY_SIZE)
    height = max((len(lines) for lines in header_lines), default=1) * HEADER_LINE_H
    return _Layout(widths, aligns, header_lines, height)


def _wrap_header(pdf: ReportPDF, text: str, width: float) -> list[str]:
    """A header on as many lines as it needs; a word too long for the column is split."""
    room = width - 2 * pdf.c_margin + 0.01
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if pdf.width_of(candidate) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for ch in word:  # only a word wider than the column gets here
            if current and pdf.width_of(current + ch) > room:
                lines.append(current)
                current = ""
            current += ch
    lines.append(current)
    return lines[:MAX_HEADER_LINES]


def _column_widths(pdf: ReportPDF, result: ReportResult, sample: list[Any]) -> list[float]:
    """Widths from the header and a sample of rows, fitted to the page like an HTML table.

    Every column gets at least its minimum (numbers, dates and short texts whole; a long
    text a fair share), and the room left is shared in proportion to what each column
    would need on top of that to show everything.
    """
    columns = result.columns
    pad = 2 * pdf.c_margin + 0.5
    pdf.set_font(FAMILY, "B", BODY_SIZE)
    head_full = [pdf.width_of(clean(c.header)) for c in columns]
    head_word = [
        max((pdf.width_of(w) for w in clean(c.header).split()), default=0.0) for c in columns
    ]
    pdf.set_font(FAMILY, "", BODY_SIZE)
    content = [0.0] * len(columns)
    for row in sample:
        for i, (value, column) in enumerate(zip(row, columns, strict=False)):
            content[i] = max(content[i], pdf.width_of(display(value, column.kind)))
    wanted = [max(full, body) + pad for full, body in zip(head_full, content, strict=True)]
    least = []
    for word, body, column in zip(head_word, content, columns, strict=True):
        whole = column.kind != "text" or body <= TEXT_MIN
        least.append(max(min(word, HEADER_WORD_MAX), body if whole else TEXT_MIN) + pad)
    room = pdf.epw
    if sum(wanted) <= room:
        return wanted
    spare = room - sum(least)
    if spare <= 0:  # not even the minimums fit: everything shrinks alike
        return [w * room / sum(least) for w in least]
    extra = [want - low for want, low in zip(wanted, least, strict=True)]
    return [low + spare * more / sum(extra) for low, more in zip(least, extra, strict=True)]


def _body(
    pdf: ReportPDF, result: ReportResult, rows: Iterable[Any], empty: bool, tracker: _Tracker
) -> None:
    layout = pdf.layout
    assert layout is not None
    kinds = [c.kind for c in result.columns]
    if empty:
        pdf.cell(0, ROW_H, "Inga rader för valt urval.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    body = _BodyRows(pdf, layout, kinds)
    for index, row in enumerate(rows):
        tracker.row(index)
        body.row(row, shaded=bool(index % 2))
    # Read after the rows: a streamed report makes its Totalt row and notes there.
    totals = totals_row(result)
    if totals is not None:
        if pdf.will_page_break(ROW_H + 1):
            pdf.add_page()
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, pdf.y, pdf.l_margin + sum(layout.widths), pdf.y)
        pdf.set_font(FAMILY, "B", BODY_SIZE)
        _row(pdf, layout, totals, kinds, shaded=False)
        pdf.set_font(FAMILY, "", BODY_SIZE)
    if result.notes:
        # Notes are not part of the table: no column header over them on a new page.
        pdf.layout = None
        pdf.ln(2)
        for note in result.notes:
            pdf.multi_cell(0, 4.5, clean(note, multiline=True), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _row(pdf: ReportPDF, layout: _Layout, row: Any, kinds: list[str], *, shaded: bool) -> None:
    """A row through fpdf2's cell() (the Totalt row, and any row _BodyRows cannot draw)."""
    if pdf.will_page_break(ROW_H):
        pdf.add_page()
    if shaded:
        pdf.set_fill_color(242)
    for value, width, align, kind in zip(row, layout.widths, layout.aligns, kinds, strict=False):
        pdf.cell(width, ROW_H, pdf.fit(display(value, kind), width), align=align, fill=shaded)
    pdf.ln(ROW_H)


SHADE = 242 / 255  # the grey of every other row


class _BodyRows:
    """The data rows, drawn as fpdf2's cell() draws them, without its cost per cell.

    cell() is general (markdown, fragments, links, borders, shaping) and was most of the
    time of a big report (10,000 rows: about 70,000 calls). A data row here is one piece of
    the page's content stream: a grey rectangle behind every other row, then per cell the
    text at cell()'s own position (the cell padding, right-aligned numbers, the baseline at
    half the row plus 0.3 of the font size), its glyphs taken from the font's subset as
    cell() takes them (so the embedded subset and the text a reader copies are the same).
    Texts that repeat (names, case types, e-mail addresses) are fitted and encoded once.
    Anything out of the ordinary (another font, a fill colour left set, text shaping,
    character spacing) goes through cell() as before.
    """

    CACHE_MAX = 20000  # cached texts per column; the cache is emptied when full

    def __init__(self, pdf: ReportPDF, layout: _Layout, kinds: list[str]) -> None:
        self.pdf = pdf
        self.layout = layout
        self.kinds = kinds
        self.width = sum(layout.widths)
        self.caches: list[dict[Any, tuple[str, float]]] = [{} for _ in kinds]
        self.plain = (
            not pdf.text_shaping
            and not pdf.char_spacing
            and pdf.font_stretching == 100
            and not pdf.underline
            and not pdf.strikethrough
            and getattr(pdf.current_font, "subset", None) is not None
            and _fpdf_internals_present(pdf)
        )
        self.font = pdf.current_font

    def row(self, row: Any, *, shaded: bool) -> None:
        pdf = self.pdf
        if pdf.will_page_break(ROW_H):
            pdf.add_page()
        # The text takes the page's fill colour (cell() sets its own when they differ).
        if not (self.plain and pdf.current_font is self.font and pdf.fill_color == pdf.text_color):
            _row(pdf, self.layout, row, self.kinds, shaded=shaded)
            return
        if not pdf.current_font_is_set_on_page:  # after set_font(), as cell() does it
            pdf._out(pdf._set_font_for_page(pdf.current_font, pdf.font_size_pt))
        k, left, top = pdf.k, pdf.l_margin, pdf.h - pdf.y
        parts = []
        if shaded:
            parts.append(
                f"q {SHADE:.3f} g {left * k:.2f} {top * k:.2f} {self.width * k:.2f} "
                f"{-ROW_H * k:.2f} re f Q"
            )
        baseline = f"{(top - 0.5 * ROW_H - 0.3 * pdf.font_size) * k:.2f}"
        x = left
        margin = pdf.c_margin
        for value, width, align, kind, cache in zip(
            row, self.layout.widths, self.layout.aligns, self.kinds, self.caches, strict=False
        ):
            found = cache.get(value) if kind == "text" else None
            if found is None:
                found = self._encode(pdf.fit(display(value, kind), width))
                if kind == "text":
                    if len(cache) >= self.CACHE_MAX:
                        cache.clear()
                    cache[value] = found
            glyphs, text_width = found
            if glyphs:
                dx = width - margin - text_width if align == "R" else margin
                parts.append(f"BT {(x + dx) * k:.2f} {baseline} Td ({glyphs}) Tj ET")
            x += width
        pdf._out(" ".join(parts))
        pdf.ln(ROW_H)

    def _encode(self, text: str) -> tuple[str, float]:
        """The text as the font's subset codes, escaped for a PDF string, and its width."""
        font = self.font
        pick = font.subset.pick
        codes = [pick(ord(ch)) for ch in text]
        mapped = "".join(chr(code) for code in codes if code)
        return font.escape_text(mapped), self.pdf.width_of(text)


def _fpdf_internals_present(pdf: ReportPDF) -> bool:
    """The fast rows use fpdf2's private parts (2.8.x); if an upgrade renames any of them,
    every row goes through cell() again instead of failing (tests/test_report_streaming.py
    compares the two paths, so a changed meaning shows there)."""
    font = pdf.current_font
    return (
        all(hasattr(pdf, name) for name in ("_out", "_set_font_for_page"))
        and hasattr(pdf, "current_font_is_set_on_page")
        and hasattr(font, "escape_text")
        and hasattr(font.subset, "pick")
    )


CHART_H = 45.0  # mm of bars
BAR_COLOUR = (70, 110, 160)


def _chart(pdf: ReportPDF, chart: Chart) -> None:
    """A bar per day or month under the table (fpdf2's own drawing: no plotting library).
    Values over the bars and labels under them where there is room; the highest bar is
    the chart's full height."""
    pdf.layout = None  # a page break here repeats no table header
    if pdf.will_page_break(CHART_H + 22):
        pdf.add_page()
    pdf.ln(5)
    pdf.set_font(FAMILY, "B", 10)
    pdf.cell(0, 6, clean(chart.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left, width = pdf.l_margin, pdf.w - pdf.l_margin - pdf.r_margin
    top = pdf.y + 4
    base = top + CHART_H
    count = len(chart.values)
    slot = width / count
    bar = slot * 0.7
    peak = max(chart.values) or 1
    pdf.set_font(FAMILY, "", 6)
    every = max(1, int(8 // slot) + 1) if slot < 8 else 1  # labels that would collide
    pdf.set_fill_color(*BAR_COLOUR)
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        x = left + index * slot + (slot - bar) / 2
        height = CHART_H * value / peak
        if height > 0:
            pdf.rect(x, base - height, bar, height, style="F")
        if slot >= 6 or value == peak:
            pdf.set_xy(left + index * slot, base - height - 3.5)
            pdf.cell(slot, 3, count_text(value), align="C")
        if index % every == 0:
            text = clean(label)
            room = max(slot, pdf.get_string_width(text) + 1)
            # set_x() reads a negative x from the right edge: keep the cell on the page
            pdf.set_xy(max(0.1, left + (index + 0.5) * slot - room / 2), base + 1)
            pdf.cell(room, 3, text, align="C")
    pdf.set_draw_color(90)
    pdf.set_line_width(0.2)
    pdf.line(left, base, left + width, base)
    pdf.set_xy(left, base + 6)
    pdf.set_font(FAMILY, "", BODY_SIZE)
