"""Screens that repaint only what changed when the focus moves.

Textual 8.2.8 declares `Screen.focused` as a reactive with the default repaint=True: every
focus change (one Tab) repainted the whole screen, about 7 KB at 80x24 in 256 colours. The
widgets that gain and lose the focus refresh themselves (Widget._on_focus/_on_blur) and the
CSS of :focus and :focus-within is updated for the nodes concerned, so the full repaint
draws nothing new. Every screen and dialog of the program mixes this in first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.reactive import Reactive

if TYPE_CHECKING:
    from textual.widget import Widget


class QuietFocus:
    """Mix in before Screen/ModalScreen: `focused` without a whole-screen repaint."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
