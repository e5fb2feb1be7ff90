"""HTTP client for the sandbox proxy (ORO ``src.agent.proxy_client`` compatible), standard library only.

The proxy is the sandbox's only way out: ``GET /search/find_product``, ``GET /search/view_product_information``
and ``POST /inference/chat/completions`` (OpenAI-compatible). Behaviour matches the ORO client:

- ``ProxyClient(proxy_url, timeout, max_retries, retry_delay, rate_limit_retry_delay, api_key)``, the same
  parameters in the same order with the same defaults (``DEFAULT_TIMEOUT`` 120 s per attempt,
  ``DEFAULT_MAX_RETRIES`` 3 attempts in total, ``DEFAULT_RETRY_DELAY`` 2 s, ``DEFAULT_RATE_LIMIT_RETRY_DELAY``
  5 s); the base URL defaults to ``SANDBOX_PROXY_URL`` (else ``http://proxy:80``), the key to
  ``CHUTES_ACCESS_TOKEN``;
- after a failed attempt ``n`` (0-based) it sleeps ``min(retry_delay * 2**n, 10)`` s, or
  ``min(rate_limit_retry_delay * 2**n, 10)`` s after an HTTP 429; no sleep after the last attempt; each
  failed attempt logs a warning on the ``src.agent.proxy_client`` logger, as ORO's does;
- only HTTP 200 is success: the parsed JSON body is returned; anything else ends as ``None``;
- ``Authorization: Bearer <api_key>`` is sent only on ``/inference/`` paths;
- ``request_log`` (``RequestLog``, file ``REQUEST_LOG_FILE``) gets one ``attempt`` entry per HTTP try and one
  ``summary`` entry per call; ``inference_stats`` (``InferenceStats``, file ``INFERENCE_STATS_FILE``) gets the
  cumulative success/failure counts after every inference POST.

Differences from ORO, all deliberate: no ``requests`` dependency (``urllib`` with proxy settings from the
environment ignored); a 200 whose body is not JSON gives ``None`` instead of raising; at least one attempt
is made even with ``max_retries=0``; no default stats file (ORO writes ``/app/logs/inference_stats.jsonl``);
ORO's newer tool-nonce helpers (``parse_nonces``, ``dispatch_tool``) are not offered. Extra conveniences:
``find_product``, ``view_product_information``, ``chat_completion`` (alias ``inference``),
``message_content`` and the keyword-only ShopArena options (``sleep``, ``max_sleep``, file names, ...).

In ShopArena both logs are informational only: the trusted call log is written by the proxy itself,
outside the sandbox.
"""

from __future__ import annotations

import _thread
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, Union

__all__ = [
    "ProxyClient",
    "RequestLog",
    "InferenceStats",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_RETRY_DELAY",
    "DEFAULT_RATE_LIMIT_RETRY_DELAY",
    "DEFAULT_MODEL",
    "DEFAULT_PROXY_URL",
]

#: Seconds one HTTP attempt may take.
DEFAULT_TIMEOUT = 120
#: Attempts per call, the first one included.
DEFAULT_MAX_RETRIES = 3
#: Base of the doubling back-off after a failed attempt, in seconds.
DEFAULT_RETRY_DELAY = 2
#: Base of the doubling back-off after an HTTP 429, in seconds.
DEFAULT_RATE_LIMIT_RETRY_DELAY = 5

DEFAULT_PROXY_URL = "http://proxy:80"
DEFAULT_MODEL = "deepseek-ai/DeepSeek-V3.2-TEE"
_MAX_SLEEP = 10.0
_LOGGED_RESPONSE_LIMIT = 2000
_LOGGER_NAME = "src.agent.proxy_client"


def __getattr__(name: str) -> Any:
    # ``logger`` is created on first use: importing ``logging`` costs milliseconds that most agents never
    # need to pay (it is only used when an attempt fails).
    if name == "logger":
        return _logger()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _logger():
    import logging

    return logging.getLogger(_LOGGER_NAME)


