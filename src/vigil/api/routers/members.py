"""The members of the exchange."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from vigil.api.deps import ActorDep
from vigil.core.countries import members as all_members

router = APIRouter(prefix="/api/v1", tags=["members"])


class MemberOut(BaseModel):
    code: str
    name: str
    kind: str


@router.get("/members")
def list_members(actor: ActorDep) -> list[MemberOut]:
    """Every member: INTERPOL's member countries (ISO 3166-1 alpha-3) and GS."""
    return [MemberOut(code=m.code, name=m.name, kind=m.kind) for m in all_members()]
