"""The left menu of the manual, as one table: the menu screen, the key bindings and the
command palette are all built from it, so a page is added in one place."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Page:
    id: str
    group: str  # the manual's menu heading
    title: str  # the manual's name for the page
    key: str  # the key that opens it from the menu
    module: str  # tui.screens.<module>
    cls: str
    summary: str


GROUPS = (
    "Vårdmottagningar",
    "Behörigheter",
    "Central bank för ärendetyper",
    "Statistik",
    "Personliga inställningar",
    "Loggar",
)

PAGES: tuple[Page, ...] = (
    Page(
        "aktivera",
        "Vårdmottagningar",
        "Aktivera",
        "a",
        "activate",
        "ActivateScreen",
        "Aktivera en ny mottagning eller återaktivera en inaktiverad.",
    ),
    Page(
        "inaktivera",
        "Vårdmottagningar",
        "Inaktivera",
        "i",
        "deactivate",
        "DeactivateScreen",
        "Inaktivera en mottagning som ska avslutas.",
    ),
    Page(
        "andra-namn",
        "Vårdmottagningar",
        "Ändra namn",
        "n",
        "rename",
        "RenameScreen",
        "Ändra namn på en ansluten mottagning.",
    ),
    Page(
        "visa-mottagning",
        "Vårdmottagningar",
        "Visa mottagningsinformation",
        "v",
        "units",
        "UnitsScreen",
        "Sök mottagningar och se deras inställningar och behörigheter.",
    ),
    Page(
        "avvikelser-hsa",
        "Vårdmottagningar",
        "Avvikelser mot HSA",
        "h",
        "hsa_drift",
        "HsaDriftScreen",
        "Mottagningar som HSA har tagit bort eller ändrat, och HSA-enheter "
        "som aldrig har aktiverats.",
    ),
    Page(
        "ansluta-fran-fil",
        "Vårdmottagningar",
        "Ansluta från fil",
        "f",
        "onboarding",
        "OnboardingScreen",
        "Aktivera många mottagningar eller dela ut många behörigheter från en CSV-fil.",
    ),
    Page(
        "lista-admin",
        "Behörigheter",
        "Lista admin",
        "l",
        "admins",
        "AdminsScreen",
        "Regionens landstingsadministratörer.",
    ),
    Page(
        "central-bank",
        "Central bank för ärendetyper",
        "Visa",
        "b",
        "case_bank",
        "CaseBankScreen",
        "Ärendetyperna i den centrala banken.",
    ),
    Page(
        "rapporter",
        "Statistik",
        "Rapporter",
        "r",
        "reports",
        "ReportsScreen",
        "Ta fram statistik som PDF, Excel eller CSV.",
    ),
    Page(
        "installningar",
        "Personliga inställningar",
        "Personliga inställningar",
        "p",
        "settings",
        "SettingsScreen",
        "Tilltalsnamn, signatur och aviseringar.",
    ),
    Page(
        "loggar",
        "Loggar",
        "Loggar",
        "g",
        "audit_log",
        "AuditLogScreen",
        "Vem gjorde vad och när i regionen.",
    ),
)

PAGES_BY_ID = {page.id: page for page in PAGES}


def screen_class(page: Page):
    """The page's Screen class; imported on first use so start-up stays quick."""
    return getattr(import_module(f"tui.screens.{page.module}"), page.cls)
