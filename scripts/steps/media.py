"""ffmpeg, ffprobe and espeak-ng: the local provider's media, and checks on every provider's output."""

import hashlib
import json
import os
import subprocess
import tempfile
import textwrap

from . import cli

FRAME_WIDTH, FRAME_HEIGHT = 1920, 1080
FPS = 30
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PNG_OUT = ["-frames:v", "1", "-update", "1", "-c:v", "png", "-f", "image2"]
# Scale to fit 1920×1080 and pad with black: the whole picture stays visible.
FIT_FRAME = (f"scale={FRAME_WIDTH}:{FRAME_HEIGHT}:force_original_aspect_ratio=decrease,"
             f"pad={FRAME_WIDTH}:{FRAME_HEIGHT}:(ow-iw)/2:(oh-ih)/2,setsar=1")
# Scale to cover 1920×1080 and crop the overflow: no bars.
FILL_FRAME = (f"scale={FRAME_WIDTH}:{FRAME_HEIGHT}:force_original_aspect_ratio=increase,"
              f"crop={FRAME_WIDTH}:{FRAME_HEIGHT},setsar=1")
MP3_OUT = ["-c:a", "libmp3lame", "-b:a", "128k", "-ar", "44100", "-f", "mp3"]


def x264(preset: str = "veryfast") -> list[str]:
    # Speed over size: local clips are placeholders, and the final encode happens once per video.
    return ["-c:v", "libx264", "-preset", preset, "-crf", "23", "-pix_fmt", "yuv420p"]


def ffmpeg(*args: str) -> None:
    _tool(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args])


