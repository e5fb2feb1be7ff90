"""Test hotkeys that sign requests the way oro-sdk does: sr25519 over "{hotkey}:{timestamp}:{nonce}" (the
py-sr25519-bindings package), with SS58 addresses (prefix 42) computed here."""

from __future__ import annotations

import hashlib
import os
import time
import uuid

import sr25519

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n > 0:
        n, r = divmod(n, 58)
        out = ALPHABET[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def ss58(public: bytes, prefix: int = 42) -> str:
    body = bytes([prefix]) + public
    check = hashlib.blake2b(b"SS58PRE" + body, digest_size=64).digest()[:2]
    return b58encode(body + check)


class Hotkey:
    """An sr25519 keypair from a 32-byte seed (hex), with its SS58 address."""

    def __init__(self, seed_hex: str | None = None):
        self.seed_hex = seed_hex or os.urandom(32).hex()
        self.public, self.secret = sr25519.pair_from_seed(bytes.fromhex(self.seed_hex))
        self.address = ss58(self.public)

    def headers(self) -> dict[str, str]:
        """The four signed headers for now, with a fresh nonce."""
        timestamp = str(int(time.time()))
        nonce = uuid.uuid4().hex
        message = f"{self.address}:{timestamp}:{nonce}".encode()
        signature = sr25519.sign((self.public, self.secret), message)
        return {"X-Hotkey": self.address, "X-Timestamp": timestamp, "X-Nonce": nonce, "X-Signature": "0x" + signature.hex()}
