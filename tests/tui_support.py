"""Shared helpers for the Pilot tests of the terminal app."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, Static

from models.operators import accept_terms
from tests.factories import World, build_world
from tests.idle import settle
from tui.app import RegionAdminApp

SIZE = (80, 24)


def make_app(world: World | None = None) -> tuple[RegionAdminApp, World]:
    """The app for anna (region 01) over build_world(); the terms are accepted already so
    the app starts on the menu whoever builds the terms screen."""
    world = world or build_world()
    return RegionAdminApp(accept_terms(world.op)), world


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys, then wait for the services they started and the repaint."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key, so validation as you type runs as for a person."""
    await pilot.press(*text)
    await settle(pilot)


async def fill(pilot: Pilot, selector: str, text: str) -> None:
    """Replace the value of the Input `selector` (focused first), typing the new text."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await type_text(pilot, text)


def text_of(pilot: Pilot, selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).content)


def message(pilot: Pilot) -> str:
    return text_of(pilot, "#message")
