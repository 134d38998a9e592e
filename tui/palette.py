"""Command palette (Ctrl+P): every page by the manual's name, and any unit of the region by
HSA-id or name (opens Mottagningsinformation for the hit)."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import (
    CommandInput,
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
    SearchIcon,
)
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Mount
from textual.markup import escape
from textual.widgets import Button, LoadingIndicator

from models.db import session
from models.errors import DomainError
from models.operators import Operator
from models.text import clean
from models.units import Page, search_units
from tui.pages import PAGES
from tui.textual_private import say_no_matches_now
from tui.widgets.menu_list import LineHighlight
from tui.widgets.quiet_screen import QuietFocus

UNIT_HITS = 8
PLACEHOLDER = "Sök sida, HSA-id eller mottagning …"
NO_MATCHES = "Inga träffar"


class PagesProvider(Provider):
    async def discover(self) -> Hits:
        for page in PAGES:
            yield DiscoveryHit(
                f"{page.group}: {page.title}",
                partial(self.app.open_page, page.id),
                help=page.summary,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for page in PAGES:
            text = f"{page.group}: {page.title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self.app.open_page, page.id),
                    text=text,
                    help=page.summary,
                )


def _find_units(op: Operator, term: str) -> Page:
    with session():
        return search_units(op, term, limit=UNIT_HITS)


class UnitsProvider(Provider):
    """Units matching the typed text (part of an HSA-id, a name, an address)."""

    async def search(self, query: str) -> Hits:
        term = query.strip()
        operator = getattr(self.app, "operator", None)
        if len(term) < 2 or operator is None:
            return
        try:
            page = await asyncio.to_thread(_find_units, operator, term)
        except DomainError:
            return
        matcher = self.matcher(term)
        for row in page.rows:
            # Ranked by the same fuzzy score as the pages; a unit found by its address or
            # info (not in the shown text) still gets a score. Names come from the
            # database: never read them as markup.
            text = f"Mottagning: {clean(row.name)} ({row.hsa_id})"
            state = "aktiv" if row.active else "inaktiv"
            about = ", ".join(clean(p) for p in (row.care_type, row.city) if p)
            yield Hit(
                matcher.match(text) or 1.0,
                Content(text),
                partial(self.app.open_unit, row.hsa_id),
                text=text,
                help=escape(f"{about} · {state}" if about else state),
            )


class QuietBusy(LoadingIndicator):
    """The palette's busy sign without its 16-frames-a-second animation."""

    def on_mount(self, event: Mount) -> None:
        # LoadingIndicator's own mount handler would start a 1/16 s auto_refresh; a handler
        # that prevents the default keeps the base classes' handlers from running.
        event.prevent_default()

    def render(self):
        return Content("Söker …")


class QuietCommandList(LineHighlight, CommandList):
    """The palette's hits: a move repaints the two lines concerned, not the whole list."""


class Palette(QuietFocus, CommandPalette):
    """Textual's palette in Swedish, with a cursor that does not blink. The page below shows
    through untinted (app.tcss), so opening it changes only the cells it covers."""

    def __init__(self) -> None:
        super().__init__(placeholder=PLACEHOLDER, id="--command-palette")

    def compose(self):
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                icon = SearchIcon()
                icon.icon = ">"  # the magnifier emoji is missing or double width on many consoles
                yield icon
                field = CommandInput(placeholder=PLACEHOLDER, select_on_focus=False)
                field.cursor_blink = False
                yield field
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield QuietCommandList()
                yield QuietBusy()

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's hook (textual_private.PALETTE_HOOK, checked there): Textual's own says
        # "No matches found" half a second later; say it now, in Swedish.
        say_no_matches_now(self, search_value, NO_MATCHES)