def _now_ms() -> int:
    return int(time.time() * 1000)


def _append_line(path: str, entry: Dict[str, Any]) -> None:
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, default=str) + "\n")
    except OSError:
        pass


class RequestLog:
    """Append-only JSONL log of proxy calls; every entry is written at once, so a killed process loses none.

    ``record`` writes a ``summary`` entry for one logical call: ``kind``, ``method``, ``path``, ``timestamp``
    (epoch ms), ``duration_ms``, ``status_code`` (``None`` when every attempt failed), ``params`` (without
    ``None`` values, or ``None``), ``json_data`` (for ``/inference/`` paths everything but ``messages``),
    ``response`` when its JSON is at most 2000 characters (else ``response_truncated: true``),
    ``response_length`` and, for ``find_product`` lists, ``result_product_ids``. ``record_attempt`` writes one
    ``attempt`` entry per HTTP try. Without a file both do nothing. Safe to share between threads.
    """

    def __init__(self, log_file: Optional[str] = None) -> None:
        self._lock = _thread.allocate_lock()
        self._log_file = log_file or None

    @property
    def log_file(self) -> Optional[str]:
        return self._log_file

    def record(
        self,
        method: str,
        path: str,
        params: Optional[Dict[str, Any]] = None,
        json_data: Any = None,
        status_code: Optional[int] = None,
        response_body: Any = None,
        duration_ms: float = 0.0,
        *,
        timestamp: Optional[int] = None,
        response_length: Optional[int] = None,
    ) -> None:
        """Write the summary entry of one call (``timestamp`` defaults to now, ``response_length`` to the
        length of ``response_body`` as JSON)."""
        if not self._log_file:
            return
        entry: Dict[str, Any] = {
            "kind": "summary",
            "method": method.upper(),
            "path": path,
            "timestamp": _now_ms() if timestamp is None else int(timestamp),
            "duration_ms": round(float(duration_ms), 1),
            "status_code": status_code,
        }
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        entry["params"] = clean_params or None
        if isinstance(json_data, dict):
            if "/inference/" in path:
                entry["json_data"] = {k: v for k, v in json_data.items() if k != "messages"}
            else:
                entry["json_data"] = json_data
        text_length = 0
        if response_body is not None:
            text_length = len(json.dumps(response_body, default=str))
        if response_length is None:
            response_length = text_length
        entry["response_length"] = response_length
        if response_body is not None:
            if max(text_length, response_length) <= _LOGGED_RESPONSE_LIMIT:
                entry["response"] = response_body
            else:
                entry["response_truncated"] = True
            if path.endswith("/find_product") and isinstance(response_body, list):
                entry["result_product_ids"] = [
                    str(item["product_id"]) for item in response_body if isinstance(item, dict) and "product_id" in item
                ]
        self._write(entry)

    def record_attempt(
        self,
        method: str,
        path: str,
        attempt: int,
        duration_ms: float,
        status_code: Optional[int] = None,
        error_class: Optional[str] = None,
        *,
        timestamp: Optional[int] = None,
    ) -> None:
        """Write the entry of one HTTP try (``attempt`` is 0-based); a hung try shows as a long ``duration_ms``."""
        if not self._log_file:
            return
        entry: Dict[str, Any] = {
            "kind": "attempt",
            "method": method.upper(),
            "path": path,
            "timestamp": _now_ms() if timestamp is None else int(timestamp),
            "attempt": attempt,
            "duration_ms": round(float(duration_ms), 1),
            "status_code": status_code,
        }
        if error_class:
            entry["error_class"] = error_class
        self._write(entry)

    def _write(self, entry: Dict[str, Any]) -> None:
        with self._lock:
            _append_line(self._log_file, entry)


