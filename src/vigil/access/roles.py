"""Roles and the permissions each one carries."""

from __future__ import annotations

from enum import StrEnum

from vigil.core.countries import GS
from vigil.errors import Forbidden, InvalidInput


class Role(StrEnum):
    NCB = "ncb"
    FRONTLINE = "frontline"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    PARTNER = "partner"
    ADMIN = "admin"


_ALL = frozenset(Role)

# What each permission allows; services name the permission, never the roles.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "records.read": frozenset({Role.NCB, Role.FRONTLINE, Role.ANALYST}),
    "records.manage": frozenset({Role.NCB}),
    "audit.read": frozenset({Role.NCB, Role.ADMIN}),
    "documents.report": frozenset({Role.NCB}),
    # Partners check too (I-Checkit) but learn only hit or no hit.
    "documents.check": frozenset({Role.NCB, Role.FRONTLINE, Role.ANALYST, Role.PARTNER}),
    "persons.record": frozenset({Role.NCB}),
    # Partners screen too (an NGO checking a name) and learn only hit or no hit.
    "persons.screen": frozenset({Role.NCB, Role.FRONTLINE, Role.ANALYST, Role.PARTNER}),
    # The tables of equivalent name parts every screening reads queries with: one set for the
    # whole installation, kept by its administrators; officers may see what is loaded.
    "persons.equivalents.manage": frozenset({Role.ADMIN}),
    "persons.equivalents.read": frozenset(
        {Role.NCB, Role.FRONTLINE, Role.ANALYST, Role.REVIEWER, Role.ADMIN}
    ),
    # Notices: NCBs request them, the General Secretariat's reviewers decide; officers and
    # analysts read those published to their member.
    "notices.request": frozenset({Role.NCB}),
    "notices.review": frozenset({Role.REVIEWER}),
    "notices.read": frozenset({Role.NCB, Role.FRONTLINE, Role.ANALYST, Role.REVIEWER}),
    # The daily sweep of notices past their review date (an operator, or a GS admin).
    "notices.expire": frozenset({Role.ADMIN}),
    # Bringing in notices another system reviewed and published (migrations, the demo world).
    "notices.migrate": frozenset({Role.ADMIN}),
    # Biometrics: the owner's NCB enrols; officers search; a human examiner (at an NCB, or an
    # analyst) decides on each candidate, and only a confirmed match becomes a hit.
    "biometrics.enrol": frozenset({Role.NCB}),
    "biometrics.search": frozenset({Role.NCB, Role.FRONTLINE, Role.ANALYST}),
    "biometrics.examine": frozenset({Role.NCB, Role.ANALYST}),
    # One check of a traveller against every database; partners learn hit or none.
    "screening.check": frozenset({Role.NCB, Role.FRONTLINE, Role.ANALYST, Role.PARTNER}),
    # Following hits up: the two members' NCBs and officers; analysts read them (false hits).
    "hits.follow": frozenset({Role.NCB, Role.FRONTLINE}),
    "hits.read": frozenset({Role.NCB, Role.FRONTLINE, Role.ANALYST}),
    # A member's own deadlines, and offline packages for its border posts.
    "screening.manage": frozenset({Role.NCB, Role.ADMIN}),
    # The sweep for hits past their deadline (the server's operator).
    "hits.escalate": frozenset({Role.ADMIN}),
    # Networks: NCBs create them, ask to join, and (as moderators) run them; the directory is
    # for every officer to read.
    "networks.manage": frozenset({Role.NCB}),
    "networks.read": frozenset({Role.NCB, Role.FRONTLINE, Role.ANALYST}),
    "messages.send": frozenset({Role.NCB, Role.ANALYST}),
    "messages.read": frozenset({Role.NCB, Role.ANALYST}),
    "intel.publish": frozenset({Role.NCB, Role.ANALYST}),
    "intel.read": frozenset({Role.NCB, Role.FRONTLINE, Role.ANALYST}),
    # Ads and transfers are material for analysis, not for the border: no frontline, no partner.
    "analysis.record": frozenset({Role.NCB}),
    "analysis.read": frozenset({Role.NCB, Role.ANALYST}),
    "users.manage": frozenset({Role.ADMIN}),
    "tokens.own": _ALL,
    "alerts.read": _ALL,
}

# The General Secretariat runs the platform and reviews; it owns no national data.
_GS_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})


def allows(role: Role, permission: str) -> bool:
    """Whether ``role`` carries ``permission``."""
    return role in PERMISSIONS[permission]


def check_role_for_member(member: str, role: Role) -> None:
    """Reviewers belong to the General Secretariat, which has no operational roles."""
    if member == GS and role not in _GS_ROLES:
        raise InvalidInput(f"The General Secretariat has only the roles {sorted(_GS_ROLES)}.")
    if member != GS and role is Role.REVIEWER:
        raise InvalidInput("Reviewers belong to the General Secretariat (GS).")


def parse_role(value: str) -> Role:
    """A role from its name, or a clear error listing the roles."""
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            f"Unknown role {value!r}; roles are {[r.value for r in Role]}."
        ) from None


def forbid_unless(role: Role, permission: str) -> None:
    """Raise ``Forbidden`` when the role lacks the permission."""
    if not allows(role, permission):
        raise Forbidden(f"The {role.value} role may not do this ({permission}).")
