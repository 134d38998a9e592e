"""Peewee models for every entity in DESIGN.md.

Timestamps are integer epoch seconds (UTC): on SQLite they aggregate 1.5-2x faster and take
2.5x less room than text, and the same integers work unchanged on PostgreSQL.
"""

from __future__ import annotations

import peewee as pw

from .db import database
from .text import swedish_key

# Roles (DESIGN.md): LANDSTINGSADMIN has region scope, the others unit scope.
LANDSTINGSADMIN = "LANDSTINGSADMIN"
ADMIN = "ADMIN"
GRANSKARE = "GRANSKARE"
ARENDEMOTTAGARE = "ARENDEMOTTAGARE"
VARDGIVARE = "VARDGIVARE"
ROLES = (LANDSTINGSADMIN, ADMIN, GRANSKARE, ARENDEMOTTAGARE, VARDGIVARE)
ROLE_NAMES = {
    LANDSTINGSADMIN: "Landstingsadministratör",
    ADMIN: "Administratör",
    GRANSKARE: "Granskare",
    ARENDEMOTTAGARE: "Ärendemottagare",
    VARDGIVARE: "Vårdgivare",
}

KIND_STANDARD = "standard"
KIND_OWN = "own"
KIND_INTEGRATION = "integration"
CASE_TYPE_KINDS = (KIND_STANDARD, KIND_OWN, KIND_INTEGRATION)

CITIZEN = "citizen"
STAFF = "staff"
ACCOUNT_KINDS = (CITIZEN, STAFF)


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class Region(BaseModel):
    code = pw.CharField(max_length=2, primary_key=True)
    name = pw.CharField()
    org_number = pw.CharField(max_length=10)


class HsaUnit(BaseModel):
    """An entry of the HSA catalogue (the directory), connected or not."""

    hsa_id = pw.CharField(max_length=31, unique=True)
    name = pw.CharField()
    care_type = pw.CharField(default="")
    region = pw.ForeignKeyField(Region, backref="hsa_units")
    street = pw.CharField(default="")
    postal_code = pw.CharField(default="")
    city = pw.CharField(default="")
    phone = pw.CharField(default="")
    info = pw.TextField(default="")
    # Set when an hsa-units import of the entry's region no longer listed it: the unit is
    # gone from HSA (kept, since connected units refer to it). Cleared when it comes back.
    missing_since = pw.BigIntegerField(null=True)


class HsaPerson(BaseModel):
    """An entry of the region's electronic staff directory (personalkatalog)."""

    personnummer = pw.CharField(max_length=12, unique=True)
    given_names = pw.CharField(default="")
    preferred_name = pw.CharField(default="")
    surname = pw.CharField(default="")
    title = pw.CharField(default="")
    email = pw.CharField(default="")
    mobile = pw.CharField(default="")
    region = pw.ForeignKeyField(Region, null=True)

    @staticmethod
    def first_name_of(own: str | None, preferred: str | None, given: str | None) -> str:
        """The first name shown for a person: the account's own tilltalsnamn (Personliga
        inställningar), else the directory's, else all given names (the manual: "förnamn
        (eventuellt alla förnamn)"). Static for report rows read without a model."""
        return own or preferred or given or ""

    def first_name(self, preferred: str = "") -> str:
        """The first name shown; `preferred` is the account's own tilltalsnamn, if any."""
        return self.first_name_of(preferred, self.preferred_name, self.given_names)

    def shown_name(self, preferred: str = "") -> str:
        """First name and surname, as the person is named on screen and in reports."""
        return f"{self.first_name(preferred)} {self.surname}".strip()

    @property
    def full_name(self) -> str:
        return self.shown_name()


