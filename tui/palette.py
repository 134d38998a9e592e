"""Command palette: every page by the manual's name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.pages import PAGES


class PagesProvider(Provider):
    async def discover(self) -> Hits:
        for page in PAGES:
            yield DiscoveryHit(f"{page.group}: {page.title}",
                               partial(self.app.open_page, page.id), help=page.summary)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for page in PAGES:
            text = f"{page.group}: {page.title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self.app.open_page, page.id),
                          help=page.summary)
