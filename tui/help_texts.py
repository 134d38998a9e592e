"""Help texts shared by every page: the manual's Support section.

Lines are at most 76 characters, the help panel's width at 80x24. The panel also reflows
hard-wrapped lines; the full text's parts are "- " list items so each keeps its own line.
"""

from __future__ import annotations

SUPPORT_HEADING = "Support"

# Short form, appended to every page's help (the panel has room for about ten lines).
SUPPORT_TEXT = """\
Support: telefon 0771-25 10 10, knappval 1, alla dagar kl. 06.00–22.00.
E-postformulär: www.inera.se/1177-vardguidens-e-tjanster-personal, rubriken
Support och underrubriken Kontakta supporten. Där finns också mer
information och en nätbaserad utbildning om hur du arbetar i systemet."""

# The manual's whole Support section, for the menu (start page) help.
SUPPORT_TEXT_FULL = """\
Support
- På telefon: vid problem, frågor eller synpunkter ringer du supporten på
  0771-25 10 10, knappval 1. Supporten har öppet alla dagar kl. 06.00–22.00.
- Via e-post: gå till www.inera.se/1177-vardguidens-e-tjanster-personal.
  Under rubriken Support och underrubriken Kontakta supporten finns en länk
  till ett formulär du kan fylla i.
- Webbplats: på www.inera.se/1177-vardguidens-e-tjanster-personal finns mer
  information och en nätbaserad utbildning om hur du arbetar i systemet."""


def with_support(help_text: str, support: str = SUPPORT_TEXT) -> str:
    """`help_text` followed by the Support section, once (a page may already carry it)."""
    text = help_text.strip()
    if "0771-25 10 10" in text:
        return text
    return f"{text}\n\n{support}" if text else support