class StaffAccount(BaseModel):
    """A vårdaktörskonto. `login_name` is the OS user that runs this program."""

    account_id = pw.CharField(unique=True)
    person = pw.ForeignKeyField(HsaPerson, unique=True, backref="accounts")
    login_name = pw.CharField(null=True, unique=True)
    login_method = pw.CharField(default="E-tjänstekort")
    region = pw.ForeignKeyField(Region, null=True)
    created_at = pw.BigIntegerField()
    terms_accepted_at = pw.BigIntegerField(null=True)
    # Personliga inställningar
    preferred_name = pw.CharField(default="")
    signature = pw.TextField(default="")
    email_notice = pw.BooleanField(default=False)
    notice_email = pw.CharField(default="")
    sms_notice = pw.BooleanField(default=False)
    notice_mobile = pw.CharField(default="")
    journal_notice = pw.BooleanField(default=False)
    case_sorting = pw.BooleanField(default=False)

    @property
    def display_name(self) -> str:
        return self.person.shown_name(self.preferred_name)

    @classmethod
    def public(cls) -> tuple[pw.Field, ...]:
        """The columns anyone of the region may read; the personal settings are the
        account holder's own (on PostgreSQL an administrator's role may not SELECT them)."""
        return (
            cls.id,
            cls.account_id,
            cls.person,
            cls.login_name,
            cls.login_method,
            cls.region,
            cls.created_at,
            cls.terms_accepted_at,
            cls.preferred_name,
        )


class CitizenAccount(BaseModel):
    """An invånarkonto; region is the folkbokföring at the latest login (null: never logged in)."""

    account_id = pw.CharField(unique=True)
    personnummer = pw.CharField(max_length=12, default="")
    region = pw.ForeignKeyField(Region, null=True)
    created_at = pw.BigIntegerField()


class Unit(BaseModel):
    """A vårdmottagning connected to the e-services."""

    hsa_id = pw.CharField(max_length=31, unique=True)
    name = pw.CharField()
    care_type = pw.CharField(default="")
    region = pw.ForeignKeyField(Region, backref="units")
    active = pw.BooleanField(default=True)
    first_activated_at = pw.BigIntegerField()
    deactivated_at = pw.BigIntegerField(null=True)
    other_service = pw.BooleanField(default=False)
    prioritized = pw.BooleanField(default=False)
    street = pw.CharField(default="")
    postal_code = pw.CharField(default="")
    city = pw.CharField(default="")
    phone = pw.CharField(default="")
    email = pw.CharField(default="")
    info = pw.TextField(default="")
    # HSA's name when the unit was (re)activated: the 1177 name may differ on purpose, so
    # only a change of HSA's own name is a deviation (Avvikelser mot HSA).
    hsa_name = pw.CharField(default="", constraints=[pw.SQL("DEFAULT ''")])
    # Lower-cased HSA-id, name, address and info: one LIKE that behaves the same on both
    # backends (SQLite's LIKE folds only ASCII, so "Å" would not find "å").
    search_text = pw.TextField(default="")
    # swedish_key(name): ORDER BY gives Swedish order on both backends (SQLite's LOWER()
    # folds only ASCII and its binary order puts Ä before Å). A DEFAULT in the schema too,
    # so a raw INSERT that does not know the column still works.
    sort_name = pw.CharField(default="", constraints=[pw.SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("region", "active", "name"), False),)

    def refresh_search_text(self) -> None:
        """Recompute search_text and sort_name; call after changing any of their parts."""
        parts = (
            self.hsa_id,
            self.name,
            self.care_type,
            self.street,
            self.postal_code,
            self.city,
            self.phone,
            self.email,
            self.info,
        )
        self.search_text = " ".join(p for p in parts if p).lower()
        self.sort_name = swedish_key(self.name or "")


class Grant(BaseModel):
    """A behörighet: LANDSTINGSADMIN on a region, the other roles on a unit."""

    account = pw.ForeignKeyField(StaffAccount, backref="grants", on_delete="CASCADE")
    unit = pw.ForeignKeyField(Unit, null=True, backref="grants", on_delete="CASCADE")
    region = pw.ForeignKeyField(Region, null=True)
    role = pw.CharField(max_length=20)
    granted_by = pw.ForeignKeyField(
        StaffAccount, null=True, on_delete="SET NULL", backref="granted"
    )
    granted_at = pw.BigIntegerField()

    class Meta:
        # Unique: two administrators granting the same role at once cannot both write it
        # (the loser's transaction becomes a Conflict). LANDSTINGSADMIN grants have no unit;
        # NULLs are distinct in a unique index on both backends, so they are not affected.
        indexes = (
            (("unit", "role", "account"), True),
            (("account", "role"), False),
        )


class CaseType(BaseModel):
    """An ärendetyp: the central bank's standard ones, a unit's own, or an integration."""

    kind = pw.CharField(max_length=12, default=KIND_STANDARD)
    name = pw.CharField()
    description = pw.TextField(default="")
    questions = pw.TextField(default="[]")  # JSON list of question texts
    terms_text = pw.TextField(default="")
    position = pw.IntegerField(default=0)

    class Meta:
        indexes = ((("kind", "name"), True),)


