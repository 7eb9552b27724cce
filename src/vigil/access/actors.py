"""The actor behind every call: one user (or machine token) of one member with one role."""

from __future__ import annotations

from dataclasses import dataclass, field

from vigil.access.roles import Role, forbid_unless
from vigil.core.countries import GS


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is calling. ``networks`` are the working groups the actor's member belongs to."""

    user_id: str
    member: str
    role: Role
    name: str
    networks: frozenset[str] = field(default_factory=frozenset)

    @property
    def ref(self) -> str:
        """How audit entries and records name this actor."""
        return f"user:{self.user_id}"

    def require(self, permission: str) -> None:
        """Raise ``Forbidden`` unless the actor's role carries ``permission``."""
        forbid_unless(self.role, permission)


def operator(name: str = "operator") -> Actor:
    """The local operator running CLI administration (account set-up, migrations, loads).

    It acts as the General Secretariat's administrator, and is audited like anyone else.
    """
    return Actor(user_id=f"cli:{name}", member=GS, role=Role.ADMIN, name=name)
