"""Demo data: a believable Region Stockholm to try every page and report on.

Deterministic: everything comes from random.Random(seed) and one time anchor, local midnight
of `today` (default: the Stockholm date of the run), so two runs with the same seed on the
same day write the same content. No set is iterated (string hashing is salted per process).

Large volumes are written in batches inside the one transaction (executemany on SQLite,
on PostgreSQL one COPY per table that the batches stream into: transfer.bulk_stream); cases and logins are generated day by day, oldest
first, so case ids grow with time as in real life and the roll-up of logins is counted as
the rows are made. A day's values are drawn in bulk (random.choices with k=, getrandbits
into 16/32-bit slots), never with a call per value: at two million cases and twenty million
logins the calls were most of the demo's time. The case and login tables are loaded empty,
without their secondary indexes (and on PostgreSQL their foreign keys), which are built
once after the load (transfer.begin_empty_load).
"""

from __future__ import annotations

import math
import operator
import random
import sys
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate, repeat

from . import audit, case_summary
from .db import refresh_statistics, transaction
from .entities import (
    ADMIN,
    ARENDEMOTTAGARE,
    CITIZEN,
    GRANSKARE,
    KIND_INTEGRATION,
    KIND_OWN,
    KIND_STANDARD,
    LANDSTINGSADMIN,
    STAFF,
    VARDGIVARE,
    Case,
    CaseType,
    CitizenAccount,
    Grant,
    HsaPerson,
    HsaUnit,
    Login,
    StaffAccount,
    Unit,
    UnitCaseType,
)
from .errors import Conflict, ValidationError
from .operators import current_login, link_operator
from .seed import REGIONS
from .timeutil import EARLIEST_EVENT_DAY, day_start_epoch, period_epochs, stockholm_today
from .transfer import (
    BATCH,
    RollupKey,
    add_to_login_rollup,
    begin_empty_load,
    bulk_stream,
    bulk_write,
)

DemoProgress = Callable[[str, int, int], None]

WINDOW_DAYS = 548  # about 18 months of cases and logins
ACCOUNT_YEARS = 8  # citizen accounts were made up to eight years back: the oldest event
# What the demo writes must import again: its oldest event at or after 2000-01-01, and
# nothing after tomorrow (timeutil.event_window).
EARLIEST_TODAY = date(EARLIEST_EVENT_DAY.year + ACCOUNT_YEARS, 1, 1)  # 8 * 365 days: 2000-01-03
HOUR = 3600
DAY = 86400