class InferenceStats:
    """Counts inference calls that succeeded and failed; after each one, appends the running totals
    ``{problem_id, inference_success, inference_failed, inference_total}`` to ``stats_file`` (when set).

    ``problem_id`` defaults to the ``problem_id`` (else ``id``, else ``"unknown"``) of the ``PROBLEM_DATA``
    environment variable, read when an entry is written, as ORO does. Safe to share between threads.
    """

    def __init__(self, stats_file: Optional[str] = None, *, problem_id: Optional[str] = None) -> None:
        self._lock = _thread.allocate_lock()
        self._success = 0
        self._failed = 0
        self._stats_file = stats_file or None
        self._problem_id = problem_id

    @property
    def stats_file(self) -> Optional[str]:
        return self._stats_file

    @property
    def success(self) -> int:
        return self._success

    @property
    def failed(self) -> int:
        return self._failed

    @property
    def total(self) -> int:
        return self._success + self._failed

    def record_success(self) -> None:
        with self._lock:
            self._success += 1
            self._flush()

    def record_failure(self) -> None:
        with self._lock:
            self._failed += 1
            self._flush()

    def _flush(self) -> None:
        if not self._stats_file:
            return
        problem_id = self._problem_id
        if problem_id is None:
            problem = _problem_from_env()
            problem_id = problem.get("problem_id") or problem.get("id", "unknown")
        _append_line(
            self._stats_file,
            {
                "problem_id": str(problem_id),
                "inference_success": self._success,
                "inference_failed": self._failed,
                "inference_total": self._success + self._failed,
            },
        )


