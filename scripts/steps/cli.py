"""What every step script shares: argument parsing, provider choice, exit codes, the result line."""

import argparse
import json
import os
import signal
import sys
import threading
import time
import traceback
from contextlib import contextmanager

EXIT_DONE = 0
EXIT_FAILED = 1  # retried by the runner
EXIT_BAD_INPUT = 2  # permanent: retrying the same input cannot help
EXIT_TRANSIENT = 75  # EX_TEMPFAIL: rate limited, 5xx, unreachable, timed out

_secrets: list[str] = []


class StepError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_FAILED, retry_after_seconds: int | None = None):
        super().__init__(message)
        self.exit_code = exit_code
        self.retry_after_seconds = retry_after_seconds


def bad_input(message: str) -> StepError:
    return StepError(message, EXIT_BAD_INPUT)


def transient(message: str, retry_after_seconds: int | None = None) -> StepError:
    return StepError(message, EXIT_TRANSIENT, retry_after_seconds)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # argparse would print usage and exit 2 without the result line the runner reads.
        raise bad_input(f"{self.prog}: {message}")


def parser(prog: str, description: str, *, provider_key_env: str | None = None) -> argparse.ArgumentParser:
    """An argument parser with --provider; without a provider key, the step is always local and
    --provider is accepted only so that every script takes the same arguments."""
    p = _Parser(prog=prog, description=description, epilog=_EPILOG)
    p.add_argument("--provider", choices=["local", "real"],
                   help=f"default: real when {provider_key_env} is set, else local" if provider_key_env
                   else "ignored: this step always runs locally")
    return p


_EPILOG = ("Exit codes: 0 done, 2 bad input (permanent), 75 transient (retry later), other: failure. "
           "The last stdout line is a JSON object with output and cost_usd, or error.")


def choose_provider(args, key_env: str) -> str:
    """local or real; real needs the key, which is then never printed."""
    # Stray whitespace (a key pasted with its newline) would end up in a header error that quotes it.
    key = os.environ.get(key_env, "").strip()
    provider = args.provider or ("real" if key else "local")
    if provider == "real":
        if not key:
            raise bad_input(f"--provider real needs {key_env}")
        _secrets.append(key)
    return provider


def api_key(key_env: str) -> str:
    return os.environ[key_env].strip()


def input_file(path: str, what: str) -> str:
    if not os.path.isfile(path):
        raise bad_input(f"{what} not found: {path}")
    return os.path.abspath(path)


def progress(message: str) -> None:
    print(redact(message), file=sys.stderr, flush=True)


def redact(text: str) -> str:
    for secret in _secrets:
        text = text.replace(secret, "***").replace(repr(secret)[1:-1], "***")
    return text


@contextmanager
def atomic_output(path: str):
    """Yields a temporary path next to `path` (same extension) that becomes `path` only on success,
    so a killed script never leaves a half-written file under the final name."""
    final = os.path.abspath(path)
    directory, name = os.path.split(final)
    os.makedirs(directory, exist_ok=True)
    stem, ext = os.path.splitext(name)
    partial = os.path.join(directory, f".{stem}.{os.getpid()}.partial{ext}")
    try:
        yield partial
        os.replace(partial, final)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def result(output: str, cost_usd: float, provider: str, **extra) -> dict:
    return {"output": os.path.abspath(output), "cost_usd": round(cost_usd, 6), "provider": provider, **extra}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _on_sigterm(signum, frame):
    # Unwind normally so partial files are removed and child processes killed.
    raise StepError("stopped by SIGTERM", 128 + signum)


def _die_with_parent() -> None:
    """The runner starts each script in a session of its own so it can kill the whole group; if the
    runner itself dies (a silo killed), nobody would. Watch for that and take the group down, so a
    restarted step does not race an orphan paying for the same job and overwriting its output."""
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                try:
                    os.killpg(os.getpgrp(), signal.SIGKILL)
                finally:
                    os._exit(EXIT_FAILED)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def run(main) -> None:
    """Runs main(argv) -> result dict, prints the result line last and exits with the contract's code."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    if os.getpgrp() == os.getpid():  # a group of its own (the job runner's setsid): the group is ours to end
        _die_with_parent()
    try:
        line, code = main(sys.argv[1:]), EXIT_DONE
    except StepError as e:
        line, code = {"error": _one_line(str(e)), "cost_usd": 0}, e.exit_code
        if e.retry_after_seconds is not None:
            line["retry_after_seconds"] = e.retry_after_seconds
    except KeyboardInterrupt:
        line, code = {"error": "interrupted", "cost_usd": 0}, 130
    except Exception as e:  # a bug or an unexpected environment: retried as a plain failure
        progress(traceback.format_exc())
        line, code = {"error": _one_line(f"unexpected {type(e).__name__}: {e}"), "cost_usd": 0}, EXIT_FAILED
    if code != EXIT_DONE:
        progress(f"error: {line['error']}")
    sys.stdout.flush()
    print(redact(json.dumps(line, ensure_ascii=False)), flush=True)
    sys.exit(code)