PLACES = [
    "Solna",
    "Sundbyberg",
    "Täby",
    "Danderyd",
    "Huddinge",
    "Nacka",
    "Södertälje",
    "Norrtälje",
    "Järfälla",
    "Sollentuna",
    "Upplands Väsby",
    "Vallentuna",
    "Åkersberga",
    "Gustavsberg",
    "Tyresö",
    "Handen",
    "Tumba",
    "Ekerö",
    "Lidingö",
    "Vaxholm",
    "Märsta",
    "Nykvarn",
    "Nynäshamn",
    "Farsta",
    "Skärholmen",
    "Rinkeby",
    "Hornstull",
    "Östermalm",
    "Kungsholmen",
    "Vasastan",
    "Gullmarsplan",
    "Liljeholmen",
    "Bromma",
    "Hägersten",
    "Älvsjö",
    "Skarpnäck",
    "Hammarbyhöjden",
    "Kista",
    "Spånga",
    "Hässelby",
    "Vällingby",
    "Fruängen",
    "Bagarmossen",
    "Jakobsberg",
    "Tullinge",
    "Flemingsberg",
    "Fisksätra",
    "Saltsjöbaden",
    "Brommaplan",
    "Odenplan",
]
# care type -> (name patterns, share of units)
CARE_TYPES: list[tuple[str, list[str], int]] = [
    ("Vårdcentral", ["Vårdcentralen {p}", "Husläkarmottagningen {p}", "{p} vårdcentral"], 30),
    ("Barnavårdscentral", ["BVC {p}", "Barnavårdscentralen {p}"], 12),
    ("Mödravårdscentral", ["Barnmorskemottagningen {p}", "MVC {p}"], 10),
    ("Tandvård", ["Folktandvården {p}", "Tandläkarna {p}"], 12),
    ("Psykiatrisk mottagning", ["Psykiatriska mottagningen {p}", "Psykiatri Nordväst – {p}"], 10),
    (
        "Specialistmottagning",
        [
            "Hudmottagningen {p}",
            "Ögonmottagningen {p}",
            "ÖNH-mottagningen {p}",
            "Ortopedmottagningen {p}",
            "Diabetesmottagningen {p}",
        ],
        14,
    ),
    ("Rehabilitering", ["Rehab {p}", "Fysioterapin {p}"], 8),
    ("Ungdomsmottagning", ["Ungdomsmottagningen {p}"], 4),
]
STREETS = [
    "Storgatan",
    "Kyrkogatan",
    "Drottninggatan",
    "Sveavägen",
    "Hantverkargatan",
    "Götgatan",
    "Centrumvägen",
    "Torget",
    "Vårdvägen",
    "Sjukhusvägen",
    "Allégatan",
    "Skolgatan",
    "Björkvägen",
    "Ekbacken",
    "Stationsgatan",
    "Södra vägen",
]
INFOS = [
    "Öppet måndag–fredag 8–17.",
    "Telefontid vardagar 8.00–9.00.",
    "Drop-in för vaccination tisdagar 13–15.",
    "Parkering finns vid entrén.",
    "Tolk kan bokas vid behov.",
    "Hiss finns från gatuplanet.",
    "",
]
GIVEN = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Kerstin",
    "Ingrid",
    "Johanna",
    "Sofia",
    "Elin",
    "Ida",
    "Maja",
    "Linnea",
    "Åsa",
    "Märta",
    "Erik",
    "Lars",
    "Karl",
    "Anders",
    "Johan",
    "Per",
    "Mikael",
    "Nils",
    "Olof",
    "Gustav",
    "Björn",
    "Jonas",
    "Oskar",
    "Ali",
    "Fatima",
    "Mohammed",
    "Amira",
    "Aleksandra",
    "Zoë",
]
SECOND = ["", "", "", "Marie", "Louise", "Elisabeth", "Johan", "Erik", "Kristina", "Ingemar"]
SURNAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Holm",
    "Sandberg",
    "Ekström",
    "Öberg",
    "Åkesson",
    "Hassan",
    "Yilmaz",
    "Nowak",
    "Virtanen",
    "Lundgren",
    "Sjöberg",
    "Wallin",
    "Engström",
]
TITLES_BY_ROLE = {
    ADMIN: ["Enhetschef", "Verksamhetsutvecklare", "Medicinsk sekreterare"],
    ARENDEMOTTAGARE: ["Medicinsk sekreterare", "Undersköterska", "Sjuksköterska"],
    VARDGIVARE: [
        "Läkare",
        "Distriktsläkare",
        "Sjuksköterska",
        "Distriktssköterska",
        "Barnmorska",
        "Tandläkare",
        "Psykolog",
        "Fysioterapeut",
    ],
}
OWN_TYPES = [
    "Vaccination inför resa",
    "Boka provtagning",
    "Förnya sjukskrivning",
    "Frågor om amning",
    "Anmäla frånvaro",
    "Beställa journalkopia",
]
INTEGRATION_TYPES = ["Tidbok – TakeCare", "Labbsvar – Cosmic", "Egen provtagning"]
STANDARD_BY_CARE = {
    "Vårdcentral": ["Förnya recept", "Begära intyg", "Rådgivning"],
    "Specialistmottagning": ["Egenremiss", "Fråga om min remiss", "Förnya recept"],
    "Rehabilitering": ["Förnya hjälpmedel", "Egenremiss"],
    "Psykiatrisk mottagning": ["Förnya recept", "Rådgivning"],
    "Mödravårdscentral": ["Rådgivning"],
    "Barnavårdscentral": ["Rådgivning"],
    "Ungdomsmottagning": ["Rådgivning"],
    "Tandvård": ["Begära intyg"],
}
COMMON_STANDARD = [
    "Beställa tid",
    "Av-/omboka tid",
    "Kontakta mig",
    "Skicka meddelande",
    "Synpunkter och klagomål",
    "Hjälp oss att bli bättre",
]
# Rough population shares: citizens log in to their own region's services.
REGION_WEIGHTS = {
    "01": 24,
    "03": 4,
    "04": 3,
    "05": 5,
    "06": 4,
    "07": 2,
    "08": 2,
    "09": 1,
    "10": 2,
    "12": 13,
    "13": 3,
    "14": 17,
    "17": 3,
    "18": 3,
    "19": 3,
    "20": 3,
    "21": 3,
    "22": 2,
    "23": 1,
    "24": 3,
    "25": 2,
}
OTHER_REGION_UNITS = [
    ("12", "2321000255", "Vårdcentralen Lund Centrum", "Vårdcentral", "Lund"),
    ("12", "2321000255", "Vårdcentralen Triangeln", "Vårdcentral", "Malmö"),
    ("12", "2321000255", "Folktandvården Helsingborg", "Tandvård", "Helsingborg"),
    ("12", "2321000255", "BVC Ystad", "Barnavårdscentral", "Ystad"),
    ("03", "2321000024", "Vårdcentralen Gränby", "Vårdcentral", "Uppsala"),
    ("03", "2321000024", "Hudmottagningen Akademiska", "Specialistmottagning", "Uppsala"),
]
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 11, 10, 9, 10, 10, 9, 8, 8, 9, 10, 9, 7, 4, 2]
HOURS_CUM = list(accumulate(HOUR_WEIGHTS))
ESCAPE_INFO = "Obs! \x1b[31mStängt vecka 28–31\x1b[0m. Hänvisning till närakuten."


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # a digit doubled, its digits added