class ProxyClient:
    """Client of the sandbox proxy with ORO's signature and retry policy (see the module docstring)."""

    def __init__(
        self,
        proxy_url: Optional[str] = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_delay: float = DEFAULT_RETRY_DELAY,
        rate_limit_retry_delay: float = DEFAULT_RATE_LIMIT_RETRY_DELAY,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        access_token: Optional[str] = None,
        retry_base: Optional[float] = None,
        rate_limit_base: Optional[float] = None,
        max_sleep: float = _MAX_SLEEP,
        sleep: Callable[[float], Any] = time.sleep,
        request_log_file: Optional[str] = None,
        inference_stats_file: Optional[str] = None,
        problem_id: Optional[str] = None,
    ) -> None:
        """``proxy_url``..``api_key`` are ORO's parameters. Keyword-only ShopArena options: ``base_url`` and
        ``access_token`` (other names for ``proxy_url`` / ``api_key``; an explicit ``access_token=""`` means
        no token), ``retry_base`` / ``rate_limit_base`` (for the two delays), ``max_sleep`` (cap of one
        back-off), ``sleep`` (injected in tests), the two log files (default: ``REQUEST_LOG_FILE`` and
        ``INFERENCE_STATS_FILE``; ``""`` turns a log off) and ``problem_id`` (default: from ``PROBLEM_DATA``).
        """
        env = os.environ
        self.proxy_url = proxy_url or base_url or env.get("SANDBOX_PROXY_URL") or DEFAULT_PROXY_URL
        self.timeout = timeout
        self.max_retries = max(1, int(max_retries))
        self.retry_delay = retry_delay if retry_base is None else retry_base
        self.rate_limit_retry_delay = rate_limit_retry_delay if rate_limit_base is None else rate_limit_base
        if access_token is not None:
            self.api_key = access_token or None
        else:
            self.api_key = api_key or env.get("CHUTES_ACCESS_TOKEN") or env.get("INFERENCE_ACCESS_TOKEN") or None
        self.max_sleep = float(max_sleep)
        self._sleep = sleep
        self.problem_id = problem_id if problem_id is not None else _problem_id_from_env()
        stats_file = inference_stats_file if inference_stats_file is not None else env.get("INFERENCE_STATS_FILE")
        self.inference_stats = InferenceStats(stats_file, problem_id=problem_id)
        log_file = request_log_file if request_log_file is not None else env.get("REQUEST_LOG_FILE")
        self.request_log = RequestLog(log_file)
        self.last_status_code: Optional[int] = None
        # An opener without proxy handlers: environment HTTP(S)_PROXY must never reroute sandbox traffic.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # -- ShopArena names of ORO's attributes ------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``proxy_url`` without a trailing slash."""
        return self.proxy_url.rstrip("/")

    @property
    def access_token(self) -> str:
        """``api_key``, or ``""`` when there is none."""
        return self.api_key or ""

    @property
    def retry_base(self) -> float:
        return self.retry_delay

    @property
    def rate_limit_base(self) -> float:
        return self.rate_limit_retry_delay

    @property
    def request_log_file(self) -> Optional[str]:
        return self.request_log.log_file

    @property
    def inference_stats_file(self) -> Optional[str]:
        return self.inference_stats.stats_file

    @property
    def inference_success(self) -> int:
        return self.inference_stats.success

    @property
    def inference_failed(self) -> int:
        return self.inference_stats.failed

    # -- generic requests -------------------------------------------------------------------------------

    def _build_url(self, path: str, params: Optional[Dict[str, Any]] = None) -> str:
        """``base_url + path`` with the query ``params`` (``None`` values dropped), as ORO builds it."""
        url = self.base_url + path
        if params:
            clean = {k: v for k, v in params.items() if v is not None}
            if clean:
                url += "?" + urllib.parse.urlencode(clean, doseq=True)
        return url

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
        method = method.upper()
        if not path.startswith("/"):
            path = "/" + path
        url = self._build_url(path, params)
        body = None if json_data is None else json.dumps(json_data).encode("utf-8")
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if "/inference/" in path and self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"

        started_ms = _now_ms()
        started = time.monotonic()
        status: Optional[int] = None
        raw = b""
        result: Any = None
        for attempt in range(self.max_retries):
            attempt_ms = _now_ms()
            attempt_started = time.monotonic()
            error_class = None
            try:
                status, raw = self._send(method, url, body, headers)
            except Exception as exc:  # network errors, timeouts: retried like a bad status
                status, raw, error_class = None, b"", type(exc).__name__
                self._warn(f"{method} {path} error, retry {attempt + 1}/{self.max_retries}: {exc}")
            self.request_log.record_attempt(method, path, attempt, (time.monotonic() - attempt_started) * 1000,
                                            status_code=status, error_class=error_class, timestamp=attempt_ms)
            if status == 200:
                try:
                    result = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    result = None
                break
            if status is not None:
                what = "rate limited (429)" if status == 429 else f"returned status {status}"
                self._warn(f"{method} {path} {what}, retry {attempt + 1}/{self.max_retries}")
            if attempt == self.max_retries - 1:
                self._warn(f"Failed {method} {path} after {self.max_retries} retries")
                break
            self._sleep(self.backoff_delay(attempt, status))

        self.last_status_code = status
        self.request_log.record(
            method, path, params=params, json_data=json_data, status_code=status, response_body=result,
            duration_ms=(time.monotonic() - started) * 1000, timestamp=started_ms,
            response_length=len(raw) if status == 200 else 0,
        )
        if "/inference/" in path and method == "POST":
            if status == 200 and result is not None:
                self.inference_stats.record_success()
            else:
                self.inference_stats.record_failure()
        return result

    def backoff_delay(self, attempt: int, status: Optional[int]) -> float:
        """Seconds to wait after failed attempt ``attempt`` (0-based) that ended with ``status``."""
        base = self.rate_limit_retry_delay if status == 429 else self.retry_delay
        return min(float(base) * (2 ** attempt), self.max_sleep)

    @staticmethod
    def _warn(message: str) -> None:
        try:
            _logger().warning(message)
        except Exception:  # logging must never break a call
            pass

    def _send(self, method: str, url: str, body: Optional[bytes], headers: Dict[str, str]) -> Tuple[int, bytes]:
        req = urllib.request.Request(url, data=body, headers=headers, method=method)
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

    #: ShopArena alias.
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


def _problem_from_env() -> Dict[str, Any]:
    try:
        data = json.loads(os.environ.get("PROBLEM_DATA") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _problem_id_from_env() -> Optional[str]:
    value = _problem_from_env().get("problem_id")
    return None if value is None else str(value)
