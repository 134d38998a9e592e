"""Who is acting: the connected identity mapped to a staff account with a LANDSTINGSADMIN grant.

On PostgreSQL the identity is the database session's role (`session_user`): each
administrator connects as their own role and PostgreSQL authenticates them. On SQLite (a
file private to its owner) it is the OS user, which REGIONADMIN_USER may override for tests
and support.
"""

from __future__ import annotations

import os
import pwd
import re
import uuid
from dataclasses import dataclass

from . import audit, validation
from .db import is_postgres, session_role, transaction
from .entities import LANDSTINGSADMIN, Grant, HsaPerson, Region, StaffAccount
from .errors import NotFound, PermissionDenied, ValidationError
from .terms import TERMS_VERSION
from .timeutil import now_epoch


@dataclass(frozen=True)
class Operator:
    """The acting landstingsadministratör, as resolved at start; re-checked on every call."""

    account_id: int
    login_name: str
    name: str
    region_code: str
    region_name: str
    terms_accepted: bool = False


USER_OVERRIDE = "REGIONADMIN_USER"
LOGIN_RULE = "små bokstäver a–z, siffror, punkt, understreck och bindestreck (högst 63 tecken)"
_LOGIN_RE = re.compile(r"^[a-z0-9_][a-z0-9._-]{0,62}$")


def real_os_user() -> str:
    """The name of the process's real user id, from the password database.

    Not from $USER or $LOGNAME (getpass.getuser() trusts those, and anyone can set them).
    """
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a user id without a passwd entry (some containers): the number
        return str(uid)


def os_user() -> str:
    """The OS user, or REGIONADMIN_USER on SQLite (tests and support on one's own file)."""
    override = os.environ.get(USER_OVERRIDE, "").strip()
    return override or real_os_user()


def db_role() -> str:
    """PostgreSQL's session_user (who authenticated), '' on SQLite."""
    return session_role()


def current_login() -> str:
    """Who is connected: the database role on PostgreSQL, the OS user on SQLite.

    REGIONADMIN_USER is refused on PostgreSQL: there the database authenticated the role,
    and an environment variable must not choose someone else.
    """
    if is_postgres():
        if os.environ.get(USER_OVERRIDE, "").strip():
            raise PermissionDenied(
                f"{USER_OVERRIDE} gäller bara en egen SQLite-fil; på PostgreSQL är du den "
                f"databasroll du loggar in som ({db_role()}), så ta bort variabeln."
            )
        return db_role()
    return os_user()


def valid_login(login_name: str) -> str:
    login = (login_name or "").strip()
    if not _LOGIN_RE.match(login):
        raise ValidationError(f"Inloggningsnamnet får bara innehålla {LOGIN_RULE}.", field="login")
    return login


def _region_grant(account: StaffAccount) -> Grant | None:
    return (
        Grant.select(Grant, Region)
        .join(Region)
        .where((Grant.account == account) & (Grant.role == LANDSTINGSADMIN))
        .order_by(Grant.granted_at)
        .first()
    )


def resolve_operator(login_name: str | None = None) -> Operator:
    """The operator for `login_name` (default: who is connected), or PermissionDenied."""
    login = login_name or current_login()
    account = (
        StaffAccount.select(*StaffAccount.public(), HsaPerson)
        .join(HsaPerson)
        .where(StaffAccount.login_name == login)
        .first()
    )
    if account is None:
        raise PermissionDenied(
            f"Användaren {login} är inte kopplad till något vårdaktörskonto. Be systemägaren "
            f"köra: regionadmin operator link {login} PERSONNUMMER --region KOD"
            if _LOGIN_RE.match(login)
            else f"Användaren {login!r} är inte kopplad till något vårdaktörskonto."
        )
    grant = _region_grant(account)
    if grant is None:
        raise PermissionDenied(
            f"{account.display_name} ({login}) har inte behörigheten Landstingsadministratör. "
            "Endast systemansvarig kan ge den behörigheten; kontakta supporten."
        )
    return Operator(
        account_id=account.id,
        login_name=login,
        name=account.display_name,
        region_code=grant.region.code,
        region_name=grant.region.name,
        terms_accepted=account.terms_accepted_at is not None,
    )


def authorize(op: Operator) -> str:
    """Check, inside the caller's transaction, that `op` still is landstingsadministratör.

    Returns the region code every read and write of the service is confined to.
    """
    grant = (
        Grant.select(Grant.region)
        .where(
            (Grant.account == op.account_id)
            & (Grant.role == LANDSTINGSADMIN)
            & (Grant.region == op.region_code)
        )
        .first()
    )
    if grant is None:
        raise PermissionDenied(
            f"Du har inte behörigheten Landstingsadministratör i {op.region_name}."
        )
    return op.region_code


def new_account_id() -> str:
    return f"va-{uuid.uuid4().hex[:12]}"