def luhn_digit(digits: str) -> str:
    """What stdnum's luhn.calc_check_digit gives for a string of digits, without its
    generality: that call was a third of making 500,000 citizen accounts."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        total += _DOUBLED[digit] if position % 2 == 0 else digit
    return str(-total % 10)


@dataclass(frozen=True)
class DemoResult:
    skipped: bool
    directory_units: int = 0
    connected_units: int = 0
    persons: int = 0
    cases: int = 0
    citizen_accounts: int = 0
    logins: int = 0
    operator_login: str = ""


@dataclass
class _Unit:
    id: int
    hsa_id: str
    region: str
    care_type: str
    active: bool
    since: int
    until: int  # deactivation, or far in the future
    weight: float
    types: list[int] = field(default_factory=list)
    type_cum: list[float] = field(default_factory=list)
    handlers: list[int] = field(default_factory=list)  # staff account ids


class _Gen:
    """The generator: random source, time anchor and what was made so far."""

    def __init__(self, seed: int, today: date, progress: DemoProgress | None) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.anchor = day_start_epoch(today)
        self.window_start = day_start_epoch(today - timedelta(days=WINDOW_DAYS))
        self.progress = progress
        self.pnrs: dict[str, None] = {}
        self.suffixes: dict[str, None] = {}
        self.units: list[_Unit] = []

    # -- small helpers
    def pnr(self, coordination: bool = False, born: tuple[int, int] = (1950, 2001)) -> str:
        rng = self.rng
        while True:
            year = rng.randrange(*born)
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            day_part = day + 60 if coordination else day
            serial = rng.randint(0, 999)
            if serial == 0:  # no such number: personnummer (and our import) refuse 000
                continue
            body = f"{year}{month:02d}{day_part:02d}{serial:03d}"
            check = luhn_digit(body[2:])  # the one digit luhn_ok accepts
            value = f"{body}{check}"
            if value not in self.pnrs:
                self.pnrs[value] = None
                return value

    def hsa_id(self, org: str) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
        while True:
            suffix = "".join(self.rng.choice(alphabet) for _ in range(4))
            key = f"SE{org}-{suffix}"
            if key not in self.suffixes:
                self.suffixes[key] = None
                return key

    def address(self) -> dict[str, str]:
        rng = self.rng
        return dict(
            street=f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
            postal_code=f"1{rng.randint(0, 99):02d} {rng.randint(10, 99)}",
            phone=f"08-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        )

    def moment(self, start: int, end: int) -> int:
        return self.rng.randrange(start, max(start + 1, end))

    def report(self, label: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(label, done, total)


def _slug(text: str) -> str:
    table = str.maketrans(
        {
            "å": "a",
            "ä": "a",
            "ö": "o",
            "é": "e",
            "ł": "l",
            "ś": "s",
            "ë": "e",
            " ": ".",
            "–": "",
            "-": ".",
        }
    )
    return ".".join(p for p in text.lower().translate(table).split(".") if p)


# ---------------------------------------------------------------------------- directory


def _unit_names(gen: _Gen, count: int) -> Iterator[tuple[str, str]]:
    """(name, care type) pairs, unique, in a stable order."""
    rng, used = gen.rng, {}
    weights = list(accumulate(w for _, _, w in CARE_TYPES))
    # Two fixed names so PDFs meet "–" and "Ł" in any report that lists units.
    yield "Tandläkare Łukasz Nowak", "Tandvård"
    yield "Specialistmottagning – Ögon Danderyd", "Specialistmottagning"
    for _ in range(count - 2):
        care, patterns, _w = CARE_TYPES[bisect(weights, rng.randrange(weights[-1]))]
        for attempt in range(50):
            name = rng.choice(patterns).format(p=rng.choice(PLACES))
            if attempt > 20:
                name = f"{name} {attempt - 19}"
            if name not in used:
                used[name] = None
                break
        yield name, care


def _directory(gen: _Gen, count: int) -> list[dict]:
    """HSA catalogue rows for region 01 and a few in other regions."""
    rows = []
    for i, (name, care) in enumerate(_unit_names(gen, count)):
        named = [p for p in PLACES if p in name]
        city = max(named, key=len) if named else gen.rng.choice(PLACES)
        info = gen.rng.choice(INFOS)
        rows.append(
            dict(
                hsa_id=gen.hsa_id("2321000016"),
                name=name,
                care_type=care,
                region="01",
                city=city,
                info=info,
                **gen.address(),
            )
        )
        if i == count - 1:
            rows[-1]["info"] = ESCAPE_INFO  # the last one stays unconnected: see below
    for region, org, name, care, city in OTHER_REGION_UNITS:
        rows.append(
            dict(
                hsa_id=gen.hsa_id(org),
                name=name,
                care_type=care,
                region=region,
                city=city,
                info=gen.rng.choice(INFOS),
                **gen.address(),
            )
        )
    return rows


def _write_directory(rows: list[dict]) -> None:
    fields = (
        "hsa_id",
        "name",
        "care_type",
        "region",
        "street",
        "postal_code",
        "city",
        "phone",
        "info",
    )
    bulk_write(HsaUnit, fields, [tuple(r[f] for f in fields) for r in rows])


def _connect_units(gen: _Gen, directory: list[dict], region_01: int) -> list[_Unit]:
    """About three in four units of 01 connected (one in ten of those inactive again), the
    last 01 entry never (it carries the escape sequence for Aktivera), two in Skåne."""
    rng, rows = gen.rng, []
    candidates = [(i, r) for i, r in enumerate(directory[: region_01 - 1])]
    candidates += [(i, directory[i]) for i in range(region_01, region_01 + 2)]
    for i, entry in candidates:
        if i >= region_01 or i < 3 or rng.random() < 0.75:
            rows.append(_unit_row(gen, entry, first=(i == 0)))
    fields = (
        "hsa_id",
        "name",
        "care_type",
        "region",
        "active",
        "first_activated_at",
        "deactivated_at",
        "other_service",
        "prioritized",
        "street",
        "postal_code",
        "city",
        "phone",
        "email",
        "info",
        "search_text",
        "sort_name",
        "hsa_name",
    )
    bulk_write(Unit, fields, [tuple(r[f] for f in fields) for r in rows])
    ids = dict(Unit.select(Unit.hsa_id, Unit.id).tuples())
    return [
        _Unit(
            id=ids[r["hsa_id"]],
            hsa_id=r["hsa_id"],
            region=r["region"],
            care_type=r["care_type"],
            active=r["active"],
            since=r["first_activated_at"],
            until=r["deactivated_at"] or 2**62,
            weight=rng.uniform(0.3, 3.0),
        )
        for r in rows
    ]


def _unit_row(gen: _Gen, entry: dict, first: bool) -> dict:
    rng = gen.rng
    if first or rng.random() < 0.7:  # connected before the window: has cases all along
        since = gen.moment(gen.anchor - 6 * 365 * DAY, gen.window_start)
    else:
        since = gen.moment(gen.window_start, gen.anchor - 14 * DAY)
    active = first or entry["region"] != "01" or rng.random() > 0.1
    until = (
        None if active else gen.moment(min(since + 60 * DAY, gen.anchor - DAY), gen.anchor - DAY)
    )
    row = dict(
        entry,
        active=active,
        first_activated_at=since,
        deactivated_at=until,
        other_service=entry["care_type"] == "Ungdomsmottagning" and rng.random() < 0.5,
        prioritized=rng.random() < 0.1,
        email=f"{_slug(entry['name'])}@regionstockholm.se",
        hsa_name=entry["name"],
    )
    unit = Unit(**{k: v for k, v in row.items() if k != "region"})
    unit.refresh_search_text()
    row["search_text"], row["sort_name"] = unit.search_text, unit.sort_name
    return row


# ---------------------------------------------------------------------------- people


def _person(
    gen: _Gen,
    role: str,
    region: str = "01",
    given: str | None = None,
    surname: str | None = None,
    coordination: bool = False,
) -> dict:
    rng = gen.rng
    first = given or rng.choice(GIVEN)
    second = "" if given else rng.choice(SECOND)
    last = surname or rng.choice(SURNAMES)
    given_names = f"{first} {second}".strip()
    domain = "regionstockholm.se" if region == "01" else "skane.se"
    return dict(
        personnummer=gen.pnr(coordination or rng.random() < 0.04),
        given_names=given_names,
        preferred_name=first if second else "",
        surname=last,
        title=rng.choice(TITLES_BY_ROLE.get(role, ["Systemförvaltare"])),
        email=f"{_slug(first)}.{_slug(last)}@{domain}",
        mobile=f"+467{rng.choice('0236')}{rng.randint(1000000, 9999999)}",
        region=region,
    )


@dataclass
class _People:
    persons: list[dict] = field(default_factory=list)
    accounts: list[dict] = field(default_factory=list)
    grants: list[tuple[int, str, str]] = field(default_factory=list)  # (person idx, unit, role)
    operator: int = 0
    region_admins: list[tuple[int, str]] = field(default_factory=list)


def _people(gen: _Gen) -> _People:
    """Staff of every connected unit, three landstingsadministratörer of 01 (the OS user
    first) and one of Skåne, plus a few directory persons without an account."""
    rng, out = gen.rng, _People()

    def add(p: dict, account: bool = True, method: str | None = None) -> int:
        out.persons.append(p)
        if account:
            out.accounts.append(
                dict(
                    account_id=f"va-{rng.getrandbits(48):012x}",
                    person=len(out.persons) - 1,
                    login_method=method
                    or rng.choices(["E-tjänstekort", "BankID", "Freja eID+"], [80, 15, 5])[0],
                    region=p["region"],
                    created_at=gen.moment(gen.anchor - 5 * 365 * DAY, gen.anchor - 30 * DAY),
                )
            )
        return len(out.persons) - 1

    out.operator = add(
        _person(gen, LANDSTINGSADMIN, given="Linnea", surname="Ekström"), method="E-tjänstekort"
    )
    out.region_admins = [
        (out.operator, "01"),
        (add(_person(gen, LANDSTINGSADMIN, given="Göran", surname="Åberg")), "01"),
        (
            add(
                _person(
                    gen, LANDSTINGSADMIN, given="Łukasz", surname="Wiśniewski", coordination=True
                )
            ),
            "01",
        ),
        (add(_person(gen, LANDSTINGSADMIN, "12", given="Örjan", surname="Malmström")), "12"),
    ]
    for unit in gen.units:
        region = "01" if unit.hsa_id.startswith("SE2321000016") else "12"
        staff = [
            (ADMIN, rng.randint(1, 2)),
            (ARENDEMOTTAGARE, rng.randint(1, 3)),
            (VARDGIVARE, rng.randint(2, 6)),
        ]
        if not unit.active:
            staff = [(ADMIN, 1)]
        for role, n in staff:
            for k in range(n):
                idx = add(_person(gen, role, region))
                out.grants.append((idx, unit.hsa_id, role))
                if role == ADMIN and k == 0 and unit.active and rng.random() < 0.4:
                    out.grants.append((idx, unit.hsa_id, GRANSKARE))
    # Assignees the reports name: one with a Polish name for the PDF fonts.
    if gen.units and gen.units[0].active:
        idx = add(_person(gen, VARDGIVARE, given="Łucja", surname="Kowalska"))
        out.grants.append((idx, gen.units[0].hsa_id, VARDGIVARE))
    for _ in range(max(3, len(gen.units) // 10)):  # in the directory, no account yet
        add(_person(gen, VARDGIVARE), account=False)
    return out


def _write_people(gen: _Gen, people: _People) -> dict[int, int]:
    """Write persons, accounts and grants; returns person index -> staff account id."""
    pf = (
        "personnummer",
        "given_names",
        "preferred_name",
        "surname",
        "title",
        "email",
        "mobile",
        "region",
    )
    bulk_write(HsaPerson, pf, [tuple(p[f] for f in pf) for p in people.persons])
    person_ids = dict(HsaPerson.select(HsaPerson.personnummer, HsaPerson.id).tuples())
    af = ("account_id", "person", "login_method", "region", "created_at")
    bulk_write(
        StaffAccount,
        af,
        [
            (
                a["account_id"],
                person_ids[people.persons[a["person"]]["personnummer"]],
                a["login_method"],
                a["region"],
                a["created_at"],
            )
            for a in people.accounts
        ],
    )
    by_account = dict(StaffAccount.select(StaffAccount.account_id, StaffAccount.id).tuples())
    account_of = {a["person"]: by_account[a["account_id"]] for a in people.accounts}
    operator = account_of[people.operator]
    units = {u.hsa_id: u for u in gen.units}
    gf = ("account", "unit", "region", "role", "granted_by", "granted_at")
    rows = [
        (account_of[p], None, region, LANDSTINGSADMIN, None, gen.anchor - 400 * DAY - i * 7 * DAY)
        for i, (p, region) in enumerate(people.region_admins)
    ]
    for person, hsa_id, role in people.grants:
        unit = units[hsa_id]
        rows.append(
            (
                account_of[person],
                unit.id,
                None,
                role,
                operator,
                gen.moment(unit.since, min(unit.until, gen.anchor)),
            )
        )
        if role in (ARENDEMOTTAGARE, VARDGIVARE, ADMIN):
            unit.handlers.append(account_of[person])
    bulk_write(Grant, gf, rows)
    return account_of


# ---------------------------------------------------------------------------- case types


def _case_types(gen: _Gen) -> None:
    """Own and integration types, and each unit's selection (some inactive)."""
    rng = gen.rng
    for position, name in enumerate(OWN_TYPES, start=101):
        CaseType.create(
            kind=KIND_OWN,
            name=name,
            position=position,
            description="Mottagningens egen ärendetyp.",
            terms_text="Ärendet besvaras inom fem arbetsdagar.",
        )
    for position, name in enumerate(INTEGRATION_TYPES, start=201):
        CaseType.create(
            kind=KIND_INTEGRATION,
            name=name,
            position=position,
            description="Ärendetyp som kopplas till ett annat system.",
        )
    ids = {
        (k, n): i for i, k, n in CaseType.select(CaseType.id, CaseType.kind, CaseType.name).tuples()
    }
    rows = []
    for unit in gen.units:
        names = [(KIND_STANDARD, n) for n in COMMON_STANDARD if rng.random() < 0.7]
        names += [(KIND_STANDARD, n) for n in STANDARD_BY_CARE.get(unit.care_type, [])]
        if rng.random() < 0.3:
            names += [(KIND_OWN, n) for n in rng.sample(OWN_TYPES, rng.randint(1, 2))]
        if rng.random() < 0.2:
            names.append((KIND_INTEGRATION, rng.choice(INTEGRATION_TYPES)))
        if not names:
            names = [(KIND_STANDARD, "Kontakta mig")]
        weight = 0.0
        for key in dict.fromkeys(names):
            active = unit.active and rng.random() < 0.88
            terms = (
                "Svar inom två arbetsdagar. Akuta ärenden: ring 112." if rng.random() < 0.1 else ""
            )
            rows.append((unit.id, ids[key], active, terms))
            unit.types.append(ids[key])
            weight += (1.0 if active or not unit.active else 0.15) * rng.uniform(0.5, 2.0)
            unit.type_cum.append(weight)
    bulk_write(UnitCaseType, ("unit", "case_type", "active", "terms_text"), rows)


