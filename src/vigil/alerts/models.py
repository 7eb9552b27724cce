"""Alerts as members see them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class Alert(BaseModel):
    seq: int
    id: str
    member: str
    kind: str
    record_id: str | None
    title: str
    body: dict[str, Any]
    created_at: datetime
    read_at: datetime | None