class UnitCaseType(BaseModel):
    unit = pw.ForeignKeyField(Unit, backref="case_types", on_delete="CASCADE")
    case_type = pw.ForeignKeyField(CaseType)
    active = pw.BooleanField(default=True)
    terms_text = pw.TextField(default="")

    class Meta:
        indexes = ((("unit", "case_type"), True),)


class Case(BaseModel):
    """An ärende. Each timestamp is epoch seconds; null while the step has not happened."""

    id = pw.BigIntegerField(primary_key=True)
    unit = pw.ForeignKeyField(Unit, backref="cases", index=False)
    case_type = pw.ForeignKeyField(CaseType, index=False)
    received_at = pw.BigIntegerField()
    assigned_at = pw.BigIntegerField(null=True)
    started_at = pw.BigIntegerField(null=True)
    answered_at = pw.BigIntegerField(null=True)
    closed_at = pw.BigIntegerField(null=True)
    assignee = pw.ForeignKeyField(StaffAccount, null=True, index=False, on_delete="SET NULL")
    # PostgreSQL's row-security key: the unit's region when the case was written (a trigger
    # fills it). A scalar comparison keeps parallel query for the year reports, where a
    # policy joining unit made them twice as slow. Unused (null) on SQLite.
    region = pw.CharField(max_length=2, null=True, column_name="region_id")

    class Meta:
        # Covering indexes for the reports: each filters on one timestamp and groups by
        # unit and case type; single-column timestamp indexes measured slower than a scan.
        indexes = (
            (("received_at", "unit", "case_type", "closed_at"), False),
            (("assigned_at", "unit", "case_type", "closed_at"), False),
            (("started_at", "unit", "case_type"), False),
            (("answered_at", "unit", "case_type"), False),
            (("closed_at", "unit", "case_type"), False),
            (("unit", "closed_at"), False),
        )


class CaseUnitMonth(BaseModel):
    """Per mottagning and local month (yyyymm, Stockholm): cases received, assigned and
    closed in it. Kept by models/case_summary.py in the transaction of every case write."""

    unit = pw.ForeignKeyField(Unit, index=False, on_delete="CASCADE")
    region = pw.CharField(max_length=2, column_name="region_id")  # the row-security key
    month = pw.IntegerField()
    received = pw.IntegerField()
    assigned = pw.IntegerField()
    closed = pw.IntegerField()

    class Meta:
        table_name = "case_unit_month"
        primary_key = False
        indexes = ((("unit", "month"), True), (("region", "month"), False))


class CasePattern(BaseModel):
    """The region's cases grouped by type, local day received and local month (yyyymm) of
    each later step, and whether it was closed late: enough to answer the per-type year
    reports exactly for whole months (models/case_summary.py keeps it)."""

    region = pw.CharField(max_length=2, column_name="region_id")
    case_type = pw.IntegerField(column_name="case_type_id")
    received_day = pw.IntegerField()  # days since 1970-01-01, Stockholm dates
    # 0 where the step has no timestamp: a key column of the unique index (NULLs differ).
    assigned_month = pw.IntegerField()
    started_month = pw.IntegerField()
    answered_month = pw.IntegerField()
    closed_month = pw.IntegerField()
    late = pw.IntegerField()  # not closed, or closed more than 240 hours after received
    cases = pw.IntegerField()
    received_to_assigned = pw.BigIntegerField()  # sums of seconds over the row's cases
    assigned_to_started = pw.BigIntegerField()
    started_to_closed = pw.BigIntegerField()
    received_to_closed = pw.BigIntegerField()

    class Meta:
        table_name = "case_pattern"
        primary_key = False
        indexes = (
            (
                (
                    "region",
                    "case_type",
                    "received_day",
                    "assigned_month",
                    "started_month",
                    "answered_month",
                    "closed_month",
                    "late",
                ),
                True,
            ),
        )