# ---------------------------------------------------------------------------- cases


def _day_counts(gen: _Gen, total: int) -> Iterator[tuple[date, int, int, int]]:
    """(day, its start and end epoch, number of events) across the window: weekdays busier, slow
    growth over time, and the counts add up to exactly `total`."""
    days = [gen.today - timedelta(days=WINDOW_DAYS - i) for i in range(WINDOW_DAYS)]
    weights = [
        (1.0 if d.weekday() < 5 else 0.3) * (0.8 + 0.4 * i / WINDOW_DAYS)
        for i, d in enumerate(days)
    ]
    cum, whole, done = 0.0, sum(weights), 0
    for day, weight in zip(days, weights, strict=True):
        cum += weight
        upto = round(total * cum / whole)
        start, end = period_epochs(day, day)
        yield day, start, end, upto - done
        done = upto


HOUR_STARTS = [hour * HOUR for hour in range(24)]


def _slots(items: list, cum: list[float] | list[int]) -> list:
    """The items spread over 65,536 equal slots by their cumulative weights: 16 random
    bits pick one (weights rounded to 1/65,536, plenty for demo data)."""
    out: list = []
    for item, upto in zip(items, cum, strict=True):
        out.extend([item] * (round(upto / cum[-1] * 65536) - len(out)))
    return out


