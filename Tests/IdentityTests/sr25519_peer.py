#!/usr/bin/env python3
"""Reference peer for the Swift Identity tests: sr25519 via py-sr25519-bindings (schnorrkel).

Reads one JSON request per line on stdin and writes one JSON answer per line on stdout, so a whole
test runs through a single process. Bytes travel as lower-case hex without prefix.

  {"op": "pair", "seed": hex32}                              -> {"public": hex32, "secret": hex64, "ss58": str}
  {"op": "sign", "seed": hex32, "message": hex}              -> {"signature": hex64}
  {"op": "verify", "public": hex32, "message": hex, "signature": hex64} -> {"ok": bool}
  {"op": "ss58", "public": hex32, "prefix": int}             -> {"address": str}
  {"op": "bench_verify", "items": [[public, message, signature], ...], "rounds": n}
                                                              -> {"verifications": n, "seconds": float, "all_ok": bool}

SS58 is computed here independently of Swift (hashlib.blake2b + base58 written below).
If the package is missing it prints {"fatal": ...} and exits 3.
"""
import hashlib
import json
import sys
import time

try:
    import sr25519
except ImportError:
    print(json.dumps({"fatal": "python module 'sr25519' not found: run `pip install py-sr25519-bindings`"}), flush=True)
    sys.exit(3)

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n > 0:
        n, r = divmod(n, 58)
        out = ALPHABET[r] + out
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + out


def ss58(public: bytes, prefix: int = 42) -> str:
    if prefix < 64:
        head = bytes([prefix])
    else:
        head = bytes([((prefix & 0xFC) >> 2) | 0x40, (prefix >> 8) | ((prefix & 0x03) << 6)])
    body = head + public
    check = hashlib.blake2b(b"SS58PRE" + body, digest_size=64).digest()[:2]
    return b58encode(body + check)


def handle(req: dict) -> dict:
    op = req["op"]
    if op == "pair":
        public, secret = sr25519.pair_from_seed(bytes.fromhex(req["seed"]))
        return {"public": public.hex(), "secret": secret.hex(), "ss58": ss58(public)}
    if op == "sign":
        public, secret = sr25519.pair_from_seed(bytes.fromhex(req["seed"]))
        sig = sr25519.sign((public, secret), bytes.fromhex(req["message"]))
        return {"signature": sig.hex()}
    if op == "verify":
        try:
            ok = sr25519.verify(bytes.fromhex(req["signature"]), bytes.fromhex(req["message"]),
                                bytes.fromhex(req["public"]))
        except Exception:  # malformed input is a failed verification, as for the Swift side
            ok = False
        return {"ok": bool(ok)}
    if op == "ss58":
        return {"address": ss58(bytes.fromhex(req["public"]), int(req.get("prefix", 42)))}
    if op == "bench_verify":
        items = [(bytes.fromhex(s), bytes.fromhex(m), bytes.fromhex(p)) for p, m, s in req["items"]]
        rounds = int(req.get("rounds", 1))
        verify = sr25519.verify
        all_ok = True
        start = time.perf_counter()
        for _ in range(rounds):
            for sig, msg, pub in items:
                if not verify(sig, msg, pub):
                    all_ok = False
        seconds = time.perf_counter() - start
        return {"verifications": rounds * len(items), "seconds": seconds, "all_ok": all_ok}
    raise ValueError(f"unknown op {op!r}")


def main() -> None:
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as exc:  # report, keep serving the other requests
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
