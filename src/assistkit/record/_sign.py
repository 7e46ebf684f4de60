"""Ed25519 signatures of entries, through the ``cryptography`` library (the ``record`` extra)."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from ._error import LogError

__all__ = ["Signer", "generate_key", "key_id", "load_public_key", "verify_signature"]


def _crypto() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:
        raise LogError("signing needs the cryptography library: pip install 'assistkit[record]'") from None
    return ed25519


def key_id(public_raw: bytes) -> str:
    """A key's id: the first 16 hex digits of the SHA-256 of its 32 raw public bytes."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


class Signer:
    """A department's Ed25519 private key. ``Signer.load(path)`` reads the PEM (PKCS #8) that
    :func:`generate_key` writes; :attr:`public_key` (64 hex digits) is what others verify with."""

    def __init__(self, private_key: Any) -> None:
        from cryptography.hazmat.primitives import serialization

        self._key = private_key
        raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public_key: str = raw.hex()
        self.key_id: str = key_id(raw)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Signer:
        _crypto()
        from cryptography.hazmat.primitives import serialization

        try:
            with open(path, "rb") as f:
                key = serialization.load_pem_private_key(f.read(), password=None)
        except (OSError, ValueError, TypeError) as exc:
            raise LogError(f"{os.fspath(path)}: cannot read an Ed25519 private key (PEM): {exc}") from None
        if not isinstance(key, _crypto().Ed25519PrivateKey):
            raise LogError(f"{os.fspath(path)}: the key is not an Ed25519 key")
        return cls(key)

    def sign(self, data: bytes) -> str:
        return bytes(self._key.sign(data)).hex()


def generate_key(path: str | os.PathLike[str]) -> Signer:
    """Write a new Ed25519 private key to ``path`` (PEM, readable by its owner only) and return its signer."""
    from cryptography.hazmat.primitives import serialization

    key = _crypto().Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(os.fspath(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    return Signer(key)


def load_public_key(text: str) -> Any:
    """An Ed25519 public key from its 64 hex digits; :class:`LogError` if it is not one."""
    try:
        raw = bytes.fromhex(text.strip())
        return _crypto().Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise LogError(f"not an Ed25519 public key in 64 hex digits: {text!r} ({exc})") from None


def verify_signature(key: Any, signature: str, data: bytes) -> bool:
    """Whether ``signature`` (hex) is ``key``'s signature of ``data``; ``key`` is a public key or its hex."""
    from cryptography.exceptions import InvalidSignature

    if isinstance(key, str):
        key = load_public_key(key)
    try:
        key.verify(bytes.fromhex(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True