def _bits(gen: _Gen, width: int, n: int) -> memoryview:
    """`n` random integers of 16 or 32 bits from one call: a call per value was most of
    the demo's time."""
    size = width // 8
    return memoryview(gen.rng.getrandbits(width * n).to_bytes(size * n, sys.byteorder)).cast(
        "H" if size == 2 else "I"
    )


HOUR_SLOTS = _slots(HOUR_STARTS, HOURS_CUM)


def _times_in_day(gen: _Gen, start: int, end: int, n: int) -> list[int]:
    """`n` moments of one day, sorted, busier by day as HOUR_WEIGHTS says; drawn without
    a Python statement per value."""
    hours = map(HOUR_SLOTS.__getitem__, _bits(gen, 16, n))
    seconds = map(operator.mod, _bits(gen, 32, n), repeat(HOUR))
    times = list(map(start.__add__, sorted(map(operator.add, hours, seconds))))
    if end - start < 24 * HOUR:  # the 23-hour day when summer time starts
        times = sorted([t - HOUR if t >= end else t for t in times])
    return times


def _lifecycles(gen: _Gen, received: list[int]) -> list[list[int | None]]:
    """assigned, started, answered, closed of each case: mostly the full path, some
    shortcuts, some late, the young ones often still open; nothing after the anchor.

    One loop with the random source bound locally (exponential times from random()):
    two million cases are drawn in seconds."""
    random, log, anchor = gen.rng.random, math.log, gen.anchor
    month_old, ten_days_old = anchor - 30 * DAY, anchor - 10 * DAY
    out: list[list[int | None]] = []
    for at in received:
        slow = 12.0 if random() < 0.05 else 1.0  # closed late: beyond ten days
        assigned = at + int(-log(1.0 - random()) * 5 * HOUR * slow) + 60
        started = assigned + int(-log(1.0 - random()) * 10 * HOUR * slow) + 60
        answered = started + int(-log(1.0 - random()) * 16 * HOUR * slow) + 60
        closed = answered + 60 + int(random() * (2 * HOUR - 60))
        shape = random()
        steps: list[int | None]
        if shape < 0.06:  # closed by the ärendemottagare without handing it on
            steps = [None, None, assigned, assigned + 120]
        elif shape < 0.10:  # answered and closed without a recorded start
            steps = [assigned, None, answered, closed]
        elif shape < 0.12:  # closed without an answer
            steps = [assigned, started, None, closed]
        else:
            steps = [assigned, started, answered, closed]
        stay_open = 0.015 if at < month_old else 0.05 if at < ten_days_old else 0.35
        if random() < stay_open:
            cut = int(random() * 4)  # open after 0..3 steps
            steps[cut:] = [None] * (4 - cut)
        for i, value in enumerate(steps):
            if value is not None and value >= anchor:
                steps[i:] = [None] * (4 - i)
                break
        out.append(steps)
    return out


