"""Who is acting: the OS user mapped to a staff account with a LANDSTINGSADMIN grant."""

from __future__ import annotations

import os
import pwd
import uuid
from dataclasses import dataclass

from . import audit, validation
from .db import transaction
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


def os_user() -> str:
    """The OS user running the program: the name of the process's real user id.

    Read from the password database, not from $USER or $LOGNAME (getpass.getuser() trusts
    those, and anyone can set them). REGIONADMIN_USER overrides it on purpose, for tests and
    for support sessions. Neither is a security boundary: whoever runs this program with
    the database credentials can read and write the store directly; the credentials (the
    database URL and its password or peer authentication) are what protect the data. The
    OS user only picks which landstingsadministratör the program acts as and names them in
    the audit log.
    """
    override = os.environ.get("REGIONADMIN_USER", "").strip()
    if override:
        return override
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a user id without a passwd entry (some containers): the number
        return str(uid)


def _region_grant(account: StaffAccount) -> Grant | None:
    return (Grant.select(Grant, Region).join(Region)
            .where((Grant.account == account) & (Grant.role == LANDSTINGSADMIN))
            .order_by(Grant.granted_at).first())


def resolve_operator(login_name: str | None = None) -> Operator:
    """The operator for `login_name` (default: the OS user), or PermissionDenied."""
    login = login_name or os_user()
    account = (StaffAccount.select(StaffAccount, HsaPerson).join(HsaPerson)
               .where(StaffAccount.login_name == login).first())
    if account is None:
        raise PermissionDenied(
            f"Användaren {login} är inte kopplad till något vårdaktörskonto. Be systemägaren "
            f"köra: regionadmin operator link {login} PERSONNUMMER --region KOD"
        )
    grant = _region_grant(account)
    if grant is None:
        raise PermissionDenied(
            f"{account.display_name} ({login}) har inte behörigheten Landstingsadministratör. "
            "Endast systemansvarig kan ge den behörigheten; kontakta supporten."
        )
    return Operator(
        account_id=account.id, login_name=login, name=account.display_name,
        region_code=grant.region.code, region_name=grant.region.name,
        terms_accepted=account.terms_accepted_at is not None,
    )


def authorize(op: Operator) -> str:
    """Check, inside the caller's transaction, that `op` still is landstingsadministratör.

    Returns the region code every read and write of the service is confined to.
    """
    grant = (Grant.select(Grant.region)
             .where((Grant.account == op.account_id) & (Grant.role == LANDSTINGSADMIN)
                    & (Grant.region == op.region_code)).first())
    if grant is None:
        raise PermissionDenied("Du har inte behörigheten Landstingsadministratör i "
                               f"{op.region_name}.")
    return op.region_code


def new_account_id() -> str:
    return f"va-{uuid.uuid4().hex[:12]}"


def link_operator(login_name: str, personnummer: str, region_code: str,
                  system_owner: str | None = None) -> Operator:
    """System owner: make `login_name` the landstingsadministratör `personnummer` in a region.

    Runs with direct database access, so it is not itself checked against a grant; the
    system owner is named in the audit event.
    """
    login = (login_name or "").strip()
    if not login or any(ch.isspace() for ch in login):
        raise ValidationError("Ange ett inloggningsnamn utan mellanslag.", field="login")
    pnr = validation.personnummer(personnummer)
    region = Region.get_or_none(Region.code == (region_code or "").strip())
    if region is None:
        raise ValidationError(f"Regionkoden {region_code} finns inte (01–25).", field="region")
    owner = system_owner or os_user()
    with transaction():
        person = HsaPerson.get_or_none(HsaPerson.personnummer == pnr)
        if person is None:
            raise NotFound(f"Personnumret {validation.format_personnummer(pnr)} finns inte i "
                           "personalkatalogen (HSA).")
        account = StaffAccount.get_or_none(StaffAccount.person == person)
        other = StaffAccount.get_or_none(StaffAccount.login_name == login)
        if other is not None and (account is None or other.id != account.id):
            other.login_name = None
            other.save()
        before = None
        if account is None:
            account = StaffAccount.create(
                account_id=new_account_id(), person=person, login_name=login,
                region=region.code, created_at=now_epoch(),
            )
        else:
            before = {"login_name": account.login_name}
            account.login_name = login
            account.save()
        has_grant = Grant.select().where(
            (Grant.account == account) & (Grant.role == LANDSTINGSADMIN)
            & (Grant.region == region.code)).exists()
        if not has_grant:
            Grant.create(account=account, region=region.code, role=LANDSTINGSADMIN,
                         granted_at=now_epoch())
        audit.record(actor_id=None, actor_name=f"systemägare {owner}", region_code=region.code,
                     action="operator.link", target=pnr, before=before,
                     after={"login_name": login, "role": LANDSTINGSADMIN, "region": region.code})
    return resolve_operator(login)


def accept_terms(op: Operator) -> Operator:
    """Skaffa konto: the operator accepts the terms once; stored and audited."""
    with transaction():
        authorize(op)
        account = StaffAccount.get_by_id(op.account_id)
        if account.terms_accepted_at is None:
            account.terms_accepted_at = now_epoch()
            account.save()
            audit.record(actor_id=op.account_id, actor_name=op.name, region_code=op.region_code,
                         action="terms.accept", target=op.login_name,
                         after={"terms_accepted_at": account.terms_accepted_at,
                                "terms_version": TERMS_VERSION})
    return resolve_operator(op.login_name)
