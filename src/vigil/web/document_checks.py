"""Checking travel documents from the workspace: one document (number or MRZ), or a passenger
manifest uploaded as a file. Both are form posts: an MRZ or a manifest never goes in a URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from vigil import settings
from vigil.api.deps import DbDep, reading
from vigil.documents import checks
from vigil.documents.manifests import ManifestRow, read_manifest
from vigil.documents.models import (
    BatchCheck,
    DocumentCheck,
    DocumentQuery,
    PartnerCheck,
    Result,
)
from vigil.documents.mrz import parse_mrz
from vigil.errors import InvalidInput, VigilError, validation_message
from vigil.web.pages import to_login
from vigil.web.session import check_csrf, current
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

_ORDER = {"hit": 0, "possible": 1, "none": 2}


class CheckForm(BaseModel):
    """The check form as typed: a number and issuing state, or a pasted MRZ."""

    csrf_token: str = ""
    number: str = ""
    issuing_state: str = ""
    mrz: str = ""

    def problem(self) -> str | None:
        """What is missing or one too many, as a code the page words in its language."""
        number, state, mrz = (v.strip() for v in (self.number, self.issuing_state, self.mrz))
        if mrz and (number or state):
            return "both"
        if not mrz and not (number and state):
            return "neither"
        return None

    def query(self) -> DocumentQuery:
        if self.mrz.strip():
            return DocumentQuery(mrz=self.mrz.strip())
        return DocumentQuery(number=self.number.strip(), issuing_state=self.issuing_state.strip())


@dataclass(frozen=True, slots=True)
class ManifestResult:
    """One row of the results table."""

    row: int
    number: str
    issuing_state: str
    result: Result
    answer: DocumentCheck | PartnerCheck


@router.get("/documents/check")
def check_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    context = {"session": session, "nav": "documents-check", "form": CheckForm()}
    return render(request, "documents_check.html", context)


@router.post("/documents/check")
def check_document(request: Request, db: DbDep, form: Annotated[CheckForm, Form()]) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    context: dict[str, Any] = {"session": session, "nav": "documents-check", "form": form}
    status = 200
    try:
        check_csrf(session, form.csrf_token)
        context["problem"] = form.problem()
        if context["problem"] is not None:
            return render(request, "documents_check.html", context, status_code=422)
        query = form.query()
        if query.mrz is not None:
            context["parsed"] = parse_mrz(query.mrz)
        answer = checks.check_in_thread(db, actor=session.actor, query=query)
        context.update(answer=answer, partner=isinstance(answer, PartnerCheck))
    except ValidationError as exc:
        context["error"], status = validation_message(exc), 422
    except VigilError as exc:
        context["error"], status = exc.detail, exc.status
    return render(request, "documents_check.html", context, status_code=status)


@router.get("/documents/manifest")
def manifest_page(request: Request, db: DbDep) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    context = {"session": session, "nav": "documents-manifest", "limit": settings.CHECK_BATCH_MAX}
    return render(request, "documents_manifest.html", context)


@router.post("/documents/manifest")
def check_manifest(
    request: Request,
    db: DbDep,
    csrf_token: Annotated[str, Form()] = "",
    manifest: Annotated[UploadFile | None, File()] = None,
) -> Response:
    session = current(request, db)
    if session is None:
        return to_login(request)
    context: dict[str, Any] = {
        "session": session,
        "nav": "documents-manifest",
        "limit": settings.CHECK_BATCH_MAX,
    }
    try:
        check_csrf(session, csrf_token)
        if manifest is None or not manifest.filename:
            raise InvalidInput("Choose a manifest file to upload.")
        context["filename"] = manifest.filename
        rows = read_manifest(manifest.file.read(), manifest.filename)
        with reading(db) as uow:
            batch = checks.check_batch(
                uow, actor=session.actor, queries=[row.query for row in rows]
            )
    except VigilError as exc:
        context.update(error=exc.detail, bad_rows=exc.extra.get("rows", []))
        return render(request, "documents_manifest.html", context, status_code=exc.status)
    partner = any(isinstance(answer, PartnerCheck) for answer in batch.results)
    context.update(batch=batch, results=_results(rows, batch), partner=partner)
    return render(request, "documents_manifest.html", context)


def _results(rows: list[ManifestRow], batch: BatchCheck) -> list[ManifestResult]:
    """The answers beside their rows, hits first, then possible hits, each in file order."""
    results = [_result(row, answer) for row, answer in zip(rows, batch.results, strict=True)]
    return sorted(results, key=lambda r: (_ORDER[r.result], r.row))


def _result(row: ManifestRow, answer: DocumentCheck | PartnerCheck) -> ManifestResult:
    if isinstance(answer, DocumentCheck):
        number, state = answer.number, answer.issuing_state
    else:  # a partner's answer names no document: the row as the file gave it
        number, state = row.query.number or "", (row.query.issuing_state or "").upper()
    return ManifestResult(row.row, number, state, answer.result, answer)
