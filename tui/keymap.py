"""The keys users may move: every Binding's id, and the check of a `[keymap]` table.

No Textual here: `regionadmin config` (a command-line module, which may not import Textual)
checks the table with the same rules the TUI uses. tests/test_tui_keymap.py keeps
BINDING_IDS equal to the ids of the Bindings in tui/ and the key names to Textual's.

    [keymap]
    "reports.create" = "f9"
    "page.back" = "escape,backspace"
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from tui.pages import PAGES

# id -> what the key does, in the manual's words (README lists them, `regionadmin config
# --keys` prints them). Bindings of one id move together (one key, a step's action each).
BINDING_IDS: dict[str, str] = {
    "app.quit": "Avsluta",
    "app.palette": "Sök/gå till (kommandopaletten)",
    "app.redraw": "Rita om skärmen",
    "page.back": "Tillbaka (och Avbryt medan en ändring väntar)",
    "page.help": "Hjälp",
    "page.help_question": "Hjälp med ? (utanför textfält)",
    **{f"menu.{page.id}": f"Menyn: {page.title}" for page in PAGES},
    "units.next_page": "Mottagningslistan: nästa sida",
    "units.previous_page": "Mottagningslistan: förra sidan",
    "units.sort": "Mottagningslistan: sortera efter nästa kolumn",
    "units.reverse": "Mottagningslistan: omvänd ordning",
    "units.sort_1": "Mottagningslistan: sortera efter kolumn 1",
    "units.sort_2": "Mottagningslistan: sortera efter kolumn 2",
    "units.sort_3": "Mottagningslistan: sortera efter kolumn 3",
    "units.sort_4": "Mottagningslistan: sortera efter kolumn 4",
    "units.sort_5": "Mottagningslistan: sortera efter kolumn 5",
    "units.to_table": "Mottagningslistan: från sökfältet till listan",
    "activate.next": "Aktivera: Visa, Gå vidare, Slutför aktivering, Tilldela",
    "activate.again": "Aktivera: Aktivera en till",
    "activate.pick_next": "Aktivera: nästa förslag",
    "activate.pick_previous": "Aktivera: förra förslaget",
    "deactivate.next": "Inaktivera: Inaktivera, Klar",
    "deactivate.assign": "Inaktivera: Tilldela behörigheter",
    "rename.rename": "Ändra namn: Ändra",
    "unit_details.assign": "Mottagningsinformation: Tilldela behörigheter",
    "grants.next": "Tilldela behörigheter: Hämta, Tilldela",
    "grants.remove_admin": "Tilldela behörigheter: ta bort administratör",
    "grants.remove_reviewer": "Tilldela behörigheter: ta bort granskare",
    "onboarding.dry_run": "Anslutning: Provkör",
    "onboarding.commit": "Anslutning: Genomför",
    "hsa_drift.deactivate": "HSA-avvikelser: Inaktivera",
    "hsa_drift.activate": "HSA-avvikelser: Aktivera",
    "reports.create": "Rapporter: Skapa",
    "reports.show": "Rapporter: Visa",
    "settings.save": "Inställningar: Spara",
    "leave.save": "Spara ändringarna?: Spara",
    "leave.discard": "Spara ändringarna?: Kasta",
    "leave.cancel": "Spara ändringarna?: Avbryt",
    "leave.escape": "Spara ändringarna?: Avbryt med Escape",
    "audit_log.to_table": "Logg: från filtret till listan",
    "audit_log.next_page": "Logg: nästa sida",
    "audit_log.previous_page": "Logg: föregående sida",
    "confirm.yes": "Frågor: Ja",
    "confirm.no": "Frågor: Nej",
    "confirm.switch": "Frågor: byt knapp",
    "dialog.close": "Textrutor: Stäng",
    "choice.next": "Val: nästa",
    "choice.previous": "Val: föregående",
    "choice.submit": "Val: välj och gå vidare",
    "choice.choose": "Val: välj",
}

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(
    {
        "escape",
        "enter",
        "tab",
        "backspace",
        "delete",
        "insert",
        "home",
        "end",
        "pageup",
        "pagedown",
        "up",
        "down",
        "left",
        "right",
        "space",
        *(f"f{n}" for n in range(1, 25)),
    }
)
# Textual's names for characters whose Unicode names it shortens.
CHARACTER_NAMES = frozenset({"slash", "backslash", "at", "minus", "plus", "underscore"})


def _known_key(name: str) -> bool:
    if name in NAMED_KEYS or name in CHARACTER_NAMES:
        return True
    if len(name) == 1:
        return name.isprintable() and name not in ", "
    try:  # "question_mark", "full_stop": a character by its Unicode name, as Textual names it
        return unicodedata.lookup(name.replace("_", " ")).isprintable()
    except KeyError:
        return False


def key_problem(keys: str) -> str | None:
    """Why `keys` ("f9", "ctrl+s,escape") is not a list of keys, in Swedish; None if it is."""
    parts = [part.strip() for part in keys.split(",")]
    if not keys.strip() or any(not part for part in parts):
        return "ange en eller flera tangenter åtskilda med komma"
    for part in parts:
        *modifiers, name = part.split("+")
        unknown = [m for m in modifiers if m.lower() not in MODIFIERS]
        if unknown or not name or not _known_key(name if len(name) == 1 else name.lower()):
            return f"{part} är ingen tangent"
    return None


def check_keymap(
    keymap: Mapping[str, object],
) -> tuple[dict[str, str], list[str]]:
    """The usable entries of a `[keymap]` table (keys in Textual's lower case) and one
    Swedish sentence for each entry left out (an unknown id, a key that is none)."""
    usable: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id not in BINDING_IDS:
            problems.append(
                f"[keymap] {binding_id}: inget sådant tangent-id finns; raden används inte "
                "(regionadmin config --keys listar dem)."
            )
            continue
        problem = key_problem(keys) if isinstance(keys, str) else "värdet ska stå inom citattecken"
        if problem is not None:
            problems.append(f"[keymap] {binding_id}: {problem}; raden används inte.")
            continue
        usable[binding_id] = ",".join(
            part if len(part) == 1 else part.lower()
            for part in (p.strip() for p in str(keys).split(","))
        )
    return usable, problems


_PROSE_NAMES = {
    "escape": "Escape",
    "enter": "Enter",
    "tab": "Tab",
    "backspace": "Backspace",
    "delete": "Delete",
    "insert": "Insert",
    "home": "Home",
    "end": "End",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "up": "pil upp",
    "down": "pil ned",
    "left": "pil vänster",
    "right": "pil höger",
    "space": "mellanslag",
    "question_mark": "?",
}


def prose_key(key: str) -> str:
    """A key as the help texts write it: "ctrl+s" -> "Ctrl+S", "f5" -> "F5"."""
    *modifiers, name = key.strip().split("+")
    if name in _PROSE_NAMES:
        shown = _PROSE_NAMES[name]
    elif len(name) == 1:
        shown = name.upper() if modifiers else name
    elif name.lower() in NAMED_KEYS:
        shown = name.upper()  # f1..f24
    else:
        try:
            shown = unicodedata.lookup(name.replace("_", " "))
        except KeyError:
            shown = name
    return "+".join([*(m.capitalize() for m in modifiers), shown])