def _tool(command: list[str], stdin: str | None = None) -> None:
    done = subprocess.run(command, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        cli.progress(done.stderr)
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise cli.StepError(f"{command[0]} failed ({done.returncode}): {last}")


def probe(path: str) -> dict | None:
    """ffprobe's view of a file, or None when it is not media ffprobe can read."""
    done = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if done.returncode != 0:
        return None
    info = json.loads(done.stdout)
    return info if info.get("streams") else None


def streams(info: dict, kind: str) -> list[dict]:
    return [s for s in info["streams"] if s.get("codec_type") == kind]


def duration(info: dict) -> float:
    return float(info["format"].get("duration") or 0)


def require_media(path: str, kind: str, what: str, *, bad_input: bool) -> dict:
    """ffprobe info of a file that must hold a `kind` (video/audio) stream: a bad input file is
    permanent, a bad provider answer is a failure worth retrying."""
    info = probe(path)
    if info is None or not streams(info, kind) or duration(info) <= 0:
        message = f"{what} is not a readable {kind} file"
        raise cli.bad_input(message) if bad_input else cli.StepError(message)
    return info


def image_mime(path: str) -> str:
    with open(path, "rb") as f:
        head = f.read(12)
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    raise cli.bad_input(f"not a PNG, JPEG or WebP image: {path}")


def image_size(path: str, *, bad_input: bool) -> tuple[int, int]:
    info = probe(path)
    video = streams(info, "video") if info else []
    # ffprobe "reads" any file named .png, as a 0×0 image.
    width, height = (int(video[0].get("width", 0)), int(video[0].get("height", 0))) if video else (0, 0)
    if not width or not height:
        message = f"not a readable image: {path}"
        raise cli.bad_input(message) if bad_input else cli.StepError(message)
    return width, height


def hash_int(*parts: str) -> int:
    """A stable number from text, so the same prompt always gets the same colours and sounds."""
    return int.from_bytes(hashlib.sha256("\x00".join(parts).encode()).digest()[:8], "big")


def title_card(text: str, output: str, width: int, height: int) -> None:
    """A PNG in a colour from the text's hash, with the text itself wrapped on it."""
    h = hash_int(text)
    # Dark, saturated-enough colours so white text stays readable.
    colour = "0x%02x%02x%02x" % (40 + h % 100, 40 + (h >> 8) % 100, 40 + (h >> 16) % 100)
    font_size = max(12, height // 18)
    line_height = font_size * 1.3
    columns = max(8, int(width * 0.85 / (font_size * 0.55)))
    max_lines = max(1, int(height * 0.8 / line_height))
    lines = textwrap.wrap(text, columns) or [" "]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: columns - 1] + "…"
    with tempfile.TemporaryDirectory() as scratch:
        # A text file spares us escaping the prompt for the filter graph; the text sits in the upper
        # part so a composite's character does not hide an environment's title.
        text_file = os.path.join(scratch, "text.txt")
        with open(text_file, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        draw = (f"drawtext=fontfile={FONT}:textfile={text_file}:expansion=none:fontcolor=white:"
                f"fontsize={font_size}:line_spacing={int(font_size * 0.3)}:borderw=2:bordercolor=black@0.6:"
                "x=(w-text_w)/2:y=(h-text_h)/3")
        ffmpeg("-f", "lavfi", "-i", f"color=c={colour}:s={width}x{height}:d=1", "-vf", draw, *PNG_OUT, output)


def composite(character: str, environment: str, output: str, scale: float) -> None:
    """The environment filling the frame, the character `scale` of its height, centred at the bottom."""
    character_height = max(2, int(FRAME_HEIGHT * scale) // 2 * 2)
    graph = (f"[1:v]{FILL_FRAME}[bg];[0:v]scale=-2:{character_height}[fg];"
             "[bg][fg]overlay=x=(W-w)/2:y=H-h:format=auto,format=rgb24")
    ffmpeg("-i", character, "-i", environment, "-filter_complex", graph, *PNG_OUT, output)


def save_png(image: bytes, path: str, *, fit_frame: bool = False) -> None:
    """Writes a provider's image as PNG: other formats converted, fitted into 1920×1080 (black bars) if asked."""
    if image.startswith(b"\x89PNG") and not fit_frame:
        with open(path, "wb") as f:
            f.write(image)
        return
    raw = path + ".download"
    try:
        with open(raw, "wb") as f:
            f.write(image)
        ffmpeg("-i", raw, *(["-vf", FIT_FRAME] if fit_frame else []), *PNG_OUT, path)
    finally:
        os.remove(raw)


def pan(image: str, output: str, seconds: int, leftwards: bool) -> None:
    """A slow horizontal pan across the image: 1920×1080, H.264, 30 fps, exactly `seconds` long."""
    frames = seconds * FPS
    margin = FRAME_WIDTH // 10  # how far the camera travels
    wide = f"{FRAME_WIDTH + margin}:{(FRAME_HEIGHT + margin * FRAME_HEIGHT // FRAME_WIDTH) // 2 * 2}"
    x = f"(iw-ow)*(1-n/{frames - 1})" if leftwards else f"(iw-ow)*n/{frames - 1}"
    # Scale once, then repeat that frame: far cheaper than decoding and scaling the PNG per frame.
    graph = (f"scale={wide}:force_original_aspect_ratio=increase,loop=loop={frames - 1}:size=1,"
             f"setpts=N/{FPS}/TB,crop={FRAME_WIDTH}:{FRAME_HEIGHT}:x='{x}':y='(ih-oh)/2',setsar=1,format=yuv420p")
    ffmpeg("-i", image, "-vf", graph, "-frames:v", str(frames), "-r", str(FPS), *x264("ultrafast"), "-an",
           "-movflags", "+faststart", "-f", "mp4", output)


def speak(text: str, output: str, pitch: int) -> None:
    """Speech from espeak-ng, as MP3 44.1 kHz."""
    with tempfile.TemporaryDirectory() as scratch:
        wav = os.path.join(scratch, "speech.wav")
        # Text on stdin: a line starting with '-' must not be read as an option.
        _tool(["espeak-ng", "-v", "en-us", "-s", "165", "-p", str(pitch), "-w", wav, "--stdin"], stdin=text)
        ffmpeg("-i", wav, "-ac", "2", *MP3_OUT, output)


def synthesize_effect(text: str, output: str, seconds: float) -> None:
    """Filtered noise plus a low tone, faded in and out; the text's hash picks the flavour."""
    h = hash_int(text)
    noise = ["brown", "pink", "white"][h % 3]
    cutoff = 300 + (h >> 4) % 3000
    tone = 55 + (h >> 16) % 400
    fade = min(0.5, seconds / 4)
    graph = (f"anoisesrc=color={noise}:amplitude=0.4:sample_rate=44100:seed={h % 100000}:duration={seconds}[n];"
             f"sine=frequency={tone}:sample_rate=44100:duration={seconds},volume=0.2[t];"
             f"[n][t]amix=inputs=2:normalize=0,lowpass=f={cutoff},"
             f"afade=t=in:d={fade},afade=t=out:st={seconds - fade}:d={fade}")
    ffmpeg("-filter_complex", graph, "-t", str(seconds), "-ac", "2", *MP3_OUT, output)
