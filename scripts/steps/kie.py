"""Kling image-to-video through KIE.ai: upload the image, create a task, poll it, download the clip."""

import base64
import hashlib
import json
import os
import time

from . import cli, http, media

KEY_ENV = "KIE_API_KEY"
COST_PER_5_SECONDS_USD = 0.13
REQUEST_TIMEOUT_SECONDS = 120
# KIE answers HTTP 200 with its own status in the body's `code`; these two have meanings of their own.
_BODY_CODE_SERVICE_UNAVAILABLE = 455
_BODY_CODE_GENERATION_FAILED = 501


def clip_cost(duration: int) -> float:
    return COST_PER_5_SECONDS_USD * duration / 5


def generate_clip(image: str, prompt: str, duration: int, output: str, download_to: str) -> None:
    """Writes the clip to `download_to`. The task id is kept next to `output` until the task ends, so a
    run that is killed or times out resumes the same paid task instead of starting another."""
    mime = media.image_mime(image)
    with open(image, "rb") as f:
        image_bytes = f.read()
    model = os.environ.get("KIE_MODEL", "kling/v2-5-turbo-image-to-video-pro")
    fingerprint = hashlib.sha256(b"\0".join([image_bytes, prompt.encode(), str(duration).encode(),
                                             model.encode()])).hexdigest()
    pending = _PendingTask(output, fingerprint)
    task_id = pending.load()
    resumed = task_id is not None
    if resumed:
        cli.progress(f"kie: resuming task {task_id}")
    else:
        image_url = _upload(image_bytes, mime, fingerprint)
        task_id = _create_task(model, prompt, image_url, duration)
        pending.save(task_id)
    try:
        result_url = _wait(task_id)
    except cli.StepError as e:
        if e.exit_code == cli.EXIT_TRANSIENT:
            raise
        pending.forget()  # the task is over (failed, or unknown to KIE): the next run starts afresh
        if resumed and e.exit_code == cli.EXIT_BAD_INPUT:
            raise cli.StepError(f"{e} (resumed task {task_id}; the next run creates a new one)")
        raise
    _download(result_url, download_to)
    pending.forget()


class _PendingTask:
    def __init__(self, output: str, fingerprint: str):
        directory, name = os.path.split(os.path.abspath(output))
        self.path = os.path.join(directory, f".{name}.kie-task.json")
        self.fingerprint = fingerprint

    def load(self) -> str | None:
        try:
            with open(self.path) as f:
                saved = json.load(f)
        except (OSError, ValueError):
            return None
        return saved.get("taskId") if saved.get("fingerprint") == self.fingerprint else None

    def save(self, task_id: str) -> None:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with open(self.path, "w") as f:
            json.dump({"taskId": task_id, "fingerprint": self.fingerprint}, f)

    def forget(self) -> None:
        if os.path.exists(self.path):
            os.remove(self.path)


def _upload(image_bytes: bytes, mime: str, fingerprint: str) -> str:
    """KIE needs the image at a URL: its own file upload gives one."""
    base = os.environ.get("KIE_UPLOAD_BASE_URL", "https://kieai.redpandaai.co").rstrip("/")
    body = {"base64Data": f"data:{mime};base64,{base64.b64encode(image_bytes).decode()}",
            "uploadPath": "pipeline", "fileName": f"{fingerprint[:24]}.{mime.split('/')[1]}"}
    cli.progress("kie: uploading the image")
    data = _call("POST", f"{base}/api/file-base64-upload", "KIE upload", body)
    url = (data or {}).get("downloadUrl")
    if not url:
        raise cli.StepError("KIE upload: no downloadUrl in the answer")
    return url


def _create_task(model: str, prompt: str, image_url: str, duration: int) -> str:
    body = {"model": model, "input": {"prompt": prompt, "image_url": image_url, "duration": str(duration)}}
    data = _call("POST", f"{_api_base()}/api/v1/jobs/createTask", "KIE createTask", body)
    task_id = (data or {}).get("taskId")
    if not task_id:
        raise cli.StepError("KIE createTask: no taskId in the answer")
    cli.progress(f"kie: task {task_id} created")
    return task_id


def _wait(task_id: str) -> str:
    """Polls until the task ends; returns the clip's URL. A failed poll (429, 5xx, no answer) is tried again."""
    poll_seconds = float(os.environ.get("KIE_POLL_SECONDS", "10"))
    deadline = time.monotonic() + float(os.environ.get("KIE_MAX_WAIT_SECONDS", "900"))
    state = "unknown"
    while True:
        try:
            data = _call("GET", f"{_api_base()}/api/v1/jobs/recordInfo?taskId={task_id}", "KIE recordInfo") or {}
            if data.get("state") != state:
                state = data.get("state")
                cli.progress(f"kie: task {task_id} is {state}")
            if state == "success":
                return _result_url(data)
            if state == "fail":
                raise cli.StepError(f"Kling failed ({data.get('failCode')}): {data.get('failMsg') or 'no message'}")
        except cli.StepError as e:
            if e.exit_code != cli.EXIT_TRANSIENT:
                raise
            cli.progress(f"kie: poll failed, trying again: {e}")
        if time.monotonic() > deadline:
            raise cli.transient(f"Kling task {task_id} still {state} after the wait limit; a rerun resumes it")
        time.sleep(poll_seconds)


def _result_url(data: dict) -> str:
    try:
        return json.loads(data["resultJson"])["resultUrls"][0]
    except (KeyError, IndexError, TypeError, ValueError):
        raise cli.StepError(f"KIE: a successful task without resultUrls: {str(data.get('resultJson'))[:200]}")


def _download(url: str, path: str) -> None:
    # No Authorization here: the clip is on a CDN, and the key must not travel to other hosts.
    response = http.send("GET", url, "Kling clip download", timeout=REQUEST_TIMEOUT_SECONDS)
    if response.status == 429 or response.status >= 500:
        raise cli.transient(f"Kling clip download: HTTP {response.status}")
    if response.status != 200:
        raise cli.StepError(f"Kling clip download: HTTP {response.status}")
    with open(path, "wb") as f:
        f.write(response.body)


def _call(method: str, url: str, what: str, body=None):
    """A KIE API call: HTTP status first, then the body's own `code`; returns the body's `data`."""
    response = http.check(http.send(method, url, what, headers={"Authorization": f"Bearer {cli.api_key(KEY_ENV)}"},
                                    json_body=body, timeout=REQUEST_TIMEOUT_SECONDS), what)
    answer = response.json(what)
    code = answer.get("code", 200)
    if code == 200:
        return answer.get("data")
    message = answer.get("msg") or ""
    if code == _BODY_CODE_SERVICE_UNAVAILABLE:
        raise cli.transient(f"{what}: {code}: {message}")
    if code == _BODY_CODE_GENERATION_FAILED:
        raise cli.StepError(f"{what}: {code}: {message}")
    raise http.error_for(code, what, message, http.retry_after_seconds(response.headers.get("retry-after")))


def _api_base() -> str:
    return os.environ.get("KIE_BASE_URL", "https://api.kie.ai").rstrip("/")
