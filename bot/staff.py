"""Staff accounts, their roles, and what each role may do to a case.

PERMISSIONS is the one place that says who may do what: agents work cases; only the DPO decides them
(deny, extend the deadline, close by fulfilling or withdrawing) and exports requesters' personal data.
The console and any other front end ask `can()` / `require()` before acting.
"""
from __future__ import annotations

import secrets
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import settings
from bot.audit import SYSTEM
from bot.models import utcnow
from bot.staff_models import StaffMember

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class Role(str, Enum):
    DPO = "dpo"
    AGENT = "agent"


class Permission(str, Enum):
    WORK_CASES = "work_cases"                # see, claim, assign, note, ask the requester, check documents
    EXTEND = "extend"                        # Art. 12(3) extension, told to the requester
    FULFIL = "fulfil"
    DENY = "deny"
    WITHDRAW = "withdraw"
    EXPORT_PERSONAL_DATA = "export_personal_data"  # requester names and addresses in the CSV export


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.AGENT: frozenset({Permission.WORK_CASES}),
    Role.DPO: frozenset(Permission),
}

WHAT_IT_TAKES = {  # said to staff when they are refused
    Permission.EXTEND: "Only the DPO can extend a deadline.",
    Permission.FULFIL: "Only the DPO can close a case as fulfilled.",
    Permission.DENY: "Only the DPO can deny a request.",
    Permission.WITHDRAW: "Only the DPO can close a case as withdrawn.",
    Permission.EXPORT_PERSONAL_DATA: "Only the DPO can export requesters' personal data.",
    Permission.WORK_CASES: "Your account cannot work cases.",
}


class StaffError(ValueError):
    """An account operation that cannot be done; the message says why and what to do."""


class NotAllowed(PermissionError):
    """The member of staff's role does not allow this action."""


def can(role: str | Role, permission: Permission) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False  # an unknown role (a hand-edited row) may do nothing


def require(role: str | Role, permission: Permission) -> None:
    if not can(role, permission):
        raise NotAllowed(WHAT_IT_TAKES[permission])


def parse_role(value: str | Role) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise StaffError(f"Unknown role {value!r}; use dpo or agent.") from None


def check_name(name: str) -> str:
    """The name the audit trail will carry: printable, at most 100 characters, not the assistant's own."""
    name = (name or "").strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise StaffError("A staff name is 1 to 100 printable characters, for example 'Ana Lopez'.")
    if name.lower() == SYSTEM:
        raise StaffError(f"{SYSTEM!r} is the assistant's own name in the audit trail; choose another.")
    return name


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise StaffError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters; a short sentence works well.")
    if len(password) > 1024:
        raise StaffError("A password can have at most 1024 characters.")


def find(session: Session, name: str) -> StaffMember | None:
    query = select(StaffMember).where(func.lower(StaffMember.name) == (name or "").strip().lower())
    return session.execute(query).scalar_one_or_none()


def add_staff(session: Session, name: str, role: str | Role, password: str) -> StaffMember:
    name, role = check_name(name), parse_role(role)
    check_password(password)
    if find(session, name) is not None:
        raise StaffError(f"There is already a staff member called {name!r} (names stay unique for the audit trail).")
    member = StaffMember(name=name, role=role.value, password_hash=_hasher.hash(password), active=True,
                         created_at=utcnow())
    session.add(member)
    session.flush()
    return member


def check_acting(session: Session, name: str, permission: Permission) -> None:
    """The command line says who acts (--as). Once staff accounts exist, that must be an active one whose role
    allows the action, as in the console: an agent cannot deny a request by typing the DPO's rights."""
    if session.execute(select(func.count(StaffMember.id))).scalar() == 0:
        return  # a desk worked only from the command line has no accounts to check against
    member = find(session, name)
    if member is None or not member.active:
        raise NotAllowed(f"{name!r} is not an active staff account; say who acts with --as NAME "
                         "(`privacy-desk staff list` shows them).")
    require(member.role, permission)


def list_staff(session: Session) -> list[StaffMember]:
    return list(session.execute(select(StaffMember).order_by(StaffMember.name)).scalars())


def active_names(session: Session) -> list[str]:
    return [m.name for m in list_staff(session) if m.active]


def disable_staff(session: Session, name: str) -> StaffMember:
    """Disabled, never deleted: the audit trail keeps naming them. Their console sessions end at once."""
    member = find(session, name)
    if member is None:
        raise StaffError(f"No staff member called {name!r}; `privacy-desk staff list` shows them.")
    if member.active and member.role == Role.DPO.value and _other_active_dpos(session, member) == 0:
        raise StaffError(f"{member.name} is the only active DPO; add another DPO before disabling this account.")
    member.active, member.disabled_at = False, member.disabled_at or utcnow()
    return member


def _other_active_dpos(session: Session, member: StaffMember) -> int:
    query = select(func.count()).select_from(StaffMember).where(
        StaffMember.role == Role.DPO.value, StaffMember.active.is_(True), StaffMember.id != member.id)
    return session.execute(query).scalar_one()


def verify_password(member: StaffMember | None, password: str) -> bool:
    """Constant work whether or not the account exists, so timing does not reveal staff names."""
    try:
        if member is None:
            _hasher.verify(_DUMMY_HASH, password or "")
            return False
        return _hasher.verify(member.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def rehash_if_needed(member: StaffMember, password: str) -> None:
    if _hasher.check_needs_rehash(member.password_hash):
        member.password_hash = _hasher.hash(password)


def ensure_admin(session: Session) -> str | None:
    """First run: when there is no staff at all, create the DPO account from the settings.

    Returns a sentence to print (with the generated password when none was set), or None when staff exist.
    """
    if session.execute(select(func.count()).select_from(StaffMember)).scalar_one():
        return None
    name, password = settings.get("admin_name"), settings.get("admin_password")
    generated = not password
    if generated:
        password = secrets.token_urlsafe(12)
    add_staff(session, name, Role.DPO, password)
    if generated:
        return (f"Created the DPO account {name!r} with password {password} (shown once; change it by adding "
                f"your own account with `privacy-desk staff add` and disabling this one).")
    return f"Created the DPO account {name!r} with the password from PRIVACY_DESK_ADMIN_PASSWORD."


_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
