#!/usr/bin/env python3
"""The demo run by `scripts/run.sh --demo`: one sample video per enabled channel, taken from
draft to published on a running pipeline through its admin API. It approves every review
gate as a reviewer would, prints each status change, and at the end the published videos'
paths. Exits 0 when every video is published, 1 when one fails or the time runs out.

Environment: PIPELINE_GATEWAY_URL, PIPELINE_ADMIN_TOKEN, PIPELINE_DEMO_TIMEOUT (seconds, default 1200),
PIPELINE_DEMO_VIDEOS (at most this many channels get a video, default 3).
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

SAMPLES = [
    ("Lions of the Serengeti", "a pride of lions on the savanna", "from dawn to dusk, calm and warm"),
    ("Secrets of the Reef", "life on a coral reef", "start wide, then follow one small fish"),
    ("The Quiet Taiga", "the boreal forest in winter", "slow, snowy, a lynx on the hunt"),
    ("River of Giants", "hippos and crocodiles in the dry season", "tension at the shrinking water hole"),
]

GATES = {"assets_ready", "video_ready", "audio_ready", "final_review"}
ERRORS = {"asset_error", "video_error", "audio_error", "upload_error"}


class Api:
    def __init__(self, base, token):
        self.base = base.rstrip("/")
        self.token = token

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            detail = e.read().decode(errors="replace")
            raise SystemExit(f"demo: {method} {path} answered {e.code}: {detail}")


def main():
    api = Api(os.environ.get("PIPELINE_GATEWAY_URL", "http://127.0.0.1:5080"), os.environ["PIPELINE_ADMIN_TOKEN"])
    deadline = time.monotonic() + float(os.environ.get("PIPELINE_DEMO_TIMEOUT", "1200"))
    most = int(os.environ.get("PIPELINE_DEMO_VIDEOS", "3"))

    channels = [c for c in api.call("GET", "/channels")["items"] if c["enabled"]][:most]
    if not channels:
        raise SystemExit("demo: channels.yaml has no enabled channel")

    tasks = {}
    for channel, (title, topic, direction) in zip(channels, SAMPLES):
        created = api.call("POST", "/tasks", {"channel_id": channel["id"], "title": title, "topic": topic,
                                               "story_direction": direction, "queue": True, "by": "demo"})
        task = created.get("task", created)
        tasks[task["task_id"]] = task["status"]
        print(f"demo: {task['task_id']} \"{title}\" on {channel['id']}: {task['status']}", flush=True)

    published = {}
    while len(published) < len(tasks):
        if time.monotonic() > deadline:
            waiting = ", ".join(f"{t}: {s}" for t, s in tasks.items() if t not in published)
            raise SystemExit(f"demo: timed out; still waiting for {waiting}")
        time.sleep(1)
        for task_id in [t for t in tasks if t not in published]:
            body = api.call("GET", f"/tasks/{task_id}")
            task = body.get("task", body)
            status = task["status"]
            if status != tasks[task_id]:
                print(f"demo: {task_id}: {status}", flush=True)
                tasks[task_id] = status
            if status in GATES:
                api.call("POST", f"/tasks/{task_id}/approve", {"gate": task["gate"], "notes": "looks good", "by": "demo reviewer"})
            elif status == "published":
                published[task_id] = task
            elif status in ERRORS and task.get("next_retry_at") is None:
                raise SystemExit(f"demo: {task_id} failed in {task.get('failed_status')}: {task.get('last_error')}")

    print(f"demo: {len(published)} video(s) published:")
    for task_id, task in published.items():
        print(f"  {task['final_video']}  ({task['title']}, {task['channel_id']}, ${task['cost_usd']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
