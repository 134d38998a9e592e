"""A newcomer's day (issue 9): finding a unit by a part of its name and giving it an
Administratör, counted in the keys a person presses."""

from __future__ import annotations

from models.entities import ADMIN, Grant, StaffAccount, Unit
from tests.factories import PNR_BERTIL, build_world
from tests.idle import assert_idle
from tests.tui_support import SIZE, make_app, message, press
from tui.screens.assign_grants import AssignGrantsScreen


class Keyboard:
    """Presses keys as a person does (one at a time, the screen settling in between) and
    counts them; `digits` counts the personnummer apart."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.keys: list[str] = []
        self.digits = 0

    async def press(self, *keys: str) -> None:
        self.keys.extend(keys)
        await press(self.pilot, *keys)

    async def type(self, text: str, *, personnummer: bool = False) -> None:
        if personnummer:
            self.digits += sum(c.isdigit() for c in text)
        await self.press(*text)


async def test_activate_a_unit_found_by_a_name_fragment_and_grant_an_administrator(sqlite_db):
    """Menu -> Aktivera -> "käll" -> Visa -> Gå vidare -> Slutför aktivering -> Tilldela
    behörigheter -> personnummer -> Hämta -> Tilldela: 23 keys (36 with the whole HSA-id
    typed), 12 of them the personnummer's digits.

    Fifteen in all is not possible with a 12-digit personnummer: its digits and the
    manual's six confirmations (Visa, Gå vidare, Slutför aktivering, Tilldela behörigheter,
    Hämta, Tilldela) are 18 before the unit has been named. The rest is 11 keys."""
    world = build_world()
    app, _ = make_app(world)
    async with app.run_test(size=SIZE) as pilot:
        keyboard = Keyboard(pilot)
        await keyboard.press("a")  # Aktivera
        await keyboard.type("käll")  # Vårdcentralen Källan, the first hit
        await keyboard.press("enter")  # Visa: takes the hit
        await keyboard.press("enter")  # Gå vidare (Nytt namn left empty)
        await keyboard.press("enter")  # Slutför aktivering
        unit = Unit.get(Unit.hsa_id == world.free_hsa)
        assert unit.active and unit.name == "Vårdcentralen Källan"
        await keyboard.press("enter")  # Tilldela behörigheter
        assert isinstance(app.screen, AssignGrantsScreen)
        await keyboard.type(PNR_BERTIL, personnummer=True)
        await keyboard.press("enter")  # Hämta
        await keyboard.press("enter")  # Tilldela (Administratör is chosen)
        account = StaffAccount.get(StaffAccount.person == world.bertil)
        assert [
            g.role for g in Grant.select().where((Grant.unit == unit) & (Grant.account == account))
        ] == [ADMIN]
        assert "Bertil Berg har nu Administratör" in message(pilot)
        await assert_idle(pilot)
    assert keyboard.digits == 12
    assert len(keyboard.keys) - keyboard.digits == 11
    assert len(keyboard.keys) == 23
