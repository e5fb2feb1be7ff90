"""HTTP client for the sandbox proxy (ORO ``src.agent.proxy_client`` compatible), standard library only.

The proxy is the sandbox's only way out: ``GET /search/find_product``, ``GET /search/view_product_information``
and ``POST /inference/chat/completions`` (OpenAI-compatible). Behaviour matches the ORO client:

- base URL from ``SANDBOX_PROXY_URL`` (default ``http://proxy:80``); timeout 120 s per attempt;
- up to ``max_retries`` (3) attempts in total; after a failed attempt ``n`` (0-based) it sleeps
  ``min(2 * 2**n, 10)`` s, or ``min(5 * 2**n, 10)`` s after an HTTP 429; no sleep after the last attempt;
- only HTTP 200 is success: the parsed JSON body is returned; anything else ends as ``None``
  (a 200 whose body is not JSON also gives ``None``, without retrying);
- ``Authorization: Bearer $CHUTES_ACCESS_TOKEN`` is sent only on ``/inference/`` paths.

If ``REQUEST_LOG_FILE`` is set, a JSONL request log is appended (one ``summary`` entry per call and one
``attempt`` entry per HTTP try). In ShopArena that log is informational only: the trusted call log is
written by the proxy itself, outside the sandbox.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, Union

__all__ = ["ProxyClient", "DEFAULT_MODEL", "DEFAULT_PROXY_URL"]

DEFAULT_PROXY_URL = "http://proxy:80"
DEFAULT_MODEL = "deepseek-ai/DeepSeek-V3.2-TEE"
_LOGGED_RESPONSE_LIMIT = 2000


class ProxyClient:
    """Client of the sandbox proxy with ORO's retry policy. Not thread-safe for its counters only."""

    def __init__(
        self,
        base_url: Optional[str] = None,
        access_token: Optional[str] = None,
        timeout: float = 120.0,
        max_retries: int = 3,
        retry_base: float = 2.0,
        rate_limit_base: float = 5.0,
        max_sleep: float = 10.0,
        sleep: Callable[[float], Any] = time.sleep,
        request_log_file: Optional[str] = None,
        inference_stats_file: Optional[str] = None,
        problem_id: Optional[str] = None,
    ) -> None:
        env = os.environ
        self.base_url = (base_url or env.get("SANDBOX_PROXY_URL") or DEFAULT_PROXY_URL).rstrip("/")
        if access_token is None:
            access_token = env.get("CHUTES_ACCESS_TOKEN") or env.get("INFERENCE_ACCESS_TOKEN") or ""
        self.access_token = access_token
        self.timeout = float(timeout)
        self.max_retries = max(1, int(max_retries))
        self.retry_base = float(retry_base)
        self.rate_limit_base = float(rate_limit_base)
        self.max_sleep = float(max_sleep)
        self._sleep = sleep
        self.request_log_file = request_log_file if request_log_file is not None else env.get("REQUEST_LOG_FILE")
        self.inference_stats_file = (
            inference_stats_file if inference_stats_file is not None else env.get("INFERENCE_STATS_FILE")
        )
        self.problem_id = problem_id if problem_id is not None else _problem_id_from_env()
        self.inference_success = 0
        self.inference_failed = 0
        self.last_status_code: Optional[int] = None
        # An opener without proxy handlers: environment HTTP(S)_PROXY must never reroute sandbox traffic.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # -- generic requests -------------------------------------------------------------------------------

    def get(self, path: str, params: Optional[Dict[str, Any]] = None) -> Any:
        """``GET base_url + path`` with query ``params`` (``None`` values dropped). JSON or ``None``."""
        return self.request("GET", path, params=params)

    def post(self, path: str, json_data: Any = None, params: Optional[Dict[str, Any]] = None) -> Any:
        """``POST`` a JSON body. JSON or ``None``."""
        return self.request("POST", path, params=params, json_data=json_data)

    def request(
        self,
        method: str,
        path: str,
        params: Optional[Dict[str, Any]] = None,
        json_data: Any = None,
    ) -> Any:
        """One logical call with retries; see the module docstring for the policy."""
        if not path.startswith("/"):
            path = "/" + path
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        url = self.base_url + path
        if clean_params:
            url += "?" + urllib.parse.urlencode(clean_params, doseq=True)
        body = None if json_data is None else json.dumps(json_data).encode("utf-8")
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if path.startswith("/inference/") and self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"

        started = time.time()
        status: Optional[int] = None
        raw = b""
        result: Any = None
        for attempt in range(self.max_retries):
            attempt_started = time.time()
            error_class = None
            try:
                status, raw = self._send(method, url, body, headers)
            except Exception as exc:  # network errors, timeouts: retried like a bad status
                status, raw, error_class = None, b"", type(exc).__name__
            self._log_attempt(method, path, attempt, attempt_started, status, error_class)
            if status == 200:
                try:
                    result = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    result = None
                break
            if attempt == self.max_retries - 1:
                break
            self._sleep(self.backoff_delay(attempt, status))

        self.last_status_code = status
        self._log_summary(method, path, started, status, clean_params, json_data, raw, result)
        if path.startswith("/inference/") and method.upper() == "POST":
            if status == 200 and result is not None:
                self.inference_success += 1
            else:
                self.inference_failed += 1
            self._write_inference_stats()
        return result

    def backoff_delay(self, attempt: int, status: Optional[int]) -> float:
        """Seconds to wait after failed attempt ``attempt`` (0-based) that ended with ``status``."""
        base = self.rate_limit_base if status == 429 else self.retry_base
        return min(base * (2 ** attempt), self.max_sleep)

    def _send(self, method: str, url: str, body: Optional[bytes], headers: Dict[str, str]) -> Tuple[int, bytes]:
        req = urllib.request.Request(url, data=body, headers=headers, method=method.upper())
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as err:
            try:
                data = err.read()
            except Exception:
                data = b""
            finally:
                err.close()
            return err.code, data

    # -- tools ------------------------------------------------------------------------------------------

    def find_product(
        self,
        q: str,
        page: Union[int, str] = 1,
        shop_id: Optional[str] = None,
        price: Optional[str] = None,
        sort: Optional[str] = None,
        service: Union[str, Iterable[str], None] = None,
    ) -> Optional[List[Dict[str, Any]]]:
        """Search: up to 10 ``{product_id, shop_id, title, price, service, sold_count}`` or ``None``.

        Empty ``shop_id``/``price`` and ``sort="default"`` are dropped; ``default`` is removed from
        ``service`` (a comma-separated string or a list).
        """
        params: Dict[str, Any] = {"q": q, "page": page}
        if shop_id:
            params["shop_id"] = shop_id
        if price:
            params["price"] = price
        if sort and sort != "default":
            params["sort"] = sort
        if service:
            tokens = service.split(",") if isinstance(service, str) else list(service)
            tokens = [t.strip() for t in tokens if t and t.strip() and t.strip() != "default"]
            if tokens:
                params["service"] = ",".join(tokens)
        return self.get("/search/find_product", params)

    def view_product_information(self, product_ids: Union[str, Iterable[str]]) -> Optional[List[Dict[str, Any]]]:
        """Details ``{product_id, short_description, description, sku_options, attributes}`` per known id."""
        if not isinstance(product_ids, str):
            product_ids = ",".join(str(p) for p in product_ids)
        ids = ",".join(p.strip() for p in product_ids.split(",") if p.strip())
        return self.get("/search/view_product_information", {"product_ids": ids})

    def chat_completion(
        self,
        messages: List[Dict[str, Any]],
        model: Optional[str] = None,
        temperature: float = 0.0,
        **extra: Any,
    ) -> Optional[Dict[str, Any]]:
        """``POST /inference/chat/completions`` (``stream`` is always false). OpenAI JSON or ``None``."""
        body: Dict[str, Any] = {
            "model": model or os.environ.get("SANDBOX_MODEL") or DEFAULT_MODEL,
            "messages": messages,
            "temperature": temperature,
        }
        body.update(extra)
        body["stream"] = False
        return self.post("/inference/chat/completions", body)

    #: ORO-style alias.
    inference = chat_completion

    @staticmethod
    def message_content(completion: Optional[Dict[str, Any]]) -> Tuple[str, str]:
        """``(content, reasoning_content)`` of ``choices[0].message``; empty strings when missing."""
        try:
            message = completion["choices"][0]["message"]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return "", ""
        if not isinstance(message, dict):
            return "", ""
        return str(message.get("content") or ""), str(message.get("reasoning_content") or "")

    # -- informational logs -----------------------------------------------------------------------------

    def _append(self, path: Optional[str], entry: Dict[str, Any]) -> None:
        if not path:
            return
        try:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, default=str) + "\n")
        except OSError:
            pass

    def _log_attempt(self, method, path, attempt, started, status, error_class) -> None:
        if not self.request_log_file:
            return
        entry: Dict[str, Any] = {
            "kind": "attempt",
            "method": method.upper(),
            "path": path,
            "timestamp": int(started * 1000),
            "attempt": attempt,
            "duration_ms": round((time.time() - started) * 1000, 1),
            "status_code": status,
        }
        if error_class:
            entry["error_class"] = error_class
        self._append(self.request_log_file, entry)

    def _log_summary(self, method, path, started, status, params, json_data, raw, result) -> None:
        if not self.request_log_file:
            return
        entry: Dict[str, Any] = {
            "kind": "summary",
            "method": method.upper(),
            "path": path,
            "timestamp": int(started * 1000),
            "duration_ms": round((time.time() - started) * 1000, 1),
            "status_code": status,
            "params": params or None,
        }
        if isinstance(json_data, dict):
            entry["json_data"] = {k: v for k, v in json_data.items() if k != "messages"}
        text = raw.decode("utf-8", "replace") if raw else ""
        entry["response_length"] = len(text)
        if result is not None and len(text) <= _LOGGED_RESPONSE_LIMIT:
            entry["response"] = result
        elif text:
            entry["response_truncated"] = True
        if path.endswith("/find_product") and isinstance(result, list):
            entry["result_product_ids"] = [
                str(item.get("product_id")) for item in result if isinstance(item, dict) and "product_id" in item
            ]
        self._append(self.request_log_file, entry)

    def _write_inference_stats(self) -> None:
        self._append(
            self.inference_stats_file,
            {
                "problem_id": self.problem_id,
                "inference_success": self.inference_success,
                "inference_failed": self.inference_failed,
                "inference_total": self.inference_success + self.inference_failed,
            },
        )


def _problem_id_from_env() -> Optional[str]:
    raw = os.environ.get("PROBLEM_DATA")
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("problem_id") is not None:
        return str(data["problem_id"])
    return None
