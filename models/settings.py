"""Personliga inställningar of the operator's own account."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from . import audit, validation
from .db import is_postgres, transaction
from .entities import HsaPerson, StaffAccount
from .errors import PermissionDenied
from .operators import Operator, authorize
from .timeutil import stockholm_today


@dataclass(frozen=True)
class Settings:
    preferred_name: str = ""
    signature: str = ""
    email_notice: bool = False
    email: str = ""  # empty: the directory's address is used
    sms_notice: bool = False
    mobile: str = ""
    journal_notice: bool = False
    case_sorting: bool = False


@dataclass(frozen=True)
class SettingsView:
    settings: Settings
    directory_email: str
    directory_mobile: str
    automatic_signature: str


def automatic_signature(
    person: HsaPerson, preferred_name: str = "", today: date | None = None
) -> str:
    """The manual's automatic signature: greeting, first name(s), surname, title, date.

    The first name is the own tilltalsnamn, else the directory's, else all given names.
    """
    lines = ["Med vänlig hälsning", person.shown_name(preferred_name)]
    if person.title:
        lines.append(person.title)
    lines.append((today or stockholm_today()).isoformat())
    return "\n".join(lines)


def _account(op: Operator) -> StaffAccount:
    """The operator's own account with its settings. On PostgreSQL an administrator's role
    may read no account's settings column: one's own come through ra_own_account()."""
    if is_postgres():
        from .pgsecurity import may_read_settings, own_account

        if not may_read_settings():
            account = own_account()
            if account is None or account.id != op.account_id:
                raise PermissionDenied("Databasrollen är inte kopplad till ditt konto.")
            return account
    return (
        StaffAccount.select(StaffAccount, HsaPerson)
        .join(HsaPerson)
        .where(StaffAccount.id == op.account_id)
        .get()
    )


def _current(account: StaffAccount) -> Settings:
    return Settings(
        preferred_name=account.preferred_name,
        signature=account.signature,
        email_notice=account.email_notice,
        email=account.notice_email,
        sms_notice=account.sms_notice,
        mobile=account.notice_mobile,
        journal_notice=account.journal_notice,
        case_sorting=account.case_sorting,
    )


def get_settings(op: Operator) -> SettingsView:
    authorize(op)
    account = _account(op)
    return SettingsView(
        settings=_current(account),
        directory_email=account.person.email,
        directory_mobile=account.person.mobile,
        automatic_signature=automatic_signature(account.person, account.preferred_name),
    )


def _validated(new: Settings, directory_email: str) -> Settings:
    preferred = validation.plain_text(new.preferred_name, "preferred_name", "Tilltalsnamn", 60)
    signature = validation.plain_text(
        new.signature, "signature", "Signaturen", 1000, multiline=True
    )
    email = new.email.strip()
    if email:
        email = validation.email(email)
    elif new.email_notice and not directory_email:
        validation.email("")  # no address anywhere: say so
    mobile = new.mobile.strip()
    if mobile or new.sms_notice:
        mobile = validation.mobile(mobile)
    return Settings(
        preferred_name=preferred,
        signature=signature,
        email_notice=new.email_notice,
        email=email,
        sms_notice=new.sms_notice,
        mobile=mobile,
        journal_notice=new.journal_notice,
        case_sorting=new.case_sorting,
    )


def save_settings(op: Operator, new: Settings) -> SettingsView:
    """Spara: validate everything first; nothing is written when one field is wrong."""
    with transaction():
        authorize(op)
        account = _account(op)
        clean = _validated(new, account.person.email)
        before = _current(account)
        if clean != before:
            account.preferred_name = clean.preferred_name
            account.signature = clean.signature
            account.email_notice = clean.email_notice
            account.notice_email = clean.email
            account.sms_notice = clean.sms_notice
            account.notice_mobile = clean.mobile
            account.journal_notice = clean.journal_notice
            account.case_sorting = clean.case_sorting
            # Only the settings: on PostgreSQL an administrator may change no other column.
            account.save(
                only=[
                    StaffAccount.preferred_name,
                    StaffAccount.signature,
                    StaffAccount.email_notice,
                    StaffAccount.notice_email,
                    StaffAccount.sms_notice,
                    StaffAccount.notice_mobile,
                    StaffAccount.journal_notice,
                    StaffAccount.case_sorting,
                ]
            )
            audit.record(
                actor_id=op.account_id,
                actor_name=op.name,
                region_code=op.region_code,
                action="settings.save",
                target=op.login_name,
                before=asdict(before),
                after=asdict(clean),
            )
    return get_settings(op)
