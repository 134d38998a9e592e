"""Reference data every database has: the 21 regions and the central bank's 12 case types."""

from __future__ import annotations

import json

REGIONS: list[tuple[str, str, str]] = [
    ("01", "Region Stockholm", "2321000016"),
    ("03", "Region Uppsala", "2321000024"),
    ("04", "Region Sörmland", "2321000032"),
    ("05", "Region Östergötland", "2321000040"),
    ("06", "Region Jönköpings län", "2321000057"),
    ("07", "Region Kronoberg", "2321000065"),
    ("08", "Region Kalmar län", "2321000073"),
    ("09", "Region Gotland", "2120000803"),
    ("10", "Region Blekinge", "2321000081"),
    ("12", "Region Skåne", "2321000255"),
    ("13", "Region Halland", "2321000115"),
    ("14", "Västra Götalandsregionen", "2321000131"),
    ("17", "Region Värmland", "2321000156"),
    ("18", "Region Örebro län", "2321000164"),
    ("19", "Region Västmanland", "2321000172"),
    ("20", "Region Dalarna", "2321000180"),
    ("21", "Region Gävleborg", "2321000198"),
    ("22", "Region Västernorrland", "2321000206"),
    ("23", "Region Jämtland Härjedalen", "2321000214"),
    ("24", "Region Västerbotten", "2321000222"),
    ("25", "Region Norrbotten", "2321000230"),
]

_TERMS = (
    "Tjänsten är inte avsedd för akuta ärenden. Vid akuta besvär, ring 112 eller 1177.\n"
    "Ditt ärende besvaras inom tre arbetsdagar. Uppgifterna du lämnar sparas i din journal "
    "enligt patientdatalagen."
)

# (name, description, questions)
STANDARD_CASE_TYPES: list[tuple[str, str, list[str]]] = [
    (
        "Beställa tid",
        "Patienten ber om en ny tid på mottagningen.",
        ["Vad gäller besöket?", "Vilka dagar och tider passar dig?", "Hur vill du bli kontaktad?"],
    ),
    (
        "Av-/omboka tid",
        "Patienten avbokar eller ber att få boka om en bokad tid.",
        ["Vilken tid gäller det?", "Vill du avboka eller omboka?", "Vilka tider passar i stället?"],
    ),
    (
        "Förnya recept",
        "Patienten ber om förnyelse av ett recept som mottagningen har skrivit ut.",
        ["Vilket läkemedel gäller det?", "Styrka och dosering?", "Till vilket apotek?"],
    ),
    (
        "Kontakta mig",
        "Patienten ber mottagningen att höra av sig.",
        ["Vad gäller det?", "Telefonnummer", "När kan vi nå dig?"],
    ),
    (
        "Skicka meddelande",
        "Ett kort meddelande till mottagningen som inte kräver bedömning.",
        ["Ditt meddelande"],
    ),
    (
        "Egenremiss",
        "Patienten skickar en egen remiss till en specialistmottagning.",
        ["Varför söker du?", "Hur länge har du haft besvären?", "Tidigare kontakt med vården?"],
    ),
    (
        "Fråga om min remiss",
        "Patienten frågar hur det går med en remiss.",
        ["Vilken remiss gäller det?", "Din fråga"],
    ),
    (
        "Begära intyg",
        "Patienten begär ett intyg, till exempel för resa eller arbetsgivare.",
        ["Vilket slags intyg?", "Till vem ska intyget?", "Senaste datum du behöver det"],
    ),
    (
        "Rådgivning",
        "Patienten ställer en fråga och får råd av vårdpersonal.",
        ["Vad vill du ha råd om?", "Hur länge har du haft besvären?"],
    ),
    (
        "Förnya hjälpmedel",
        "Patienten ber om förnyelse av ett hjälpmedel.",
        ["Vilket hjälpmedel gäller det?", "Varför behöver det förnyas?"],
    ),
    (
        "Synpunkter och klagomål",
        "Patienten lämnar synpunkter eller klagomål på vården.",
        ["Vad gäller dina synpunkter?", "Vill du bli kontaktad?"],
    ),
    (
        "Hjälp oss att bli bättre",
        "En kort enkät om patientens upplevelse av besöket.",
        ["Hur nöjd är du med besöket (1–5)?", "Vad kan vi göra bättre?"],
    ),
]


def seed_reference_data() -> None:
    """Insert what is missing; never changes rows an administrator may have edited."""
    from .entities import KIND_STANDARD, CaseType, Region

    for code, name, org in REGIONS:
        Region.insert(code=code, name=name, org_number=org).on_conflict_ignore().execute()
    for position, (name, description, questions) in enumerate(STANDARD_CASE_TYPES, start=1):
        CaseType.insert(
            kind=KIND_STANDARD,
            name=name,
            description=description,
            questions=json.dumps(questions, ensure_ascii=False),
            terms_text=_TERMS,
            position=position,
        ).on_conflict_ignore().execute()