def link_operator(
    login_name: str, personnummer: str, region_code: str, system_owner: str | None = None
) -> Operator:
    """System owner: make `login_name` the landstingsadministratör `personnummer` in a region.

    Runs with direct database access, so it is not itself checked against a grant: on
    PostgreSQL the database refuses it to anyone outside the system-owner group (the login
    role is made by a function only that group may run, and row-level security refuses an
    administrator's LANDSTINGSADMIN grant). The system owner is named in the audit event.
    """
    login = valid_login(login_name)
    pnr = validation.personnummer(personnummer)
    region = Region.get_or_none(Region.code == (region_code or "").strip())
    if region is None:
        raise ValidationError(f"Regionkoden {region_code} finns inte (01–25).", field="region")
    owner = system_owner or current_login()
    with transaction():
        if is_postgres():
            from . import pgsecurity

            pgsecurity.create_login(login)
        person = HsaPerson.get_or_none(HsaPerson.personnummer == pnr)
        if person is None:
            raise NotFound(
                f"Personnumret {validation.format_personnummer(pnr)} finns inte i "
                "personalkatalogen (HSA)."
            )
        account = StaffAccount.get_or_none(StaffAccount.person == person)
        other = StaffAccount.get_or_none(StaffAccount.login_name == login)
        if other is not None and (account is None or other.id != account.id):
            other.login_name = None
            other.save()
        before = None
        if account is None:
            account = StaffAccount.create(
                account_id=new_account_id(),
                person=person,
                login_name=login,
                region=region.code,
                created_at=now_epoch(),
            )
        else:
            before = {"login_name": account.login_name}
            account.login_name = login
            account.save()
        has_grant = (
            Grant.select()
            .where(
                (Grant.account == account)
                & (Grant.role == LANDSTINGSADMIN)
                & (Grant.region == region.code)
            )
            .exists()
        )
        if not has_grant:
            Grant.create(
                account=account, region=region.code, role=LANDSTINGSADMIN, granted_at=now_epoch()
            )
        audit.record(
            actor_id=None,
            actor_name=f"systemägare {owner}",
            region_code=region.code,
            action="operator.link",
            target=pnr,
            before=before,
            after={"login_name": login, "role": LANDSTINGSADMIN, "region": region.code},
        )
    return resolve_operator(login)


def accept_terms(op: Operator) -> Operator:
    """Skaffa konto: the operator accepts the terms once; stored and audited."""
    with transaction():
        authorize(op)
        account = (
            StaffAccount.select(*StaffAccount.public())
            .where(StaffAccount.id == op.account_id)
            .get()
        )
        if account.terms_accepted_at is None:
            account.terms_accepted_at = now_epoch()
            account.save(only=[StaffAccount.terms_accepted_at])
            audit.record(
                actor_id=op.account_id,
                actor_name=op.name,
                region_code=op.region_code,
                action="terms.accept",
                target=op.login_name,
                after={
                    "terms_accepted_at": account.terms_accepted_at,
                    "terms_version": TERMS_VERSION,
                },
            )
    return resolve_operator(op.login_name)


def unlink_operator(login_name: str, system_owner: str | None = None) -> str:
    """System owner: take the landstingsadministratör role from `login_name`.

    The account keeps its history (audit events, grants on units); its login name and its
    LANDSTINGSADMIN grants go, and on PostgreSQL the role leaves the administrator group.
    Returns the name of the person who was unlinked.
    """
    login = valid_login(login_name)
    owner = system_owner or current_login()
    with transaction():
        account = (
            StaffAccount.select(*StaffAccount.public(), HsaPerson)
            .join(HsaPerson)
            .where(StaffAccount.login_name == login)
            .first()
        )
        if account is None:
            raise NotFound(f"Inloggningsnamnet {login} är inte kopplat till något konto.")
        regions = [
            g.region_id
            for g in Grant.select(Grant.region).where(
                (Grant.account == account) & (Grant.role == LANDSTINGSADMIN)
            )
        ]
        Grant.delete().where((Grant.account == account) & (Grant.role == LANDSTINGSADMIN)).execute()
        StaffAccount.update(login_name=None).where(StaffAccount.id == account.id).execute()
        if is_postgres():
            from . import pgsecurity

            pgsecurity.drop_login(login)
        for region in regions or [account.region_id]:
            audit.record(
                actor_id=None,
                actor_name=f"systemägare {owner}",
                region_code=region,
                action="operator.unlink",
                target=account.person.personnummer,
                before={"login_name": login, "role": LANDSTINGSADMIN, "region": region},
                after={"login_name": None},
            )
    return account.display_name


def require_system_owner(task: str) -> None:
    """On PostgreSQL, `task` (imports, exports, demo data) is the system owner's: say so
    before PostgreSQL refuses half-way, or an export silently holds one region only."""
    if not is_postgres():
        return
    from .pgsecurity import is_system_owner

    if not is_system_owner():
        raise PermissionDenied(
            f"{task} är systemägarens uppgift: din databasroll "
            f"{session_role()} är inte medlem i systemägargruppen."
        )
