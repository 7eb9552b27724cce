"""The offline package file: its layout, its seal, and the keys of this installation.

A package file is ``MAGIC``, a JSON header (id, member, dates, base, kind), a nonce, the
payload compressed and encrypted with AES-256-GCM (the header is its associated data, so it
cannot be altered either), and an Ed25519 signature of all of it by this installation. The
payload is a JSON part (the persons, and where the binary parts lie) followed by the document
reports as sorted columns of bytes (``offline_documents``), which the post reads in place.

Keys: the packages of one chain (a full package and the increments that refresh it) share one
key, derived from this installation's secret and the chain's first package; it is shown once,
when the full package is made, to be carried to the post apart from the file.
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vigil import settings
from vigil.errors import Conflict, InvalidInput
from vigil.screening import offline_documents

MAGIC = b"VIGIL-OFFLINE-2\n"
# Format 1 carried the reports as JSON, which a post could not hold at a national scale.
_FORMER_MAGIC = b"VIGIL-OFFLINE-1\n"
_LARGEST = 2**31 - 1  # what AES-GCM seals in one piece
_SIGNATURE = 64
_NONCE = 12


class Opened(NamedTuple):
    """What a package holds: its header, persons, document reports and, in an increment, the
    ids of the reports that still stand; and the equivalent name parts the installation
    reads names with (``persons.equivalents``), as ``(source, token, other)`` rows."""

    header: dict[str, Any]
    persons: list[dict[str, Any]]
    reports: offline_documents.DocumentTable
    keep: np.ndarray | None
    equivalents: list[tuple[str, str, str]]


def seal(
    header: dict[str, Any],
    people: list[dict[str, Any]],
    reports: offline_documents.DocumentTable,
    keep: np.ndarray | None,
    key: bytes,
    equivalents: Sequence[tuple[str, str, str]] = (),
) -> bytes:
    """The package file: the parts compressed, encrypted with ``key`` and signed.

    Raises:
        Conflict: the payload would exceed what AES-GCM seals in one piece.
    """
    head = json.dumps(header, sort_keys=True).encode()
    layout = {
        "persons": people,
        "documents": reports.layout(),
        "keep": None if keep is None else {"rows": len(keep), "dtype": keep.dtype.str},
        "equivalents": [list(row) for row in equivalents],
    }
    described = json.dumps(layout, separators=(",", ":")).encode()
    packer = zlib.compressobj(6)
    pieces = [packer.compress(struct.pack(">I", len(described)) + described)]
    buffers = list(reports.buffers())
    if keep is not None:
        buffers.append(np.ascontiguousarray(keep).data.cast("B"))
    pieces += [packer.compress(b) for b in buffers]
    pieces.append(packer.flush())
    body = b"".join(pieces)
    del pieces
    if len(body) > _LARGEST:
        raise Conflict("The package would exceed 2 GiB: export it for fewer records.")
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, body, MAGIC + head)
    signed = MAGIC + struct.pack(">I", len(head)) + head + nonce + sealed
    return signed + _signing_key().sign(signed)


def _digest(content: bytes) -> str:
    digest = hashes.Hash(hashes.SHA256())
    digest.update(content)
    return digest.finalize().hex()


def open_sealed(content: bytes, key: bytes, trusted: Ed25519PublicKey) -> Opened:
    """The package's parts, once its signature and its seal are checked.

    Raises:
        Conflict: a former format, altered, signed by another key, or not this key's.
        InvalidInput: not a package.
    """
    if content.startswith(_FORMER_MAGIC):
        raise Conflict("This package was made by an earlier version of Vigil, which a post no "
                       "longer reads: export a new full package.")  # fmt: skip
    if not content.startswith(MAGIC) or len(content) < len(MAGIC) + 4 + _NONCE + _SIGNATURE:
        raise InvalidInput("Not an offline screening package.")
    signed, signature = content[:-_SIGNATURE], content[-_SIGNATURE:]
    try:
        trusted.verify(signature, signed)
    except InvalidSignature:
        raise Conflict("The package's signature fails: it was altered, or signed by another "
                       "installation.") from None  # fmt: skip
    (length,) = struct.unpack(">I", signed[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    head = signed[start : start + length]
    nonce = signed[start + length : start + length + _NONCE]
    try:
        body = AESGCM(key).decrypt(nonce, signed[start + length + _NONCE :], MAGIC + head)
    except (InvalidTag, ValueError):
        raise Conflict("The package does not open with this key (or was altered).") from None
    del signed
    data = zlib.decompress(body)
    del body
    (described,) = struct.unpack(">I", data[:4])
    layout = json.loads(data[4 : 4 + described])
    try:
        reports, offset = offline_documents.DocumentTable.read(
            layout["documents"], data, 4 + described
        )
        keep = None
        if layout["keep"] is not None:
            keep = np.frombuffer(data, dtype=np.dtype(layout["keep"]["dtype"]),
                                 count=int(layout["keep"]["rows"]), offset=offset)  # fmt: skip
    except (ValueError, TypeError, KeyError) as exc:  # signed by us, so a version mismatch
        raise Conflict(
            f"The package's parts are not where this version reads them: {exc}."
        ) from None
    # Packages made before tables of equivalents existed have none.
    equivalents = [(str(a), str(b), str(c)) for a, b, c in layout.get("equivalents", [])]
    return Opened(json.loads(head), layout["persons"], reports, keep, equivalents)


def trusted_signer(signer: bytes | None = None) -> Ed25519PublicKey:
    """The public key a post trusts: ``signer`` (raw 32 bytes), or this installation's own."""
    return Ed25519PublicKey.from_public_bytes(signer or signer_public_key())


def signer_public_key() -> bytes:
    """This installation's public signing key (raw 32 bytes), for border posts to trust."""
    return (
        _signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def digest(content: bytes) -> str:
    found = hashes.Hash(hashes.SHA256())
    found.update(content)
    return found.finalize().hex()


# ---- keys of this installation ----------------------------------------------------------------


def _keys_dir() -> Path:
    folder = settings.DATA_DIR / "keys"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _secret_file(name: str, make: bytes) -> bytes:
    path = _keys_dir() / name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(make)
        return make


def _signing_key() -> Ed25519PrivateKey:
    raw = _secret_file("offline-signing.key", Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    ))  # fmt: skip
    return Ed25519PrivateKey.from_private_bytes(raw)


def chain_key(root_id: str) -> bytes:
    secret = _secret_file("offline-secret", os.urandom(32))
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"vigil-offline:" + root_id.encode()
    ).derive(secret)
