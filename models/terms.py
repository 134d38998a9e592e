"""Skaffa konto: the terms a staff member accepts once before using the e-services.

The text lives with the models because accepting it is a recorded, audited act: the audit
event names TERMS_VERSION, so a later change of wording can be told apart in the log.
"""

from __future__ import annotations

TERMS_VERSION = "2026-1"

TERMS_TITLE = "Villkor för användarkonto för vårdpersonal i 1177 Vårdguidens e-tjänster"

ACCEPT_LABEL = "Jag accepterar villkoren"

# (heading, paragraph); one line per paragraph: the screen wraps it to the terminal's width.
_SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "1. Kontot är personligt",
        "Ditt användarkonto är knutet till ditt personnummer och till din behörighet i regionens "
        "elektroniska personalkatalog (HSA). Du får inte låta någon annan använda ditt konto eller "
        "din inloggning, och du loggar ut eller låser skärmen när du lämnar datorn.",
    ),
    (
        "2. Behörighet och uppdrag",
        "Du får bara använda e-tjänsterna i ditt uppdrag och bara i den omfattning som din "
        "behörighet medger. Som landstingsadministratör ansluter du mottagningar i din egen region "
        "och delar ut behörigheterna Administratör och Granskare där.",
    ),
    (
        "3. Patientuppgifter och sekretess",
        "Uppgifterna i e-tjänsterna omfattas av patientdatalagen, offentlighets- och "
        "sekretesslagen och dataskyddsförordningen (GDPR). Du får bara ta del av uppgifter som du "
        "behöver i ditt arbete.",
    ),
    (
        "4. Loggning",
        "Allt du gör i systemet loggas med ditt namn och tidpunkt. Loggarna kan granskas av "
        "regionen och av systemförvaltningen.",
    ),
    (
        "5. Ändrade förhållanden",
        "Om ditt uppdrag upphör, eller om du misstänker att någon annan har använt ditt konto, "
        "kontaktar du supporten på telefon 0771-25 10 10, knappval 1.",
    ),
    (
        "6. Ändringar av villkoren",
        "Villkoren kan komma att ändras. Du får då läsa och godkänna de nya villkoren innan du "
        "kan fortsätta använda kontot.",
    ),
)

TERMS_TEXT = "\n\n".join(f"{heading}\n{body}" for heading, body in _SECTIONS)
