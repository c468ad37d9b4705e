"""ElevenLabs text-to-speech and sound generation; both answer with MP3 bytes."""

import os
import urllib.parse

from . import cli, http

KEY_ENV = "ELEVENLABS_API_KEY"
SPEECH_COST_PER_CHARACTER_USD = 0.00003
SOUND_COST_PER_SECOND_USD = 0.0012
DEFAULT_VOICE_ID = "JBFqnCBsd6RMkjVDRZzb"  # "George", a stock voice every account has
TIMEOUT_SECONDS = 110


def speech(text: str, voice_id: str | None, model_id: str | None) -> bytes:
    voice_id = voice_id or os.environ.get("ELEVENLABS_VOICE_ID") or DEFAULT_VOICE_ID
    body = {"text": text, "model_id": model_id or os.environ.get("ELEVENLABS_MODEL", "eleven_multilingual_v2"),
            "voice_settings": {"stability": 0.5, "similarity_boost": 0.75}}
    path = f"/v1/text-to-speech/{urllib.parse.quote(voice_id, safe='')}?output_format=mp3_44100_128"
    return _post(path, body, "ElevenLabs text-to-speech")


def sound_effect(text: str, seconds: float) -> bytes:
    body = {"text": text, "duration_seconds": seconds, "prompt_influence": 0.3}
    return _post("/v1/sound-generation?output_format=mp3_44100_128", body, "ElevenLabs sound generation")


def _post(path: str, body: dict, what: str) -> bytes:
    base = os.environ.get("ELEVENLABS_BASE_URL", "https://api.elevenlabs.io").rstrip("/")
    cli.progress(f"elevenlabs: {what}")
    response = http.send("POST", base + path, what, json_body=body, timeout=TIMEOUT_SECONDS,
                         headers={"xi-api-key": cli.api_key(KEY_ENV), "Accept": "audio/mpeg"})
    return http.check(response, what).body