def _unit_types(units: list[_Unit]) -> tuple[list[tuple[_Unit, int]], list[float]]:
    """Every (unit, case type) with cumulative weights: the unit's weight times the type's
    share of it."""
    pairs, weights = [], []
    for unit in units:
        before = 0.0
        for case_type, upto in zip(unit.types, unit.type_cum, strict=True):
            pairs.append((unit, case_type))
            weights.append(unit.weight * (upto - before) / unit.type_cum[-1])
            before = upto
    return pairs, list(accumulate(weights))


def _draw_unit_types(
    gen: _Gen, table: tuple[list[tuple[_Unit, int]], list[float]], start: int, end: int, n: int
) -> list[tuple[_Unit, int]]:
    """`n` (unit, case type) of one day from the units open all of it: drawn in bulk from
    every unit and drawn again where the unit was closed (the first unit, connected
    before the window and always active, after ten rounds)."""
    pairs, cum = table
    picks = gen.rng.choices(pairs, cum_weights=cum, k=n)
    for _ in range(10):
        closed = [i for i, (u, _t) in enumerate(picks) if not u.since <= start < end <= u.until]
        if not closed:
            return picks
        for i, pick in zip(
            closed, gen.rng.choices(pairs, cum_weights=cum, k=len(closed)), strict=True
        ):
            picks[i] = pick
    first = next(p for p in pairs if p[0] is pairs[0][0])
    return [p if p[0].since <= start < end <= p[0].until else first for p in picks]