class CaseUnitDay(BaseModel):
    """Per mottagning and local day (days since 1970-01-01, Stockholm): cases received,
    assigned and closed on it. The days of a period's partial edge months (Antal ärenden
    per mottagning); kept like case_unit_month."""

    unit = pw.ForeignKeyField(Unit, index=False, on_delete="CASCADE")
    region = pw.CharField(max_length=2, column_name="region_id")  # the row-security key
    day = pw.IntegerField()
    received = pw.IntegerField()
    assigned = pw.IntegerField()
    closed = pw.IntegerField()

    class Meta:
        table_name = "case_unit_day"
        primary_key = False
        indexes = ((("unit", "day"), True), (("region", "day"), False))


class CaseDayPattern(BaseModel):
    """case_pattern with the exact local day of every step, once under each local month
    (yyyymm) in which the case has a later step: what the per-type reports read for a
    period's partial edge months instead of the raw cases (models/case_summary.py)."""

    region = pw.CharField(max_length=2, column_name="region_id")
    month = pw.IntegerField()
    case_type = pw.IntegerField(column_name="case_type_id")
    received_day = pw.IntegerField()
    # case_summary.NO_DAY where the step has no timestamp (a key column: NULLs differ).
    assigned_day = pw.IntegerField()
    started_day = pw.IntegerField()
    answered_day = pw.IntegerField()
    closed_day = pw.IntegerField()
    late = pw.IntegerField()
    cases = pw.IntegerField()
    received_to_assigned = pw.BigIntegerField()
    assigned_to_started = pw.BigIntegerField()
    started_to_closed = pw.BigIntegerField()
    received_to_closed = pw.BigIntegerField()

    class Meta:
        table_name = "case_day_pattern"
        primary_key = False
        indexes = (
            (
                (
                    "region",
                    "month",
                    "case_type",
                    "received_day",
                    "assigned_day",
                    "started_day",
                    "answered_day",
                    "closed_day",
                    "late",
                ),
                True,
            ),
        )


class Login(BaseModel):
    id = pw.BigAutoField()
    at = pw.BigIntegerField()
    kind = pw.CharField(max_length=8)
    method = pw.CharField(default="")
    success = pw.BooleanField(default=True)
    region = pw.ForeignKeyField(Region, null=True, index=False)

    class Meta:
        indexes = ((("at",), False),)


class LoginDaily(BaseModel):
    """Roll-up of Login per Stockholm calendar day: report time does not grow with raw rows."""

    day = pw.DateField()
    region = pw.ForeignKeyField(Region, null=True, index=False)
    kind = pw.CharField(max_length=8)
    method = pw.CharField(default="")
    succeeded = pw.BigIntegerField(default=0)
    failed = pw.BigIntegerField(default=0)

    class Meta:
        indexes = ((("day", "region", "kind", "method"), True),)


class AuditEvent(BaseModel):
    """Append-only log of every write: who, when, what, on which target, before and after."""

    id = pw.BigAutoField()
    at = pw.BigIntegerField()
    actor = pw.ForeignKeyField(StaffAccount, null=True, on_delete="SET NULL", index=False)
    actor_name = pw.CharField()
    region = pw.ForeignKeyField(Region, null=True, index=False)
    action = pw.CharField(max_length=40)
    target = pw.CharField(default="")
    before = pw.TextField(null=True)
    after = pw.TextField(null=True)
    outcome = pw.CharField(max_length=10, default="ok")
    # Who really acted: the database role of the session (PostgreSQL's session_user) and
    # the OS user where it differs from the account's login name.
    db_role = pw.CharField(default="", constraints=[pw.SQL("DEFAULT ''")])
    os_user = pw.CharField(default="", constraints=[pw.SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("region", "at"), False), (("target",), False))


class SiteOption(BaseModel):
    """Facts of this installation that init must remember (the PostgreSQL group roles)."""

    name = pw.CharField(max_length=40, primary_key=True)
    value = pw.TextField(default="")


class SchemaVersion(BaseModel):
    version = pw.IntegerField()
    applied_at = pw.BigIntegerField()


ALL_MODELS: list[type[BaseModel]] = [
    Region,
    HsaUnit,
    HsaPerson,
    StaffAccount,
    CitizenAccount,
    Unit,
    Grant,
    CaseType,
    UnitCaseType,
    Case,
    CaseUnitMonth,
    CasePattern,
    CaseUnitDay,
    CaseDayPattern,
    Login,
    LoginDaily,
    AuditEvent,
    SiteOption,
    SchemaVersion,
]
