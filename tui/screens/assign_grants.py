"""Tilldela behörigheter: add or remove Administratör and Granskare on one unit.

Reached from the confirmation of Aktivera and from the unit's details. Lägg till vårdaktör:
personnummer -> Hämta (from the staff directory; the account is created on Tilldela when
missing) -> Administratör or Administratör + Granskare -> Tilldela; repeatable.
"""

from __future__ import annotations

from functools import partial

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Static

from models import validation
from models.entities import ADMIN, GRANSKARE, ROLE_NAMES
from models.errors import ValidationError
from models.grants import PersonInfo, find_person, grant_roles, revoke_role
from models.text import clean
from models.units import UnitDetails, unit_details
from tui.screens.base import PageScreen
from tui.widgets.cells import fit
from tui.widgets.choice import ChoiceSet
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.form import Hint, field_row
from tui.widgets.grants_table import add_grant_columns, fill_grants, roles_text
from tui.widgets.plain_checkbox import PlainRadioButton
from tui.widgets.quiet_input import QuietInput

FULL_WIDTH = 78  # the page's body at 80 columns
PNR_HINT = "ÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN. Enter = Hämta."


class GrantTable(DataTable):
    """The people with roles on the unit; Delete/x and g remove a role from the chosen one.

    Offered only on a person who has that role: not on "(ingen ännu)", and pressed on a
    person without it, the key says so instead (the hidden twins)."""

    BINDINGS = [
        Binding(
            "delete,x",
            "screen.remove('ADMIN')",
            "Ta bort adm.",
            key_display="Del",
            id="grants.remove_admin",
        ),
        Binding(
            "g", "screen.remove('GRANSKARE')", "Ta bort granskare", id="grants.remove_reviewer"
        ),
        Binding("delete,x", "screen.why_no_remove('ADMIN')", show=False, id="grants.remove_admin"),
        Binding("g", "screen.why_no_remove('GRANSKARE')", show=False, id="grants.remove_reviewer"),
    ]


