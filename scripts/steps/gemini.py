"""Google Gemini generateContent: images (with reference images) and JSON text."""

import base64
import json
import os
import re

from . import cli, http, media

KEY_ENV = "GEMINI_API_KEY"
IMAGE_COST_USD = 0.039
PLAN_COST_USD = 0.001
TIMEOUT_SECONDS = 110  # inside the runner's 120 s image step timeout
# Image outputs that retrying the same prompt will not change.
_REFUSALS = {"SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT", "IMAGE_PROHIBITED_CONTENT", "BLOCKLIST", "SPII",
             "RECITATION", "IMAGE_RECITATION"}
_ASPECT_RATIOS = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"]


def generate_image(prompt: str, images: list[str], width: int, height: int) -> bytes:
    """The image in the first inlineData part of Gemini's answer."""
    parts = [{"text": prompt}] + [_inline(path) for path in images]
    body = {"contents": [{"parts": parts}],
            "generationConfig": {"responseModalities": ["IMAGE"],
                                 "imageConfig": {"aspectRatio": nearest_aspect_ratio(width, height)}}}
    answer = _generate(os.environ.get("GEMINI_IMAGE_MODEL", "gemini-2.5-flash-image"), body)
    candidate = (answer.get("candidates") or [{}])[0]
    for part in (candidate.get("content") or {}).get("parts") or []:
        inline = part.get("inlineData") or part.get("inline_data")
        if inline and inline.get("data"):
            return base64.b64decode(inline["data"])
    reason = candidate.get("finishReason", "")
    if reason in _REFUSALS:
        raise cli.bad_input(f"Gemini refused the image ({reason})")
    raise cli.StepError(f"Gemini answered without an image (finishReason {reason or 'none'}): {_text(candidate)[:200]}")


def generate_json(prompt: str, schema: dict):
    body = {"contents": [{"parts": [{"text": prompt}]}],
            "generationConfig": {"responseMimeType": "application/json", "responseSchema": schema}}
    answer = _generate(os.environ.get("GEMINI_TEXT_MODEL", "gemini-2.5-flash"), body)
    text = _text((answer.get("candidates") or [{}])[0])
    try:
        return json.loads(text)
    except ValueError:
        raise cli.StepError(f"Gemini's answer is not JSON: {text[:200]}")


def nearest_aspect_ratio(width: int, height: int) -> str:
    def ratio(r: str) -> float:
        w, h = r.split(":")
        return int(w) / int(h)
    return min(_ASPECT_RATIOS, key=lambda r: abs(ratio(r) - width / height))


def _inline(path: str) -> dict:
    with open(path, "rb") as f:
        return {"inlineData": {"mimeType": media.image_mime(path), "data": base64.b64encode(f.read()).decode()}}


def _text(candidate: dict) -> str:
    parts = (candidate.get("content") or {}).get("parts") or []
    return "".join(p.get("text", "") for p in parts if not p.get("thought"))


def _generate(model: str, body: dict) -> dict:
    base = os.environ.get("GEMINI_BASE_URL", "https://generativelanguage.googleapis.com").rstrip("/")
    cli.progress(f"gemini: {model} generateContent")
    response = http.send("POST", f"{base}/v1beta/models/{model}:generateContent", "Gemini",
                         headers={"x-goog-api-key": cli.api_key(KEY_ENV)}, json_body=body, timeout=TIMEOUT_SECONDS)
    if response.status == 429 and "retry-after" not in response.headers:
        response.headers["retry-after"] = _retry_delay(response.body)
    answer = http.check(response, "Gemini").json("Gemini")
    block = (answer.get("promptFeedback") or {}).get("blockReason")
    if block:
        raise cli.bad_input(f"Gemini blocked the prompt ({block})")
    return answer


def _retry_delay(body: bytes) -> str | None:
    """Gemini says when to come back in a RetryInfo detail ("retryDelay": "37s") rather than a header."""
    match = re.search(rb'"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"', body)
    return match.group(1).decode() if match else None
