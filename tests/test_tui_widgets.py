"""Widgets whose state must read without colour (NO_COLOR, 16 colours)."""

from tui.widgets.plain_checkbox import PlainCheckbox, PlainRadioButton


def test_plain_toggles_show_state_by_glyph_not_colour():
    box, radio = PlainCheckbox("x"), PlainRadioButton("y")
    assert (box.BUTTON_INNER, radio.BUTTON_INNER) == (" ", " ")
    box.value, radio.value = True, True
    assert (box.BUTTON_INNER, radio.BUTTON_INNER) == ("X", "\u25cf")
