"""The page's title line: the page, then who works in which region, cut to fit the width."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

SEPARATOR = "  ·  "


def fit_title(full: str, width: int) -> str:
    """`full` ("Rapporter  ·  Anna Andersson, Region Stockholm") for `width` columns: whole
    when it fits, else the page and the region (the operator's name goes first), else the
    page's name cut with an ellipsis."""
    if width <= 0 or len(full) <= width:
        return full
    title, _, who = full.partition(SEPARATOR)
    region = who.rpartition(", ")[2]
    if region:
        for shorter in (f"{title}{SEPARATOR}{region}", f"{title} · {region}"):
            if len(shorter) <= width:
                return shorter
    return title if len(title) <= width else title[: max(0, width - 1)] + "…"


class TitleLine(Static):
    """A Static whose content stays whole (what pages update and tests read); what is drawn
    is fitted to the width it has, again after a resize."""

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(text, id=id, markup=False)

    def render(self) -> Content:
        width = self.content_region.width or self.app.size.width
        return Content(fit_title(str(self.content), width))
