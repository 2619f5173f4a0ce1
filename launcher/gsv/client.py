"""HTTP to a GPT-SoVITS server: readiness probe, requests, weight swaps, exit.

Standard library only (http.client): it is on the start-up path, and the
launcher should not pay for a heavier client there.
"""

from __future__ import annotations

import http.client
import json as jsonlib
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

# Never probe with a bare GET /tts: upstream's api_v2.py raises on it (500).
PROBE_PATH = "/openapi.json"


def connect_host(host: str | None) -> str:
    """Where to connect for a server bound to `host` (a wildcard bind answers on loopback)."""
    if not host or host in ("0.0.0.0", "None"):
        return "127.0.0.1"
    if host in ("::", "[::]"):
        return "::1"
    return host


def port_accepts(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((connect_host(host), port), timeout=timeout):
            return True
    except OSError:
        return False


def probe_ready(host: str, port: int, timeout: float = 2.0) -> bool:
    """True when `GET /openapi.json` answers 200: FastAPI is serving, models are loaded."""
    try:
        return request("GET", base_url(host, port) + PROBE_PATH, timeout=timeout).status == 200
    except OSError:
        return False


def base_url(host: str, port: int) -> str:
    h = connect_host(host)
    if ":" in h:
        h = f"[{h}]"
    return f"http://{h}:{port}"


def tts_url(host: str, port: int, api: str) -> str:
    """Where the server synthesizes: api_v2.py at POST /tts, api.py at POST /."""
    return base_url(host, port) + ("/tts" if api == "v2" else "/")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    ttfb_seconds: float  # request sent -> first byte of the answer
    total_seconds: float
    url: str = ""

    def json(self):
        try:
            return jsonlib.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None


class Dropped(ConnectionError):
    """The server took the connection, then closed it or stayed silent before a whole answer:
    a server is there, and it failed on this request (unlike a refused connection: no server)."""

    def __init__(self, reason: str, *, timed_out: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


class AnswerCut(Dropped):
    """The server answered (status line and headers) and closed before the body ended.

    Upstream's api.py does this for any error inside synthesis (its StreamingResponse has
    already sent 200): an answer without audio, whose status and first bytes are kept.
    """

    def __init__(self, status: int, partial: bytes, url: str, reason: str) -> None:
        super().__init__(f"HTTP {status}, body cut after {len(partial)} bytes: {reason}")
        self.status = status
        self.partial = partial
        self.url = url


def request(
    method: str,
    url: str,
    *,
    params: list[tuple[str, str]] | dict | None = None,
    json: dict | None = None,
    timeout: float = 120.0,
) -> Response:
    """One HTTP request; raises OSError on transport failure: `Dropped` once connected,
    a plain OSError (refused, unreachable, connect timeout) before."""
    parts = urlsplit(url)
    path = parts.path or "/"
    query = parts.query
    if params:
        extra = urlencode(params, doseq=True)
        query = f"{query}&{extra}" if query else extra
    if query:
        path = f"{path}?{query}"
    body = None
    headers = {"Connection": "close"}
    if json is not None:
        body = jsonlib.dumps(json, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.connect()  # refused here: nothing listens
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            first = time.perf_counter()
            try:
                data = resp.read()
            except http.client.IncompleteRead as exc:
                raise AnswerCut(resp.status, bytes(exc.partial), url, str(exc)) from exc
        except AnswerCut:
            raise
        except socket.timeout as exc:
            raise Dropped(f"no answer within {timeout:g} s", timed_out=True) from exc
        except (http.client.HTTPException, OSError) as exc:
            # A server dying mid-answer (as /control?command=exit does) is a transport failure.
            raise Dropped(str(exc) or type(exc).__name__) from exc
        return Response(
            status=resp.status,
            headers={k.lower(): v for k, v in resp.getheaders()},
            body=data,
            ttfb_seconds=first - started,
            total_seconds=time.perf_counter() - started,
            url=url,
        )
    finally:
        conn.close()


def request_exit(host: str, port: int, timeout: float = 3.0) -> None:
    """Ask upstream to exit. It answers 500 (SystemExit inside the handler) or drops
    the connection, so the answer means nothing: callers confirm by process and port."""
    try:
        request("GET", base_url(host, port) + "/control", params={"command": "exit"}, timeout=timeout)
    except OSError:
        pass


def set_weights_v2(host: str, port: int, gpt: str, sovits: str, timeout: float = 600.0) -> list[Response]:
    """api_v2.py: swap GPT then SoVITS weights. Stops at the first non-200 answer."""
    answers = [set_weight_v2(host, port, "gpt", gpt, timeout)]
    if answers[0].status == 200:
        answers.append(set_weight_v2(host, port, "sovits", sovits, timeout))
    return answers


def set_weight_v2(host: str, port: int, kind: str, path: str, timeout: float = 600.0) -> Response:
    """api_v2.py's /set_gpt_weights or /set_sovits_weights (`kind` = gpt / sovits)."""
    return request("GET", base_url(host, port) + f"/set_{kind}_weights", params={"weights_path": path}, timeout=timeout)


def set_model_v1(host: str, port: int, gpt: str, sovits: str, timeout: float = 600.0) -> Response:
    """api.py: swap GPT and SoVITS together."""
    return request(
        "POST",
        base_url(host, port) + "/set_model",
        json={"gpt_model_path": gpt, "sovits_model_path": sovits},
        timeout=timeout,
    )


def synthesize(
    api: str,
    host: str,
    port: int,
    *,
    text: str,
    ref_audio: str,
    prompt_text: str,
    prompt_lang: str,
    text_lang: str,
    timeout: float = 300.0,
    extra: dict | None = None,
) -> Response:
    """One synthesis with upstream's own parameter names (api_v2 POST /tts, api.py POST /).

    `extra`: more request fields under the API's names (sample_steps, ...). `say` sends
    xiaozhi's exact request instead (launcher.xiaozhi.provider.provider_request).
    """
    if api == "v2":
        body = {
            "text": text,
            "text_lang": text_lang,
            "ref_audio_path": ref_audio,
            "prompt_text": prompt_text,
            "prompt_lang": prompt_lang,
            "media_type": "wav",
        }
    else:
        body = {
            "refer_wav_path": ref_audio,
            "prompt_text": prompt_text,
            "prompt_language": prompt_lang,
            "text": text,
            "text_language": text_lang,
        }
    body.update(extra or {})
    return request("POST", tts_url(host, port, api), json=body, timeout=timeout)