def _cases(gen: _Gen, total: int) -> int:
    units = [u for u in gen.units if u.types]
    # The region too: on PostgreSQL a trigger would otherwise look it up for every case.
    fields = (
        "id",
        "unit",
        "case_type",
        "received_at",
        "assigned_at",
        "started_at",
        "answered_at",
        "closed_at",
        "assignee",
        "region",
    )
    # The table is empty: its indexes and foreign keys are built once after the load.
    restore = begin_empty_load("case")
    table = _unit_types(units)
    random = gen.rng.random
    case_id = 0
    with bulk_stream(Case, fields) as write:
        for _day, start, end, n in _day_counts(gen, total):
            if not n:
                continue
            # Sorted within the day too, so case ids grow with the time received.
            received = _times_in_day(gen, start, end, n)
            picks = _draw_unit_types(gen, table, start, end, n)
            batch = []
            for at, (unit, case_type), steps in zip(
                received, picks, _lifecycles(gen, received), strict=True
            ):
                handlers = unit.handlers
                assignee = (
                    handlers[int(random() * len(handlers))]
                    if steps[0] is not None and handlers
                    else None
                )
                case_id += 1
                batch.append((case_id, unit.id, case_type, at, *steps, assignee, unit.region))
            write(batch)
            gen.report("ärenden", case_id, total)
    if restore is not None:
        restore()
    case_summary.rebuild()  # the year reports' summaries, set-based, in this transaction
    gen.report("ärenden", case_id, total)
    return case_id


# ---------------------------------------------------------------------------- accounts, logins


def _weighted_regions() -> tuple[list[str], list[int]]:
    codes = [code for code, _, _ in REGIONS]
    return codes, list(accumulate(REGION_WEIGHTS[c] for c in codes))


def _citizens(gen: _Gen, total: int) -> int:
    codes, cum = _weighted_regions()
    rng, batch = gen.rng, []
    fields = ("account_id", "personnummer", "region", "created_at")
    with bulk_stream(CitizenAccount, fields) as write:
        for i in range(1, total + 1):
            region = None if rng.random() < 0.04 else codes[bisect(cum, rng.randrange(cum[-1]))]
            born = (1930, 2008)
            batch.append(
                (
                    f"inv-{i:08d}",
                    gen.pnr(rng.random() < 0.02, born),
                    region,
                    gen.moment(gen.anchor - ACCOUNT_YEARS * 365 * DAY, gen.anchor),
                )
            )
            if len(batch) >= BATCH:
                write(batch)
                batch.clear()
                gen.report("invånarkonton", i, total)
        write(batch)
    gen.report("invånarkonton", total, total)
    return total


LoginShape = tuple[str, str, bool, str | None]  # kind, method, success, region


