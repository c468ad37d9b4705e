"""Provider HTTP calls and how their failures map onto the exit codes."""

import email.utils
import json
import math
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException

from . import cli


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    def json(self, what: str):
        try:
            return json.loads(self.body)
        except ValueError:
            raise cli.StepError(f"{what}: the answer is not JSON: {self.body[:200]!r}")


def send(method: str, url: str, what: str, *, headers: dict | None = None, json_body=None,
         timeout: float = 120) -> Response:
    """One request; answers of every status come back, unreachable servers and timeouts raise (75)."""
    data = None
    headers = dict(headers or {})
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())
    except (urllib.error.URLError, TimeoutError, ConnectionError, HTTPException) as e:
        reason = getattr(e, "reason", None) or e
        raise cli.transient(f"{what}: no answer from {urllib.parse.urlsplit(url).netloc}: {reason}")


DEFAULT_RETRY_AFTER_SECONDS = 5


def check(response: Response, what: str) -> Response:
    if 200 <= response.status < 300:
        return response
    raise error_for(response.status, what, provider_message(response.body),
                    retry_after_seconds(response.headers.get("retry-after")))


def error_for(status: int, what: str, message: str, retry_after: int | None = None) -> cli.StepError:
    """408, 429 and 5xx are transient, 402 (no balance) and other 4xx permanent, anything else a failure.

    A 429 always says when to come back (the pipeline then holds the whole provider that long): the
    provider's Retry-After, or a few seconds when it gave none."""
    text = f"{what}: HTTP {status}" + (f": {message}" if message else "")
    if status == 429 and retry_after is None:
        retry_after = DEFAULT_RETRY_AFTER_SECONDS
    if status in (408, 429) or 500 <= status < 600:
        return cli.transient(text, retry_after)
    if status == 402:
        return cli.bad_input(f"{text} (no balance left with the provider)")
    if 400 <= status < 500:
        return cli.bad_input(text)
    return cli.StepError(text)


def provider_message(body: bytes) -> str:
    """The human part of a provider's error body, short."""
    try:
        doc = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace").strip()
    for path in (("error", "message"), ("detail", "message"), ("msg",), ("message",), ("detail",), ("error",)):
        value = doc
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and value:
            return value[:300]
    return json.dumps(doc)[:300]


def retry_after_seconds(value: str | None) -> int | None:
    """Retry-After as seconds (it may be a number of seconds or an HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0, math.ceil(float(value)))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, math.ceil(when.timestamp() - time.time()))