class AssignGrantsScreen(PageScreen):
    TITLE = "Tilldela behörigheter"
    HELP = """
Här lägger du till och tar bort behörigheten Administratör (lokal administratör) och
tilläggsbehörigheten Granskare på mottagningen. Lägg till vårdaktör: skriv personnumret och
tryck Enter (Hämta). Finns personen inte i Mina vårdkontakter skapas kontot när du tilldelar.
Välj Administratör eller Administratör + Granskare och Tilldela. Du kan lägga till fler
personer direkt. Ta bort: flytta till personen i listan och tryck Delete (Administratör, och
med den Granskare) eller g (endast Granskare). Övriga roller delar mottagningens
administratör ut.
"""

    BINDINGS = [
        Binding("f2", "fetch", "Hämta", id="grants.next"),
        Binding("f2", "grant", "Tilldela", id="grants.next"),
    ]

    # Below 80 columns the two roles and Tilldela do not fit one line: Tilldela goes under
    # the roles (it was cut off at the right edge).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]

    CSS = """
    AssignGrantsScreen.-narrow #role-row { layout: vertical; height: auto; }
    AssignGrantsScreen.-narrow #role-row > ChoiceSet { margin-bottom: 1; }
    """

    def __init__(self, hsa_id: str, unit_name: str = "") -> None:
        super().__init__()
        self.hsa_id = hsa_id
        self.unit_name = unit_name or hsa_id
        self.details: UnitDetails | None = None
        self.person: PersonInfo | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(
            f"Mottagning: {fit(self.unit_name, 45)} ({clean(self.hsa_id)})",
            id="unit-line",
            markup=False,
        )
        yield Static("Behörigheter på mottagningen", classes="heading")
        table = GrantTable(id="grants", cursor_type="row", zebra_stripes=False)
        yield table
        yield Static("Lägg till vårdaktör", classes="heading")
        yield field_row(
            "Personnummer",
            QuietInput(id="pnr", compact=True, max_length=15),
            Button("Hämta", id="fetch", compact=True),
        )
        yield Hint(PNR_HINT, id="pnr-hint")
        yield Static("", id="person", markup=False)
        with Horizontal(id="role-row", classes="buttons"):
            yield ChoiceSet(
                PlainRadioButton("Administratör", value=True, id="role-admin"),
                PlainRadioButton("Administratör + Granskare", id="role-both"),
                id="roles",
                compact=True,
            )
            yield Button("Tilldela", id="grant", compact=True, variant="primary")

    def on_mount(self) -> None:
        add_grant_columns(self.query_one("#grants", GrantTable))
        self.query_one("#role-row").display = False
        self.query_one("#pnr", Input).focus()
        # Loaded here and after each write of this page; not on every screen resume (a
        # closed confirmation would refill the table and put the cursor back on row 1).
        self.load()

    # --- the unit's grants ----------------------------------------------------------
    def load(self, select: str | None = None) -> None:
        """Fetch the unit's grants; `select`: the personnummer to put the cursor on."""
        self.call_service(
            unit_details,
            self.app.operator,
            self.hsa_id,
            done=partial(self._show, select),
            group="grants-load",
        )

    def _show(self, select: str | None, details: UnitDetails) -> None:
        self.details = details
        self.unit_name = details.name
        state = "" if details.active else " · inaktiv"
        self.query_one("#unit-line", Static).update(
            f"Mottagning: {fit(details.name, 45)} ({clean(details.hsa_id)}){state}"
        )
        fill_grants(self.query_one("#grants", GrantTable), details.grants, select=select)

    def on_resize(self, event: events.Resize) -> None:
        # The columns follow the new width, drawn with the new layout: the body less its
        # padding, and less a scrollbar below 80 columns (the page then scrolls).
        if self.details is not None:
            width = event.size.width - 2
            if width < FULL_WIDTH:
                width -= 2
            fill_grants(self.query_one("#grants", GrantTable), self.details.grants, width=width)

    def _chosen_grant(self):
        table = self.query_one("#grants", GrantTable)
        if self.details is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((g for g in self.details.grants if g.personnummer == key), None)

    @on(DataTable.RowHighlighted, "#grants")
    def _row_highlighted(self) -> None:
        self.refresh_bindings()  # Ta bort follows the person the cursor is on

    # --- Hämta -------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # F2 belongs to Lägg till vårdaktör: not offered from the list, where the footer
        # holds the list's own keys.
        in_list = isinstance(self.focused, GrantTable)
        if action == "fetch":
            return self.person is None and not in_list
        if action == "grant":
            return self.person is not None and not in_list
        if action in ("remove", "why_no_remove"):
            grant = self._chosen_grant()
            has_role = grant is not None and parameters[0] in grant.roles
            return has_role if action == "remove" else grant is not None and not has_role
        return super().check_action(action, parameters)

    @on(Input.Changed, "#pnr")
    def _pnr_changed(self) -> None:
        if self.person is not None:
            self._forget_person()
        self.query_one("#pnr-hint", Hint).info()

    def _forget_person(self) -> None:
        self.person = None
        self.query_one("#person", Static).update("")
        self.query_one("#role-row").display = False
        self.refresh_bindings()

    @on(Input.Submitted, "#pnr")
    @on(Button.Pressed, "#fetch")
    def action_fetch(self) -> None:
        hint = self.query_one("#pnr-hint", Hint)
        try:
            pnr = validation.personnummer(self.query_one("#pnr", Input).value)
        except ValidationError as error:
            hint.error(error)
            return
        hint.info("Hämtar personen ur personalkatalogen …")
        self.call_service(
            find_person,
            self.app.operator,
            pnr,
            self.hsa_id,
            done=self._show_person,
            fail=hint.error,
            group="grants-person",
        )

    def _show_person(self, person: PersonInfo) -> None:
        self.person = person
        self.query_one("#pnr-hint", Hint).info()
        about = ", ".join(clean(p) for p in (person.name, person.title, person.email) if p)
        if not person.has_account:
            account = (
                "Personen har inget konto i Mina vårdkontakter; kontot skapas när du tilldelar."
            )
        elif person.roles_on_unit:
            account = f"Har konto. Behörigheter här: {roles_text(person.roles_on_unit)}."
        else:
            account = "Har konto. Ingen behörighet på mottagningen ännu."
        self.query_one("#person", Static).update(f"{about}\n{account}")
        self.query_one("#role-row").display = True
        roles = self.query_one("#roles", ChoiceSet)
        roles.choose(0)  # every person fetched starts at Administratör alone
        roles.focus()
        # Tilldela in sight too (under the roles in a narrow terminal), once laid out.
        self.call_after_refresh(self._grant_in_sight)
        self.refresh_bindings()

    def _grant_in_sight(self) -> None:
        button = self.query_one("#grant", Button)
        if button.display and button.region:
            button.scroll_visible(animate=False, immediate=True)

    # --- Tilldela ----------------------------------------------------------------
    def _roles(self) -> tuple[str, ...]:
        both = self.query_one("#roles", ChoiceSet).chosen_index == 1
        return (ADMIN, GRANSKARE) if both else (ADMIN,)

    @on(Button.Pressed, "#grant")
    @on(ChoiceSet.Submitted)
    def action_grant(self) -> None:
        if self.person is None:
            return
        self.call_write(
            grant_roles,
            self.app.operator,
            self.hsa_id,
            self.person.personnummer,
            self._roles(),
            done=partial(self._granted, self.person.has_account, self.unit_name),
        )

    def _granted(self, had_account: bool, unit_name: str, person: PersonInfo) -> None:
        created = "" if had_account else " Ett vårdaktörskonto skapades."
        self.show_message(
            f"{clean(person.name)} har nu {roles_text(person.roles_on_unit)} på "
            f"{clean(unit_name)}.{created} Du kan lägga till fler personer."
        )
        field = self.query_one("#pnr", Input)
        field.value = ""
        self._forget_person()
        field.focus()
        self.load(select=person.personnummer)  # Delete there removes what was just given

    # --- Ta bort -----------------------------------------------------------------
    def action_why_no_remove(self, role: str) -> None:
        grant = self._chosen_grant()
        if grant is not None and role not in grant.roles:
            self.show_error(
                f"{clean(grant.name)} har inte behörigheten {ROLE_NAMES[role]} på mottagningen."
            )

    def action_remove(self, role: str) -> None:
        grant = self._chosen_grant()
        if grant is None or self.wait_for_write():
            return
        if role not in grant.roles:
            self.action_why_no_remove(role)
            return
        what = (
            "Administratör" + (" och Granskare" if GRANSKARE in grant.roles else "")
            if role == ADMIN
            else "Granskare"
        )
        question = (
            f"Ta bort behörigheten {what} för {clean(grant.name)} på {clean(self.unit_name)}?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_write(
                    revoke_role,
                    self.app.operator,
                    self.hsa_id,
                    grant.personnummer,
                    role,
                    done=self._revoked,
                )

        self.app.push_screen(ConfirmDialog(question), answered)

    def _revoked(self, person: PersonInfo) -> None:
        left = roles_text(person.roles_on_unit) or "ingen behörighet"
        self.show_message(
            f"Behörigheten är borttagen. {clean(person.name)} har nu {left} på mottagningen."
        )
        self.load()