def _login_shapes() -> tuple[list[LoginShape], list[float]]:
    """Every (kind, method, success, region) a login can have and its probability, drawn
    with one random.choices per day: 85 % citizens of the regions by population (BankID
    84 %, Freja eID+ 16 %, 94 % succeed), 15 % staff of 01 (90 %) and 12 (E-tjänstekort
    85 %, BankID 10 %, Freja eID+ 5 %, 97 % succeed); half the failures never established
    who it was, so they have no region."""
    codes, cum = _weighted_regions()
    shares = [(c, (hi - lo) / cum[-1]) for c, lo, hi in zip(codes, [0, *cum], cum, strict=False)]
    people = (
        (CITIZEN, 0.85, [("BankID", 0.84), ("Freja eID+", 0.16)], 0.94, shares),
        (
            STAFF,
            0.15,
            [("E-tjänstekort", 0.85), ("BankID", 0.10), ("Freja eID+", 0.05)],
            0.97,
            [("01", 0.9), ("12", 0.1)],
        ),
    )
    weights: dict[LoginShape, float] = {}
    for kind, p_kind, methods, p_success, regions in people:
        for method, p_method in methods:
            for region, p_region in regions:
                p = p_kind * p_method * p_region
                weights[(kind, method, True, region)] = p * p_success
                weights[(kind, method, False, region)] = p * (1 - p_success) / 2
                unknown = (kind, method, False, None)
                weights[unknown] = weights.get(unknown, 0.0) + p * (1 - p_success) / 2
    shapes = list(weights)
    return shapes, list(accumulate(weights[s] for s in shapes))


def _logins(gen: _Gen, total: int) -> int:
    slots = _slots(*_login_shapes())
    fields = ("at", "kind", "method", "success", "region")
    rollup: dict[RollupKey, list[int]] = {}
    done = 0
    restore = begin_empty_load("login")
    with bulk_stream(Login, fields) as write:
        for day, start, end, n in _day_counts(gen, total):
            if not n:
                continue
            drawn = list(map(slots.__getitem__, _bits(gen, 16, n)))
            # Column by column into rows without a Python loop per row.
            columns = zip(*drawn, strict=True)
            times = _times_in_day(gen, start, end, n)
            write(list(zip(times, *columns, strict=True)))
            # The day is known here: no per-row time-zone conversion for the roll-up.
            for (kind, method, success, region), count in Counter(drawn).items():
                key = (day, region, kind, method)
                rollup.setdefault(key, [0, 0])[0 if success else 1] += count
            done += n
            gen.report("inloggningar", done, total)
    if restore is not None:
        restore()
    add_to_login_rollup(rollup)
    gen.report("inloggningar", done, total)
    return done


# ---------------------------------------------------------------------------- entry point


def database_has_units() -> bool:
    return Unit.select().exists() or HsaUnit.select().exists()


def generate_demo(
    *,
    seed: int = 1,
    units: int = 60,
    cases: int = 5000,
    logins: int = 20000,
    today: date | None = None,
    login_name: str | None = None,
    if_empty: bool = False,
    progress: DemoProgress | None = None,
) -> DemoResult:
    """Fill an empty store with a demo Region Stockholm; one transaction, one audit event.

    The OS user (or `login_name`) becomes landstingsadministratör of 01. With `if_empty`
    a store that already has units is left alone; without it such a store is refused.
    """
    if units < 5:
        raise ValidationError("Demodata behöver minst 5 mottagningar (--units).", "units")
    if cases < 0 or logins < 0:
        raise ValidationError("Antalet ärenden och inloggningar kan inte vara negativt.")
    login = (login_name or current_login()).strip()
    day = today or stockholm_today()
    latest = stockholm_today() + timedelta(days=1)
    if not EARLIEST_TODAY <= day <= latest:
        raise ValidationError(
            f"Demodagen ska ligga mellan {EARLIEST_TODAY.isoformat()} och "
            f"{latest.isoformat()}: demodata går {ACCOUNT_YEARS} år bakåt, "
            "och tidpunkter före 2000 eller i framtiden går inte att "
            "importera igen.",
            "today",
        )
    with transaction():
        if database_has_units():
            if if_empty:
                return DemoResult(skipped=True, operator_login=login)
            raise Conflict(
                "Databasen har redan mottagningar; demodata läggs bara i en tom "
                "databas (med --if-empty hoppas steget över)."
            )
        gen = _Gen(seed, day, progress)
        directory = _directory(gen, units)
        _write_directory(directory)
        gen.units = _connect_units(gen, directory, units)
        people = _people(gen)
        _write_people(gen, people)
        _case_types(gen)
        gen.report("mottagningar", units, units)
        made_cases = _cases(gen, cases)
        citizens = _citizens(gen, max(200, cases // 4))
        made_logins = _logins(gen, logins)
        link_operator(
            login,
            people.persons[people.operator]["personnummer"],
            "01",
            system_owner=current_login(),
        )
        result = DemoResult(
            skipped=False,
            directory_units=len(directory),
            connected_units=len(gen.units),
            persons=len(people.persons),
            cases=made_cases,
            citizen_accounts=citizens,
            logins=made_logins,
            operator_login=login,
        )
        audit.record(
            actor_id=None,
            actor_name=f"systemägare {current_login()}",
            region_code="01",
            action="demo",
            target=f"seed {seed}",
            after={
                "seed": seed,
                "today": day.isoformat(),
                "units": units,
                "cases": made_cases,
                "logins": made_logins,
                "citizen_accounts": citizens,
                "operator": login,
            },
        )
    refresh_statistics()
    return result
