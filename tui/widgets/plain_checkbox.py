"""Check boxes and radio buttons whose state reads without colour.

PlainCheckbox shows "X" when ticked, blank when not.

Textual's Checkbox always draws an X and tells the states apart by colour only, which
is lost under NO_COLOR and hard to see on 16-colour terminals.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class PlainCheckbox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - overrides Textual's class constant
        return "X" if self.value else " "


class PlainRadioButton(RadioButton):
    """A radio button that reads without colour: a dot only on the chosen one."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - overrides Textual's class constant
        return "\u25cf" if self.value else " "
