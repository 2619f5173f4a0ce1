"""Stand-in for GPT-SoVITS's `api.py` (v1) and `api_v2.py` (v2): no torch, no weights, stdlib only.

Copy this file into a fake package root as `api.py` and as `api_v2.py` and run it
with any Python 3.9+. The flavour comes from the file name (`api.py` -> v1,
`api_v2.py` -> v2); `STANDIN_FLAVOR=v1|v2` overrides it. It never imports the
launcher: it is the *server* side of the tests.

What it mirrors (RVC-Boss/GPT-SoVITS commit 48b1a0169a28582a8984402f82cf438d3bfa6aca,
2026-08-18; uvicorn commit e6c7ce7; observations in shared/research/upstream-observed.md):

  start-up, both   argparse flags, names, defaults and help of `api.py` / `api_v2.py`
                   (v1 `-a` defaults to 0.0.0.0, v2 `-a` to 127.0.0.1, both `-p` 9880);
                   everything is loaded BEFORE the port opens (`uvicorn.run` comes last);
                   a failed load raises the real exception type/text -> traceback, exit 1.
  port taken       uvicorn `Server.startup`: asyncio `create_server` message
                   "[Errno N] error while attempting to bind on address (...): <strerror lower>"
                   on stderr after the load, lifespan shutdown lines, exit 3.
  log lines        uvicorn LOGGING_CONFIG: "INFO:     ..." to stderr, access log
                   '127.0.0.1:5555 - "GET /x HTTP/1.1" 200 OK' to stdout;
                   `Server._serve/startup/shutdown`, `LifespanOn` texts.
  v2 config        TTS.py `TTS_Config.__init__/_load_configs/save_configs/update_configs/__str__`:
                   the `custom:` section, fall-backs to default paths that do not exist,
                   CPU warnings, "Invalid version!", a missing -c file is created with the
                   defaults (yaml.dump layout: sorted keys, non-ASCII as \\u escapes),
                   the yaml is rewritten on every weight load (`init_t2s_weights` saves
                   BEFORE loading, `init_vits_weights` after).
  v2 weights       `init_t2s_weights`, `init_vits_weights`, process_ckpt.py
                   `get_sovits_version_from_path_fast` (md5 of 8 KB, 2-byte head, size),
                   `load_sovits_new`; torch.load failure modes (missing file, empty file,
                   not a zip); Pro needs sv/pretrained_eres2netv2w24s4ep4.ckpt; a v3/v4
                   LoRA needs its base; `init_bert_weights`, cnhubert.py `CNHubert`.
  v2 /tts          api_v2.py `check_params` (order and texts), `tts_handle` (streaming_mode
                   0-3/bool, 400 "tts failed" + str(exception)), `tts_get_endpoint`
                   (`text_lang.lower()` on None -> 500), TTS.py `run` (asserts, "not exists",
                   reference cache) and `_set_prompt_semantic` (16 kHz sample count outside
                   [48000, 160000] -> OSError(i18n("参考音频在3~10秒范围外，请更换！"))), i18n
                   language as tools/i18n/i18n.py `I18nAuto` picks it (env `language`,
                   last argv, `locale.getdefaultlocale()`, else en_US).
  v2 other         `/set_gpt_weights`, `/set_sovits_weights`, `/set_refer_audio`, `/control`
                   (`handle_control`: exit = SIGTERM to itself + exit(0) -> HTTP 500, then the
                   process ends by SIGTERM; restart = os.execl(sys.executable, ...argv)).
  v1               api.py: config.py defaults (read with `ast`, never imported), start-up log
                   lines, `change_gpt_sovits_weights` (errors at start-up are swallowed: the
                   server starts without a voice), `handle` ("未指定参考音频且接口无预设", no 3-10 s
                   check), StreamingResponse (errors after the 200 header cut the stream),
                   `/set_model`, `/change_refer` (`handle_change`), `/control`.
  FastAPI          404/405 `{"detail": ...}`, 422 pydantic-v2-style validation errors, compact
                   JSON (ensure_ascii=False), 500 "Internal Server Error" text/plain,
                   `/openapi.json`, `/docs`.
  signals          uvicorn `capture_signals`: SIGINT/SIGTERM -> graceful shutdown lines, then
                   the signal is raised again (SIGTERM: exit -15 on POSIX; Ctrl+C: exit 0).

Not faithful (no torch here): the audio is a quiet sine tone, 0.1 s per character
(min 0.5 s), divided by the speed factor; references must be RIFF/WAVE (upstream also
decodes mp3/flac/ogg); `media_type=ogg` returns WAV bytes labelled audio/ogg; aac runs
the real `ffmpeg` like upstream (fails the same way when it is missing); a zip-format
("PK") SoVITS file is taken as v2 (upstream reads the weights to tell v1 from v2).

Environment:
  STANDIN_FLAVOR         v1 | v2 (default: from the file name)
  STANDIN_LOAD_SECONDS   simulated model load time before the port opens (default 1.0)
  STANDIN_SYNTH_SECONDS  extra time per synthesis (default 0)
  STANDIN_SWAP_SECONDS   extra time per weight swap after start-up (default 0)
  STANDIN_CUDA           1 = pretend a CUDA GPU exists (default 0: CPU-only like CI)
  STANDIN_REQUEST_LOG    append one JSON line per event: start, load_gpt, load_sovits,
                         save_config, listening, bind_failed, request, response,
                         control, shutdown
"""

from __future__ import annotations

import argparse
import ast
import copy
import errno
import hashlib
import io
import json
import locale
import math
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
import warnings
import wave
import zipfile
from array import array
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

UPSTREAM_COMMIT = "48b1a0169a28582a8984402f82cf438d3bfa6aca"

# --------------------------------------------------------------------------------------
# Output: uvicorn's logger goes to stderr, access log and print() to stdout.
# --------------------------------------------------------------------------------------

_io_lock = threading.Lock()
_log_lock = threading.Lock()
FLAVOR = "v2"


def out(*parts: object) -> None:
    """print() to stdout, flushed (upstream prints; PYTHONUNBUFFERED makes them live)."""
    text = " ".join(str(p) for p in parts) + "\n"
    with _io_lock:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except (OSError, ValueError):
            pass


def uv_log(level: str, message: str) -> None:
    """uvicorn.logging.DefaultFormatter: '%(levelprefix)s %(message)s' to stderr."""
    prefix = (level + ":").ljust(9)
    with _io_lock:
        try:
            sys.stderr.write(f"{prefix} {message}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass


def access_log(client: tuple, method: str, target: str, version: str, status: int) -> None:
    phrase = _phrase(status)
    with _io_lock:
        try:
            sys.stdout.write(f'INFO:     {client[0]}:{client[1]} - "{method} {target} {version}" {status} {phrase}\n')
            sys.stdout.flush()
        except (OSError, ValueError):
            pass


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def record(event: str, **fields: object) -> None:
    """Append one JSON line to $STANDIN_REQUEST_LOG (tests and benchmarks read it)."""
    path = os.environ.get("STANDIN_REQUEST_LOG")
    if not path:
        return
    entry = {"event": event, "t": time.time(), "pid": os.getpid(), "flavor": FLAVOR}
    entry.update(fields)
    line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
    with _log_lock:
        try:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(line)
        except OSError:
            pass


def env_float(name: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(name, default)))
    except ValueError:
        return default


def cuda_available() -> bool:
    return os.environ.get("STANDIN_CUDA", "0").strip().lower() in ("1", "true", "yes", "on")


def detect_flavor(argv0: str) -> str:
    forced = os.environ.get("STANDIN_FLAVOR", "").strip().lower()
    if forced in ("v1", "v2"):
        return forced
    name = os.path.basename(argv0 or "").lower()
    return "v1" if name == "api.py" else "v2"


# --------------------------------------------------------------------------------------
# i18n, as tools/i18n/i18n.py I18nAuto + TTS.py's language choice.
# --------------------------------------------------------------------------------------

_LOCALES = [
    "en_US", "es_ES", "fr_FR", "it_IT", "ja_JP", "ko_KR", "pt_BR",
    "ru_RU", "tr_TR", "zh_CN", "zh_HK", "zh_SG", "zh_TW",
]
_REF_RANGE = "参考音频在3~10秒范围外，请更换！"
_NO_PATH = "路径不存在,使用默认配置"
_AUX_MISSING = "音频文件不存在，跳过："
_PROMPT_TEXT = "实际输入的参考文本:"
_I18N = {
    "en_US": {
        _REF_RANGE: "Reference audio is outside the 3-10 second range, please choose another one!",
        _NO_PATH: "Paths Not Found, Using Default Config",
        _AUX_MISSING: "Audio File Not Found, Skipping: ",
        _PROMPT_TEXT: "Actual Input Reference Text:",
    },
    "es_ES": {
        _REF_RANGE: "El audio de referencia está fuera del rango de 3 a 10 segundos, ¡por favor cámbielo!",
        _NO_PATH: "Ruta no encontrada, usando configuración predeterminada",
        _AUX_MISSING: "Archivo de audio no encontrado, omitiendo: ",
        _PROMPT_TEXT: "Texto de referencia realmente ingresado:",
    },
    "fr_FR": {
        _REF_RANGE: "Veuillez remplacer l'audio de référence si sa durée est en dehors de la plage de 3 à 10 secondes!",
        _NO_PATH: "Chemin introuvable, utilisation de la configuration par défaut",
        _AUX_MISSING: "Fichier audio introuvable, passage : ",
        _PROMPT_TEXT: "Texte de référence réellement saisi:",
    },
    "it_IT": {
        _REF_RANGE: "L'audio di riferimento è al di fuori dell'intervallo di 3-10 secondi. Si prega di cambiarlo!",
        _NO_PATH: "Percorso non trovato, utilizzo della configurazione predefinita",
        _AUX_MISSING: "File audio non trovato, salto: ",
        _PROMPT_TEXT: "Testo di riferimento effettivamente inserito:",
    },
    "ja_JP": {
        _REF_RANGE: "参照音声が3～10秒の範囲外です。別の音声に変更してください！",
        _NO_PATH: "パスが見つからないため、デフォルト設定を使用",
        _AUX_MISSING: "音声ファイルが見つかりません。スキップします：",
        _PROMPT_TEXT: "実際に入力された参照テキスト：",
    },
    "ko_KR": {
        _REF_RANGE: "참고 오디오가 3~10초 범위를 벗어났습니다. 다른 것으로 바꾸십시오!",
        _NO_PATH: "경로가 존재하지 않음, 기본 설정 사용",
        _AUX_MISSING: "오디오 파일이 존재하지 않음, 건너뜀: ",
        _PROMPT_TEXT: "실제 입력된 참고 텍스트:",
    },
    "pt_BR": {
        _REF_RANGE: "O áudio de referência está fora do intervalo de 3 a 10 segundos. Por favor, substitua!",
        _NO_PATH: "Caminhos Não Encontrados, Usando Configuração Padrão",
        _AUX_MISSING: "Arquivo de áudio não encontrado, pulando: ",
        _PROMPT_TEXT: "Texto de referência realmente inserido:",
    },
    "ru_RU": {
        _REF_RANGE: "Референтное аудио вне диапазона 3~10 секунд, пожалуйста, замените!",
        _NO_PATH: "Путь не найден, используется конфигурация по умолчанию",
        _AUX_MISSING: "Файл аудио не найден, пропускается: ",
        _PROMPT_TEXT: "Фактически введенный референсный текст:",
    },
    "tr_TR": {
        _REF_RANGE: "Referans ses dosyası 3~10 saniye aralığının dışında, lütfen değiştirin!",
        _NO_PATH: "Yol Bulunamadı, Varsayılan Yapılandırma Kullanılıyor",
        _AUX_MISSING: "Ses dosyası bulunamadı, atlanıyor: ",
        _PROMPT_TEXT: "Gerçekten girilen referans metin:",
    },
    "zh_CN": {},
    "zh_HK": {
        _REF_RANGE: "參考音頻在3~10秒範圍外，請更換！",
        _NO_PATH: "路徑不存在，使用默認配置",
        _AUX_MISSING: "音頻檔案不存在，跳過：",
        _PROMPT_TEXT: "實際輸入的參考文本:",
    },
    "zh_SG": {
        _REF_RANGE: "參考音頻在3~10秒範圍外，請更換！",
        _NO_PATH: "路徑不存在，使用預設配置",
        _PROMPT_TEXT: "實際輸入的參考文本:",
    },
    "zh_TW": {
        _REF_RANGE: "參考音頻在3~10秒範圍外，請更換！",
        _NO_PATH: "路徑不存在，使用預設配置",
        _AUX_MISSING: "音訊檔案不存在，跳過：",
        _PROMPT_TEXT: "實際輸入的參考文本:",
    },
}


def _default_locale() -> str | None:
    """locale.getdefaultlocale()[0], as I18nAuto calls it (deprecated in 3.11, still there)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return locale.getdefaultlocale()[0]  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        for var in ("LC_ALL", "LC_CTYPE", "LANG", "LANGUAGE"):
            value = os.environ.get(var)
            if value:
                code = value.split(":")[0].split(".")[0].split("@")[0]
                return None if code in ("C", "POSIX") else code
        return None


def pick_language() -> str:
    language = os.environ.get("language", "Auto")
    if len(sys.argv) > 1 and sys.argv[-1] in _LOCALES:
        language = sys.argv[-1]
    if language in ("Auto", None):
        language = _default_locale()
    if language not in _LOCALES:
        language = "en_US"
    return language


class I18n:
    def __init__(self) -> None:
        self.language = pick_language()
        self.table = _I18N.get(self.language, {})

    def __call__(self, key: str) -> str:
        return self.table.get(key, key)


# --------------------------------------------------------------------------------------
# A small YAML subset: what yaml.dump writes for tts_infer.yaml, and what people write by hand.
# --------------------------------------------------------------------------------------


class YamlError(ValueError):
    """Shown in tracebacks as yaml.scanner.ScannerError, what PyYAML raises for most bad files."""


YamlError.__module__ = "yaml.scanner"
YamlError.__qualname__ = YamlError.__name__ = "ScannerError"


_Y_NULL = {"~", "null", "Null", "NULL", ""}
_Y_TRUE = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "y", "Y"}
_Y_FALSE = {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N"}
_Y_BOOL_WORDS = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
                 "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}
_Y_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$")
_Y_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_Y_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\x09", "\t": "\x09", "n": "\x0a", "v": "\x0b",
    "f": "\x0c", "r": "\x0d", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_Y_HEX = {"x": 2, "u": 4, "U": 8}


def _resolve_plain(text: str) -> object:
    if text in _Y_NULL:
        return None
    if text in _Y_BOOL_WORDS:
        return text in _Y_TRUE
    if _Y_INT.match(text):
        t = text.replace("_", "")
        sign = -1 if t.startswith("-") else 1
        t = t.lstrip("+-")
        if t.startswith("0b"):
            return sign * int(t[2:], 2)
        if t.startswith("0x"):
            return sign * int(t[2:], 16)
        if t != "0" and t.startswith("0"):
            return sign * int(t, 8)
        return sign * int(t)
    if _Y_FLOAT.match(text):
        t = text.replace("_", "").lower()
        if t.endswith(".inf"):
            return -math.inf if t.startswith("-") else math.inf
        if t.endswith(".nan"):
            return math.nan
        return float(t)
    return text


_WS = " \t"  # YAML white space (str.strip() would also eat U+00A0 and friends)


def _strip_comment(text: str) -> str:
    """Drop a ' #...' comment from a plain (unquoted) piece of a line."""
    if text.startswith("#"):
        return ""
    m = re.search(r"[ \t]#", text)
    return text[: m.start()] if m else text


class _YamlReader:
    def __init__(self, text: str) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.i = 0

    # -- line helpers
    def _significant(self) -> int | None:
        """Skip blank lines, comments and directives; the indent of the next content line."""
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            stripped = raw.strip(_WS)
            if stripped == "" or stripped.startswith("#") or stripped == "---" or raw.startswith("%"):
                self.i += 1
                continue
            if stripped == "...":
                self.i = len(self.lines)
                return None
            lead = raw[: len(raw) - len(raw.lstrip(" \t"))]
            if "\t" in lead:
                raise YamlError(f"found character '\\t' that cannot start any token (line {self.i + 1})")
            return len(raw) - len(raw.lstrip(" "))
        return None

    def load(self) -> object:
        indent = self._significant()
        if indent is None:
            return None
        value = self._node(indent)
        if self._significant() is not None:
            raise YamlError(f"expected <document end>, but found more content (line {self.i + 1})")
        return value

    def _node(self, indent: int) -> object:
        line = self.lines[self.i][indent:]
        if line == "-" or line.startswith("- "):
            return self._sequence(indent)
        if self._key_split(line) is not None:
            return self._mapping(indent)
        # A lone scalar (document that is just a value).
        self.i += 1
        return self._scalar(line, indent - 1)

    def _key_split(self, line: str) -> tuple[object, str] | None:
        """'key: rest' -> (key, rest); None when the line is not a mapping entry."""
        if line[:1] in ("'", '"'):
            end = self._quoted_end(line, 0)
            if end is None:
                return None
            key_text = line[: end + 1]
            after = line[end + 1 :]
            m = re.match(r"[ \t]*:(?:[ \t]|$)", after)
            if not m:
                return None
            return self._decode_quoted(key_text), after[m.end() :]
        m = re.search(r":(?:[ \t]|$)", line)
        if not m or line.startswith(("[", "{", "#")):
            return None
        key = line[: m.start()].rstrip(_WS)
        if " #" in key:
            return None
        return _resolve_plain(key) if key else None, line[m.end() :]

    def _mapping(self, indent: int) -> dict:
        result: dict = {}
        while True:
            cur = self._significant()
            if cur is None or cur < indent:
                return result
            if cur > indent:
                raise YamlError(f"mapping values are not allowed here (line {self.i + 1})")
            line = self.lines[self.i][indent:]
            if line == "-" or line.startswith("- "):
                return result
            split = self._key_split(line)
            if split is None:
                raise YamlError(f"could not find expected ':' (line {self.i + 1})")
            key, rest = split
            self.i += 1
            rest_clean = _strip_comment(rest.strip(_WS))
            if rest_clean == "":
                nxt = self._significant()
                if nxt is not None and nxt > indent:
                    value = self._node(nxt)
                elif nxt is not None and nxt == indent and (
                    self.lines[self.i][indent:] == "-" or self.lines[self.i][indent:].startswith("- ")
                ):
                    value = self._sequence(indent)
                else:
                    value = None
            else:
                value = self._scalar(rest.strip(_WS), indent)
            try:
                hash(key)
            except TypeError:
                raise YamlError("unhashable key") from None
            result[key] = value

    def _sequence(self, indent: int) -> list:
        result: list = []
        while True:
            cur = self._significant()
            if cur is None or cur != indent:
                if cur is not None and cur > indent:
                    raise YamlError(f"bad indentation of a sequence entry (line {self.i + 1})")
                return result
            line = self.lines[self.i][indent:]
            if not (line == "-" or line.startswith("- ")):
                return result
            body = line[1:].lstrip(" ")
            if body == "" or body.startswith("#"):
                self.i += 1
                nxt = self._significant()
                result.append(self._node(nxt) if nxt is not None and nxt > indent else None)
                continue
            sub = indent + (len(line) - len(body))
            if self._key_split(body) is not None and body[:1] not in ("[", "{"):
                # "- key: value" starts a mapping indented at the item's content.
                self.lines[self.i] = " " * sub + body
                result.append(self._mapping(sub))
            elif body == "-" or body.startswith("- "):
                self.lines[self.i] = " " * sub + body
                result.append(self._sequence(sub))
            else:
                self.i += 1
                result.append(self._scalar(body, indent))

    # -- scalars
    def _continuations(self, parent_indent: int) -> list[str]:
        """Following lines that belong to a multi-line plain scalar."""
        found: list[str] = []
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            stripped = raw.strip(_WS)
            ind = len(raw) - len(raw.lstrip(" "))
            if stripped == "":
                found.append("")
                self.i += 1
                continue
            if ind <= parent_indent or stripped.startswith("#"):
                break
            found.append(stripped)
            self.i += 1
        while found and found[-1] == "":
            found.pop()
            self.i -= 1
        return found

    def _scalar(self, text: str, parent_indent: int) -> object:
        if text[:1] in ("'", '"'):
            buf = text
            end = self._quoted_end(buf, 0)
            while end is None:
                if self.i >= len(self.lines):
                    raise YamlError("found unexpected end of stream while scanning a quoted scalar")
                buf += "\n" + self.lines[self.i]
                self.i += 1
                end = self._quoted_end(buf, 0)
            tail = buf[end + 1 :].strip(_WS)
            if tail and not tail.startswith("#"):
                raise YamlError(f"unexpected text after a quoted scalar: {tail!r}")
            return self._decode_quoted(buf[: end + 1])
        if text[:1] in ("[", "{"):
            return self._flow(_strip_comment(text).strip(_WS))
        if text[:1] in ("|", ">"):
            return self._block_scalar(text, parent_indent)
        if text[:1] in ("&", "*", "!"):
            raise YamlError("anchors, aliases and tags are not supported by the stand-in reader")
        first = _strip_comment(text).rstrip(_WS)
        if " #" in text or text.lstrip(_WS).startswith("#"):
            return _resolve_plain(first)
        more = self._continuations(parent_indent)
        if not more:
            return _resolve_plain(first)
        value = first
        pending_newlines = 0
        for piece in more:
            if piece == "":
                pending_newlines += 1
                continue
            piece = _strip_comment(piece).rstrip(_WS)
            value += ("\n" * pending_newlines) if pending_newlines else " "
            value += piece
            pending_newlines = 0
        return value  # multi-line plain scalars are always strings

    def _block_scalar(self, header: str, parent_indent: int) -> str:
        style = header[0]
        chomp = "keep" if "+" in header else "strip" if "-" in header else "clip"
        body: list[str] = []
        block_indent = None
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            if raw.strip(_WS) == "":
                body.append("")
                self.i += 1
                continue
            ind = len(raw) - len(raw.lstrip(" "))
            if ind <= parent_indent:
                break
            if block_indent is None:
                block_indent = ind
            if ind < block_indent:
                break
            body.append(raw[block_indent:])
            self.i += 1
        trailing = 0
        while body and body[-1] == "":
            body.pop()
            trailing += 1
        if style == "|":
            text = "\n".join(body)
        else:
            text = ""
            for n, piece in enumerate(body):
                if n == 0:
                    text = piece
                elif piece == "" or body[n - 1] == "":
                    text += "\n" + piece if piece else ""
                else:
                    text += " " + piece
        if chomp == "strip":
            return text
        if chomp == "keep":
            return text + "\n" * (1 + trailing) if body else "\n" * trailing
        return text + "\n" if body else ""

    @staticmethod
    def _quoted_end(text: str, start: int) -> int | None:
        quote = text[start]
        i = start + 1
        while i < len(text):
            ch = text[i]
            if quote == '"' and ch == "\\":
                i += 2
                continue
            if ch == quote:
                if quote == "'" and text[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                return i
            i += 1
        return None

    @staticmethod
    def _decode_quoted(token: str) -> str:
        quote, body = token[0], token[1:-1]
        out_chars: list[str] = []
        lines = body.split("\n")
        for n, line in enumerate(lines):
            if n > 0:
                line = line.lstrip(" \t")
            if n < len(lines) - 1:
                # Trailing white space before a line break is not content (unless escaped).
                stripped = line.rstrip(" \t")
                if quote == '"' and stripped.endswith("\\") and (len(stripped) - len(stripped.rstrip("\\"))) % 2 == 1:
                    line = stripped[:-1]
                    out_chars.append(_YamlReader._unescape(line) if quote == '"' else line)
                    out_chars.append("\x00JOIN")
                    continue
                line = stripped
            if quote == '"':
                out_chars.append(_YamlReader._unescape(line))
            else:
                out_chars.append(line.replace("''", "'"))
            if n < len(lines) - 1:
                out_chars.append("\x00BREAK")
        # Fold: a single break -> space; each empty line -> "\n"; an escaped break -> nothing.
        text = ""
        i = 0
        while i < len(out_chars):
            piece = out_chars[i]
            if piece == "\x00JOIN":
                i += 1
                continue
            if piece == "\x00BREAK":
                empties = 0
                j = i + 1
                while j + 1 < len(out_chars) and out_chars[j] == "" and out_chars[j + 1] == "\x00BREAK":
                    empties += 1
                    j += 2
                text += "\n" * empties if empties else " "
                i = j
                continue
            text += piece
            i += 1
        return text

    @staticmethod
    def _unescape(text: str) -> str:
        result: list[str] = []
        i = 0
        while i < len(text):
            ch = text[i]
            if ch != "\\":
                result.append(ch)
                i += 1
                continue
            nxt = text[i + 1 : i + 2]
            if nxt in _Y_ESCAPES:
                result.append(_Y_ESCAPES[nxt])
                i += 2
            elif nxt in _Y_HEX:
                width = _Y_HEX[nxt]
                digits = text[i + 2 : i + 2 + width]
                if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
                    raise YamlError(f"expected escape sequence of {width} hexadecimal numbers")
                result.append(chr(int(digits, 16)))
                i += 2 + width
            else:
                raise YamlError(f"found unknown escape character {nxt!r}")
        return "".join(result)

    def _flow(self, text: str) -> object:
        value, pos = self._flow_value(text, 0)
        if text[pos:].strip(_WS):
            raise YamlError(f"unexpected text after a flow collection: {text[pos:]!r}")
        return value

    def _flow_value(self, text: str, pos: int) -> tuple[object, int]:
        while pos < len(text) and text[pos] == " ":
            pos += 1
        ch = text[pos : pos + 1]
        if ch == "[":
            items: list = []
            pos += 1
            while True:
                while pos < len(text) and text[pos] in " ,":
                    pos += 1
                if text[pos : pos + 1] == "]":
                    return items, pos + 1
                if pos >= len(text):
                    raise YamlError("unterminated flow sequence")
                item, pos = self._flow_value(text, pos)
                items.append(item)
        if ch == "{":
            mapping: dict = {}
            pos += 1
            while True:
                while pos < len(text) and text[pos] in " ,":
                    pos += 1
                if text[pos : pos + 1] == "}":
                    return mapping, pos + 1
                if pos >= len(text):
                    raise YamlError("unterminated flow mapping")
                key, pos = self._flow_value(text, pos)
                while pos < len(text) and text[pos] == " ":
                    pos += 1
                if text[pos : pos + 1] == ":":
                    value, pos = self._flow_value(text, pos + 1)
                else:
                    value = None
                mapping[key] = value
        if ch in ("'", '"'):
            end = self._quoted_end(text, pos)
            if end is None:
                raise YamlError("unterminated quoted scalar in a flow collection")
            return self._decode_quoted(text[pos : end + 1]), end + 1
        m = re.match(r"[^,\[\]{}]*", text[pos:])
        token = m.group(0) if m else ""
        # "a: b" inside {} is split by the caller on ':'.
        colon = re.search(r":([ \t]|$)", token)
        if colon:
            token = token[: colon.start()]
        return _resolve_plain(token.strip(_WS)), pos + len(token)


def yaml_load(text: str) -> object:
    return _YamlReader(text).load()


_Y_ESCAPE_OUT = {
    "\0": "0", "\x07": "a", "\x08": "b", "\x09": "t", "\x0a": "n", "\x0b": "v", "\x0c": "f",
    "\x0d": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L",
    "\u2029": "P",
}


_BEST_WIDTH = 80  # yaml.dump's default width


def _str_style(text: str) -> str:
    """The style yaml.dump (allow_unicode=False) picks for a str in block context."""
    if "\n" in text or any(not (" " <= ch <= "~") for ch in text):
        return "double"
    resolved = _resolve_plain(text)
    plain = (
        text != ""
        and isinstance(resolved, str)
        and text == text.strip(" ")
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and not text.startswith(("---", "..."))
        and (text[0] not in "-?:,[]{}#&*!|>'\"%@`" or (text[0] in "-?:" and len(text) > 1 and text[1] != " "))
    )
    return "plain" if plain else "single"


def _write_double(text: str, column: int, indent: int) -> str:
    """PyYAML Emitter.write_double_quoted, splitting long lines with a trailing backslash."""
    w = [' "']
    col = column + 2
    start = end = 0
    while end <= len(text):
        ch = text[end] if end < len(text) else None
        if ch is None or ch in '"\\\x85\u2028\u2029\ufeff' or not (" " <= ch <= "~"):
            if start < end:
                data = text[start:end]
                col += len(data)
                w.append(data)
                start = end
            if ch is not None:
                if ch in _Y_ESCAPE_OUT:
                    data = "\\" + _Y_ESCAPE_OUT[ch]
                elif ch <= "\xff":
                    data = "\\x%02X" % ord(ch)
                elif ch <= "\uffff":
                    data = "\\u%04X" % ord(ch)
                else:
                    data = "\\U%08X" % ord(ch)
                col += len(data)
                w.append(data)
                start = end + 1
        if 0 < end < len(text) - 1 and (ch == " " or start >= end) and col + (end - start) > _BEST_WIDTH:
            data = text[start:end] + "\\"
            if start < end:
                start = end
            w.append(data + "\n" + " " * indent)
            col = indent
            if text[start] == " ":
                w.append("\\")
                col += 1
        end += 1
    w.append('"')
    return "".join(w)


def _write_folding(text: str, column: int, indent: int, quote: str) -> str:
    """PyYAML Emitter.write_plain / write_single_quoted (no line breaks in text)."""
    w = [" " + quote]
    col = column + 1 + len(quote)
    spaces = False
    start = end = 0
    while end <= len(text):
        ch = text[end] if end < len(text) else None
        if spaces:
            if ch != " ":
                edge_ok = not quote or (start != 0 and end != len(text))
                if start + 1 == end and col > _BEST_WIDTH and edge_ok:
                    w.append("\n" + " " * indent)
                    col = indent
                else:
                    data = text[start:end]
                    col += len(data)
                    w.append(data)
                start = end
        elif ch is None or ch == " " or (quote and ch == "'"):
            if start < end:
                data = text[start:end]
                col += len(data)
                w.append(data)
                start = end
        if quote and ch == "'":
            w.append("''")
            col += 2
            start = end + 1
        if ch is not None:
            spaces = ch == " "
        end += 1
    w.append(quote)
    return "".join(w)


def _write_scalar(value: object, column: int, indent: int) -> str:
    """' ' + the scalar as yaml.dump writes it after `key:` or `-` ending at `column`."""
    if not isinstance(value, str):
        return " " + _dump_scalar(value)
    style = _str_style(value)
    if style == "plain":
        return _write_folding(value, column, indent, "")
    if style == "single":
        return _write_folding(value, column, indent, "'")
    return _write_double(value, column, indent)


def _dump_scalar(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (math.inf, -math.inf):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value).lower()
        if "." not in text and "e" in text:
            text = text.replace("e", ".0e", 1)
        return text
    return _write_scalar(str(value), -1, 0)[1:]


def yaml_dump(data: object) -> str:
    """yaml.dump(data): block style, sorted keys, 2-space indent, ASCII-only, width 80."""
    lines: list = []

    def emit(node: object, indent: int) -> None:
        pad = " " * indent
        if isinstance(node, dict):
            for key in sorted(node, key=lambda k: (str(type(k)), k)):
                value = node[key]
                head = f"{pad}{_dump_scalar(key)}:"
                if isinstance(value, dict) and value:
                    lines.append(head)
                    emit(value, indent + 2)
                elif isinstance(value, list) and value:
                    lines.append(head)
                    emit(value, indent)  # sequences inside mappings are not indented
                elif isinstance(value, (dict, list)):
                    lines.append(head + (" {}" if isinstance(value, dict) else " []"))
                else:
                    lines.append(head + _write_scalar(value, len(head), indent + 2))
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, (dict, list)) and item:
                    first = len(lines)
                    emit(item, indent + 2)
                    lines[first] = f"{pad}- " + lines[first][indent + 2 :]
                elif isinstance(item, (dict, list)):
                    lines.append(f"{pad}- " + ("{}" if isinstance(item, dict) else "[]"))
                else:
                    lines.append(f"{pad}-" + _write_scalar(item, indent + 1, indent + 2))
        else:
            lines.append(_write_scalar(node, -1, indent)[1:])

    if isinstance(data, (dict, list)) and not data:
        return ("{}" if isinstance(data, dict) else "[]") + "\n"
    emit(data, 0)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# Weight files: what torch.load / process_ckpt.py would say about them, without torch.
# --------------------------------------------------------------------------------------

_HEAD2VERSION = {
    b"00": ("v1", "v1", False),
    b"01": ("v2", "v2", False),
    b"02": ("v2", "v3", False),
    b"03": ("v2", "v3", True),
    b"04": ("v2", "v4", True),
    b"05": ("v2", "v2Pro", False),
    b"06": ("v2", "v2ProPlus", False),
}
_HASH_PRETRAINED = {
    "dc3c97e17592963677a4a1681f30c653": ("v2", "v2", False),
    "43797be674a37c1c83ee81081941ed0f": ("v2", "v3", False),
    "6642b37f3dbb1f76882b69937c95a5f3": ("v2", "v2", False),
    "4f26b9476d0c5033e04162c486074374": ("v2", "v4", False),
    "c7e9fce2223f3db685cdfa1e6368728a": ("v2", "v2Pro", False),
    "66b313e39455b57ab1b0bc0b239c9d0a": ("v2", "v2ProPlus", False),
}
SV_PATH = "GPT_SoVITS/pretrained_models/sv/pretrained_eres2netv2w24s4ep4.ckpt"
BIGVGAN_DIR = "GPT_SoVITS/pretrained_models/models--nvidia--bigvgan_v2_24khz_100band_256x"
VOCODER_V4 = "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/vocoder.pth"


class UnpicklingError(Exception):
    """Stands for _pickle.UnpicklingError (same name in the traceback's last line)."""


UnpicklingError.__module__ = "_pickle"


def torch_load_check(path: object, data: bytes | None = None) -> None:
    """Fail like torch.load(path) would on this file; return when it would load.

    Missing file -> FileNotFoundError from open(); empty -> EOFError('Ran out of input');
    not a zip (legacy pickle path) -> UnpicklingError('invalid load key, ...');
    'PK' but broken -> RuntimeError(PytorchStreamReader ...).
    """
    if data is None:
        if not isinstance(path, (str, bytes, os.PathLike)):
            name = type(path).__name__
            raise AttributeError(
                f"'{name}' object has no attribute 'tell'. You can only torch.load from a file that is "
                "seekable. Please pre-load the data into a buffer like io.BytesIO and try to load from it instead."
            )
        with open(path, "rb") as fh:
            data = fh.read()
    if len(data) == 0:
        raise EOFError("Ran out of input")
    if data[:2] != b"PK":
        first = data[:1]
        shown = repr(first.decode("latin-1"))
        raise UnpicklingError(f"invalid load key, {shown}.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            zf.namelist()
    except zipfile.BadZipFile:
        raise RuntimeError(
            "PytorchStreamReader failed reading zip archive: failed finding central directory"
        ) from None


def sovits_version_fast(path: str) -> tuple[str, str, bool]:
    """process_ckpt.get_sovits_version_from_path_fast."""
    with open(path, "rb") as fh:
        head8k = fh.read(8192)
    digest = hashlib.md5(head8k).hexdigest()
    if digest in _HASH_PRETRAINED:
        return _HASH_PRETRAINED[digest]
    head = head8k[:2]
    if head != b"PK":
        if head not in _HEAD2VERSION:
            raise KeyError(head)
        return _HEAD2VERSION[head]
    size = os.path.getsize(path)
    if size < 82978 * 1024:
        return "v1", "v1", False
    if size < 700 * 1024 * 1024:
        return "v2", "v2", False
    return "v2", "v3", False


def load_sovits_check(path: str) -> str:
    """process_ckpt.load_sovits_new: a non-'PK' head is replaced by 'PK' before torch.load.

    Returns the symbol-set version the weights would give ('v1' only for a '00' head: the
    stand-in cannot look at enc_p.text_embedding.weight).
    """
    with open(path, "rb") as fh:
        data = fh.read()
    head = data[:2]
    if head != b"PK":
        data = b"PK" + data[2:]
    torch_load_check(path, data)
    return "v1" if head == b"00" else "v2"


def transformers_dir_check(path: str) -> None:
    """AutoTokenizer/AutoModel.from_pretrained(path) on a folder that is not there."""
    if not os.path.isdir(path):
        raise OSError(
            f"Incorrect path_or_model_id: '{path}'. Please provide either the path to a local folder "
            "or the repo_id of a model on the Hub."
        )


# --------------------------------------------------------------------------------------
# Audio
# --------------------------------------------------------------------------------------


class NoBackendError(Exception):
    """audioread.exceptions.NoBackendError: what librosa ends with on a file it cannot decode."""


NoBackendError.__module__ = "audioread.exceptions"


def read_audio_info(path: object) -> tuple[int, int, int]:
    """(frames, sample_rate, channels) of a RIFF/WAVE file (PCM, float or extensible).

    Errors as librosa.load would end: a missing file -> FileNotFoundError from open();
    None -> TypeError('Invalid file: None') (soundfile); undecodable -> NoBackendError().
    """
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"Invalid file: {path!r}")
    with open(path, "rb") as fh:
        data = fh.read()
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        raise NoBackendError()
    pos = 12
    rate = channels = block_align = 0
    data_size = None
    while pos + 8 <= len(data):
        cid = data[pos : pos + 4]
        size = struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = pos + 8
        if cid == b"fmt " and size >= 16:
            _fmt, channels, rate, _bps, block_align, _bits = struct.unpack("<HHIIHH", data[body : body + 16])
        elif cid == b"data":
            data_size = min(size, len(data) - body)
            break
        pos = body + size + (size & 1)
    if not rate or not block_align or data_size is None:
        raise NoBackendError()
    return data_size // block_align, rate, channels


def samples_at_16k(frames: int, rate: int) -> int:
    """librosa.load(path, sr=16000) length: librosa.resample fixes it to ceil(n * 16000 / sr)."""
    if rate == 16000:
        return frames
    return int(math.ceil(frames * 16000 / rate))


def tone_pcm(seconds: float, rate: int, sampwidth: int = 2, silent: bool = False) -> bytes:
    """A quiet 200 Hz sine (200 Hz divides 16/24/32/48 kHz, so one period tiles exactly)."""
    frames = max(0, int(round(seconds * rate)))
    if frames == 0:
        return b""
    period = max(1, rate // 200)
    typecode = "h" if sampwidth == 2 else "i"
    amp = 0 if silent else (0.1 * (32767 if sampwidth == 2 else 2147483647))
    one = array(typecode, (int(amp * math.sin(2 * math.pi * n / period)) for n in range(period)))
    if sys.byteorder != "little":
        one.byteswap()
    raw = one.tobytes() * (frames // period + 1)
    return raw[: frames * sampwidth]


def wav_bytes(pcm: bytes, rate: int, sampwidth: int = 2, channels: int = 1) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(sampwidth)
        w.setframerate(rate)
        w.writeframes(pcm)
    return buf.getvalue()


def wave_header_chunk(sample_rate: int = 32000) -> bytes:
    """api_v2.py wave_header_chunk(): a WAV header that claims 0 frames, sent first when streaming."""
    return wav_bytes(b"", sample_rate)


def speech_seconds(text: str, speed: float) -> float:
    try:
        speed = float(speed) if speed else 1.0
    except (TypeError, ValueError):
        speed = 1.0
    if speed <= 0:
        speed = 1.0
    return max(0.5, 0.1 * len(text)) / speed


def run_ffmpeg_aac(pcm: bytes, rate: int) -> bytes:
    """api_v2.py pack_aac: the real ffmpeg, or the error Popen gives when there is none."""
    process = subprocess.Popen(
        ["ffmpeg", "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0", "-c:a", "aac",
         "-b:a", "192k", "-vn", "-f", "adts", "pipe:1"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    data, _ = process.communicate(input=pcm)
    return data


def pack_audio(pcm: bytes, rate: int, media_type: str, sampwidth: int = 2) -> bytes:
    if media_type == "wav" or media_type == "ogg":  # ogg: WAV bytes (no Vorbis encoder in stdlib)
        return wav_bytes(pcm, rate, sampwidth)
    if media_type == "aac":
        return run_ffmpeg_aac(pcm, rate)
    return pcm


# --------------------------------------------------------------------------------------
# Tiny web layer: requests, responses, FastAPI-like validation.
# --------------------------------------------------------------------------------------


class Request:
    def __init__(self, method: str, target: str, headers: dict, body: bytes, client: tuple) -> None:
        self.method = method
        self.target = target
        parts = urlsplit(target)
        self.path = parts.path or "/"
        self.query_pairs = parse_qsl(parts.query, keep_blank_values=True, encoding="utf-8", errors="replace")
        self.headers = headers
        self.body = body
        self.client = client

    def query(self) -> dict:
        merged: dict = {}
        for key, value in self.query_pairs:
            merged.setdefault(key, []).append(value)
        return merged

    def q(self, name: str) -> str | None:
        value = None
        for key, val in self.query_pairs:
            if key == name:
                value = val  # Starlette keeps the last one
        return value

    def q_list(self, name: str) -> list:
        return [val for key, val in self.query_pairs if key == name]

    def json(self) -> object:
        """Starlette Request.json(): json.loads of the body, errors propagate (-> 500)."""
        return json.loads(self.body)


class Response:
    def __init__(
        self,
        body: bytes = b"",
        status: int = 200,
        content_type: str | None = "application/json",
        headers: dict | None = None,
        stream=None,
    ) -> None:
        self.body = body
        self.status = status
        self.content_type = content_type
        self.headers = headers or {}
        self.stream = stream  # iterator of bytes: sent chunked; an error inside cuts the stream


def json_response(content: object, status: int = 200) -> Response:
    """starlette JSONResponse: compact separators, ensure_ascii=False, utf-8."""
    body = json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
    return Response(body.encode("utf-8"), status, "application/json")


class ValidationFailed(Exception):
    def __init__(self, errors: list) -> None:
        super().__init__("validation failed")
        self.errors = errors


_NOTHING = object()
_BOOL_TRUE = {"1", "on", "t", "true", "y", "yes"}
_BOOL_FALSE = {"0", "off", "f", "false", "n", "no"}


def _err(kind: str, loc: list, msg: str, value: object) -> dict:
    return {"type": kind, "loc": loc, "msg": msg, "input": value}


def coerce(kind: str, value: object, loc: list, errors: list) -> object:
    """pydantic v2 lax-mode coercion for the field types upstream declares."""
    if kind == "str":
        if isinstance(value, str):
            return value
        errors.append(_err("string_type", loc, "Input should be a valid string", value))
        return None
    if kind == "int":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if value.is_integer():
                return int(value)
            errors.append(_err("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", value))
            return None
        if isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"[-+]?\d+(?:_\d+)*", text):
                return int(text.replace("_", ""))
            if re.fullmatch(r"[-+]?\d+\.0*", text):
                return int(float(text))
            errors.append(_err("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", value))
            return None
        errors.append(_err("int_type", loc, "Input should be a valid integer", value))
        return None
    if kind == "float":
        if isinstance(value, bool):
            return float(value)
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                errors.append(_err("float_parsing", loc, "Input should be a valid number, unable to parse string as a number", value))
                return None
        errors.append(_err("float_type", loc, "Input should be a valid number", value))
        return None
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _BOOL_TRUE | _BOOL_FALSE:
            return value.strip().lower() in _BOOL_TRUE
        if isinstance(value, (str, int, float)):
            errors.append(_err("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", value))
        else:
            errors.append(_err("bool_type", loc, "Input should be a valid boolean", value))
        return None
    if kind == "bool|int":
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value
        sub_b: list = []
        got = coerce("bool", value, loc + ["bool"], sub_b)
        if not sub_b:
            return got
        sub_i: list = []
        got = coerce("int", value, loc + ["int"], sub_i)
        if not sub_i:
            return got
        errors.extend(sub_b + sub_i)
        return None
    if kind == "list":
        if isinstance(value, list):
            return value
        errors.append(_err("list_type", loc, "Input should be a valid list", value))
        return None
    return value


def query_params(req: Request, spec: list) -> dict:
    """FastAPI query parameters: absent -> default; present -> coerced or a 422."""
    errors: list = []
    values: dict = {}
    for name, kind, default in spec:
        if kind == "querylist":
            raw_list = req.q_list(name)
            values[name] = raw_list if raw_list else list(default)
            continue
        if kind == "body":  # a `list` annotation on a GET endpoint is a body field: never read
            values[name] = default
            continue
        raw = req.q(name)
        values[name] = default if raw is None else coerce(kind, raw, ["query", name], errors)
    if errors:
        raise ValidationFailed(errors)
    return values


def body_model(req: Request, spec: list) -> dict:
    """A FastAPI pydantic body parameter (a model whose fields all have defaults)."""
    body: object = None
    if req.body:
        ctype = req.headers.get("content-type")
        is_json = True
        if ctype:
            main = ctype.split(";")[0].strip().lower()
            maintype, _, subtype = main.partition("/")
            is_json = maintype == "application" and (subtype == "json" or subtype.endswith("+json"))
        if is_json:
            try:
                body = json.loads(req.body)
            except ValueError as exc:
                pos = getattr(exc, "pos", 0)
                msg = getattr(exc, "msg", str(exc))
                raise ValidationFailed(
                    [{"type": "json_invalid", "loc": ["body", pos], "msg": "JSON decode error", "input": {}, "ctx": {"error": msg}}]
                ) from None
        else:
            body = req.body.decode("utf-8", "replace")
    if body is None:
        raise ValidationFailed([_err("missing", ["body"], "Field required", None)])
    if not isinstance(body, dict):
        raise ValidationFailed(
            [_err("model_attributes_type", ["body"], "Input should be a valid dictionary or object to extract fields from", body)]
        )
    errors: list = []
    values: dict = {}
    for name, kind, default in spec:
        if name in body:
            values[name] = coerce(kind, body[name], ["body", name], errors)
        else:
            values[name] = copy.deepcopy(default)
    if errors:
        raise ValidationFailed(errors)
    return values


class Route:
    def __init__(self, path: str, method: str, func, name: str, params: list | None = None, body: list | None = None):
        self.path = path
        self.method = method
        self.func = func
        self.name = name
        self.params = params or []
        self.body = body


_OPENAPI_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}


def openapi_doc(routes: list) -> dict:
    """Shape of FastAPI's generated /openapi.json (paths, operationIds, query parameters)."""
    paths: dict = {}
    for route in routes:
        op_id = re.sub(r"\W", "_", f"{route.name}{route.path}") + "_" + route.method.lower()
        params = []
        for name, kind, default in route.params:
            if kind == "body":
                continue
            if kind == "querylist":
                schema: dict = {"type": "array", "items": {}, "default": list(default), "title": name.replace("_", " ").title()}
            elif kind == "bool|int":
                schema = {"anyOf": [{"type": "boolean"}, {"type": "integer"}], "default": default,
                          "title": name.replace("_", " ").title()}
            else:
                schema = {"type": _OPENAPI_TYPES.get(kind, "string"), "title": name.replace("_", " ").title()}
                if default is not None:
                    schema["default"] = default
            params.append({"name": name, "in": "query", "required": False, "schema": schema})
        op: dict = {
            "summary": route.name.replace("_", " ").title(),
            "operationId": op_id,
            "responses": {"200": {"description": "Successful Response", "content": {"application/json": {"schema": {}}}}},
        }
        if params:
            op["parameters"] = params
            op["responses"]["422"] = {
                "description": "Validation Error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
            }
        if route.body is not None:
            op["requestBody"] = {
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TTS_Request"}}},
                "required": True,
            }
        paths.setdefault(route.path, {})[route.method.lower()] = op
    doc = {"openapi": "3.1.0", "info": {"title": "FastAPI", "version": "0.1.0"}, "paths": paths}
    body_specs = [r.body for r in routes if r.body is not None]
    if body_specs:
        props = {}
        for name, kind, default in body_specs[0]:
            entry = {"type": _OPENAPI_TYPES.get(kind, "array" if kind == "list" else "string"), "title": name.replace("_", " ").title()}
            if default is not None:
                entry["default"] = default
            props[name] = entry
        doc["components"] = {"schemas": {"TTS_Request": {"properties": props, "type": "object", "title": "TTS_Request"}}}
    if any(r.params for r in routes):
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas["HTTPValidationError"] = {
            "properties": {"detail": {"items": {"$ref": "#/components/schemas/ValidationError"}, "type": "array",
                                      "title": "Detail"}},
            "type": "object", "title": "HTTPValidationError",
        }
        schemas["ValidationError"] = {
            "properties": {
                "loc": {"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "type": "array", "title": "Location"},
                "msg": {"type": "string", "title": "Message"},
                "type": {"type": "string", "title": "Error Type"},
            },
            "type": "object", "required": ["loc", "msg", "type"], "title": "ValidationError",
        }
    return doc


_DOCS_HTML = """<!DOCTYPE html>
<html>
<head>
<link type="text/css" rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
<title>FastAPI - Swagger UI</title>
</head>
<body>
<div id="swagger-ui">
</div>
<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>
const ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'})
</script>
</body>
</html>
"""


class App:
    """Routes plus the FastAPI/Starlette behaviour around them (404, 405, 422, 500, docs)."""

    def __init__(self) -> None:
        self.routes: list = []

    def add(self, path: str, method: str, func, name: str, params: list | None = None, body: list | None = None) -> None:
        self.routes.append(Route(path, method, func, name, params, body))

    def dispatch(self, req: Request) -> Response:
        if req.path == "/openapi.json" and req.method in ("GET", "HEAD"):
            return json_response(openapi_doc(self.routes))
        if req.path == "/docs" and req.method in ("GET", "HEAD"):
            return Response(_DOCS_HTML.encode("utf-8"), 200, "text/html; charset=utf-8")
        candidates = [r for r in self.routes if r.path == req.path]
        if not candidates:
            alt = req.path[:-1] if req.path.endswith("/") and req.path != "/" else req.path + "/"
            if any(r.path == alt for r in self.routes) or alt in ("/openapi.json", "/docs"):
                query = urlsplit(req.target).query
                return Response(b"", 307, None, {"location": alt + ("?" + query if query else "")})
            return json_response({"detail": "Not Found"}, 404)
        route = next((r for r in candidates if r.method == req.method), None)
        if route is None:
            allow = ", ".join(sorted({r.method for r in candidates}))
            return Response(
                json.dumps({"detail": "Method Not Allowed"}, separators=(",", ":")).encode(), 405,
                "application/json", {"allow": allow},
            )
        try:
            return route.func(req)
        except ValidationFailed as exc:
            return json_response({"detail": exc.errors}, 422)


# --------------------------------------------------------------------------------------
# The HTTP server (uvicorn's visible behaviour on top of http.server)
# --------------------------------------------------------------------------------------


class _Ctl:
    """Shared state of the listening servers: open connections, shutting down or not."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.conns: dict = {}  # handler -> busy?
        self.stopping = False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "uvicorn"
    ctl: _Ctl = None  # type: ignore[assignment]

    def version_string(self) -> str:
        return "uvicorn"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def setup(self) -> None:
        super().setup()
        with self.ctl.lock:
            self.ctl.conns[self] = False

    def finish(self) -> None:
        with self.ctl.lock:
            self.ctl.conns.pop(self, None)
        try:
            super().finish()
        except OSError:
            pass

    def _dispatch(self) -> None:
        with self.ctl.lock:
            self.ctl.conns[self] = True
        try:
            self._handle()
        finally:
            with self.ctl.lock:
                self.ctl.conns[self] = False
                if self.ctl.stopping:
                    self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _dispatch

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self) -> None:
        body = self._read_body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        client = self.client_address[:2]
        req = Request(self.command, self.path, headers, body, client)
        parsed_json: object = None
        try:
            parsed_json = json.loads(body) if body else None
        except ValueError:
            parsed_json = None
        entry = {
            "method": req.method,
            "path": req.path,
            "query": req.query(),
            "json": parsed_json,
            "content_type": headers.get("content-type"),
        }
        if body and parsed_json is None:
            entry["body"] = body.decode("utf-8", "replace")
        record("request", **entry)
        try:
            resp = self.ctl.app.dispatch(req)
        except BaseException:  # noqa: BLE001 - uvicorn catches BaseException, SystemExit included
            uv_log("ERROR", "Exception in ASGI application\n" + traceback.format_exc().rstrip("\n"))
            resp = Response(b"Internal Server Error", 500, "text/plain; charset=utf-8")
        self._send(req, resp)
        record("response", method=req.method, path=req.path, status=resp.status)

    def _send(self, req: Request, resp: Response) -> None:
        version = self.request_version
        self.send_response_only(resp.status, _phrase(resp.status))
        self.send_header("date", self.date_time_string())
        self.send_header("server", "uvicorn")
        if resp.stream is None:
            self.send_header("content-length", str(len(resp.body)))
        if resp.content_type:
            self.send_header("content-type", resp.content_type)
        for key, value in resp.headers.items():
            self.send_header(key, value)
        if resp.stream is not None:
            self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        access_log(req.client, req.method, req.target, version, resp.status)
        if req.method == "HEAD":
            return
        if resp.stream is None:
            self.wfile.write(resp.body)
            self.wfile.flush()
            return
        try:
            for chunk in resp.stream:
                if chunk:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
        except BaseException:  # noqa: BLE001 - the response has started: uvicorn logs and drops it
            uv_log("ERROR", "Exception in ASGI application\n" + traceback.format_exc().rstrip("\n"))
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def bind_like_asyncio(host: str | None, port: int, backlog: int = 2048) -> list:
    """asyncio BaseEventLoop.create_server(host, port): one socket per address, same errors."""
    if host == "":
        host = None
    infos = socket.getaddrinfo(host, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)
    seen = []
    for info in infos:
        if info not in seen:
            seen.append(info)
    sockets: list = []
    completed = False
    try:
        for af, socktype, proto, _canon, sa in seen:
            try:
                sock = socket.socket(af, socktype, proto)
            except OSError:
                continue
            sockets.append(sock)
            if os.name == "posix" and sys.platform != "cygwin":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
            if af == getattr(socket, "AF_INET6", None) and hasattr(socket, "IPPROTO_IPV6"):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, True)
            try:
                sock.bind(sa)
            except OSError as err:
                msg = "error while attempting to bind on address %r: %s" % (sa, str(err.strerror).lower())
                if err.errno == errno.EADDRNOTAVAIL:
                    sockets.pop()
                    sock.close()
                    continue
                raise OSError(err.errno, msg) from None
        if not sockets:
            raise OSError("could not bind on any address out of %r" % ([info[4] for info in seen],))
        for sock in sockets:
            sock.listen(backlog)
        completed = True
    finally:
        if not completed:
            for sock in sockets:
                sock.close()
    return sockets


def _make_server(sock: socket.socket, handler: type) -> ThreadingHTTPServer:
    class _Server(ThreadingHTTPServer):
        address_family = sock.family
        daemon_threads = True
        allow_reuse_address = False

    srv = _Server(sock.getsockname()[:2], handler, bind_and_activate=False)
    srv.socket.close()
    srv.socket = sock
    srv.server_address = sock.getsockname()
    return srv


def serve(app: App, host: str | None, port: int) -> None:
    """uvicorn.run(app, host, port): signals, start-up lines, bind (exit 3), serve, shutdown."""
    pid = os.getpid()
    stop = threading.Event()
    received: list = []

    def handle_exit(signum, frame) -> None:  # uvicorn Server.handle_exit
        received.append(signum)
        stop.set()

    handled = [signal.SIGINT, signal.SIGTERM]
    if sys.platform == "win32" and hasattr(signal, "SIGBREAK"):
        handled.append(signal.SIGBREAK)
    originals = {}
    for sig in handled:
        try:
            originals[sig] = signal.signal(sig, handle_exit)
        except (OSError, ValueError):
            pass

    uv_log("INFO", f"Started server process [{pid}]")
    uv_log("INFO", "Waiting for application startup.")
    uv_log("INFO", "Application startup complete.")
    try:
        sockets = bind_like_asyncio(host, port)
    except OSError as exc:
        uv_log("ERROR", str(exc))
        uv_log("INFO", "Waiting for application shutdown.")
        uv_log("INFO", "Application shutdown complete.")
        record("bind_failed", host=host, port=port, error=str(exc))
        sys.exit(3)  # uvicorn.main.STARTUP_FAILURE

    ctl = _Ctl(app)
    handler = type("Handler", (_Handler,), {"ctl": ctl})
    servers = [_make_server(sock, handler) for sock in sockets]
    record("listening", host=host, port=port, addresses=[list(s.getsockname()[:2]) for s in sockets])
    shown = "0.0.0.0" if host is None else host
    fmt = "http://[%s]:%d" if ":" in shown else "http://%s:%d"
    uv_log("INFO", ("Uvicorn running on " + fmt + " (Press CTRL+C to quit)") % (shown, port))
    threads = []
    for srv in servers:
        th = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        th.start()
        threads.append(th)

    while not stop.wait(0.25):
        pass

    # uvicorn Server.shutdown
    uv_log("INFO", "Shutting down")
    with ctl.lock:
        ctl.stopping = True
    for srv in servers:
        srv.shutdown()
        srv.server_close()
    deadline = time.monotonic() + 10
    announced = False
    while time.monotonic() < deadline:
        with ctl.lock:
            idle = [h for h, busy in ctl.conns.items() if not busy]
            busy_count = sum(1 for busy in ctl.conns.values() if busy)
        for h in idle:
            try:
                h.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if not busy_count and not idle:
            break
        if busy_count and not announced:
            uv_log("INFO", "Waiting for connections to close. (CTRL+C to force quit)")
            announced = True
        time.sleep(0.05)
    uv_log("INFO", "Waiting for application shutdown.")
    uv_log("INFO", "Application shutdown complete.")
    uv_log("INFO", f"Finished server process [{pid}]")
    record("shutdown", signals=[int(s) for s in received])
    for sig, original in originals.items():
        try:
            signal.signal(sig, original)
        except (OSError, ValueError):
            pass
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    # capture_signals re-raises what it caught. SIGTERM then kills the process (-15 on POSIX);
    # SIGINT becomes KeyboardInterrupt, which uvicorn.run swallows: exit 0.
    for sig in reversed(received):
        if sig == signal.SIGINT:
            continue
        signal.raise_signal(sig)


def handle_control(command: object, python_exec: str, argv: list) -> None:
    """api.py / api_v2.py handle_control."""
    record("control", command=command)
    if command == "restart":
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        os.execl(python_exec, python_exec, *argv)
    elif command == "exit":
        os.kill(os.getpid(), signal.SIGTERM)
        sys.exit(0)


# --------------------------------------------------------------------------------------
# v2: api_v2.py + TTS_infer_pack/TTS.py
# --------------------------------------------------------------------------------------

DEFAULT_CONFIGS = {
    "v1": {
        "device": "cpu", "is_half": False, "version": "v1",
        "t2s_weights_path": "GPT_SoVITS/pretrained_models/s1bert25hz-2kh-longer-epoch=68e-step=50232.ckpt",
        "vits_weights_path": "GPT_SoVITS/pretrained_models/s2G488k.pth",
        "cnhuhbert_base_path": "GPT_SoVITS/pretrained_models/chinese-hubert-base",
        "bert_base_path": "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
    },
    "v2": {
        "device": "cpu", "is_half": False, "version": "v2",
        "t2s_weights_path": "GPT_SoVITS/pretrained_models/gsv-v2final-pretrained/s1bert25hz-5kh-longer-epoch=12-step=369668.ckpt",
        "vits_weights_path": "GPT_SoVITS/pretrained_models/gsv-v2final-pretrained/s2G2333k.pth",
        "cnhuhbert_base_path": "GPT_SoVITS/pretrained_models/chinese-hubert-base",
        "bert_base_path": "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
    },
    "v3": {
        "device": "cpu", "is_half": False, "version": "v3",
        "t2s_weights_path": "GPT_SoVITS/pretrained_models/s1v3.ckpt",
        "vits_weights_path": "GPT_SoVITS/pretrained_models/s2Gv3.pth",
        "cnhuhbert_base_path": "GPT_SoVITS/pretrained_models/chinese-hubert-base",
        "bert_base_path": "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
    },
    "v4": {
        "device": "cpu", "is_half": False, "version": "v4",
        "t2s_weights_path": "GPT_SoVITS/pretrained_models/s1v3.ckpt",
        "vits_weights_path": "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/s2Gv4.pth",
        "cnhuhbert_base_path": "GPT_SoVITS/pretrained_models/chinese-hubert-base",
        "bert_base_path": "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
    },
    "v2Pro": {
        "device": "cpu", "is_half": False, "version": "v2Pro",
        "t2s_weights_path": "GPT_SoVITS/pretrained_models/s1v3.ckpt",
        "vits_weights_path": "GPT_SoVITS/pretrained_models/v2Pro/s2Gv2Pro.pth",
        "cnhuhbert_base_path": "GPT_SoVITS/pretrained_models/chinese-hubert-base",
        "bert_base_path": "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
    },
    "v2ProPlus": {
        "device": "cpu", "is_half": False, "version": "v2ProPlus",
        "t2s_weights_path": "GPT_SoVITS/pretrained_models/s1v3.ckpt",
        "vits_weights_path": "GPT_SoVITS/pretrained_models/v2Pro/s2Gv2ProPlus.pth",
        "cnhuhbert_base_path": "GPT_SoVITS/pretrained_models/chinese-hubert-base",
        "bert_base_path": "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
    },
}
V1_LANGUAGES = ["auto", "en", "zh", "ja", "all_zh", "all_ja"]
V2_LANGUAGES = ["auto", "auto_yue", "en", "zh", "ja", "yue", "ko", "all_zh", "all_ja", "all_yue", "all_ko"]
CUT_METHOD_NAMES = ["cut0", "cut1", "cut2", "cut3", "cut4", "cut5"]
SPLITS = {"，", "。", "？", "！", ",", ".", "?", "!", "~", ":", "：", "—", "…"}


class TTSConfig:
    """TTS.py TTS_Config."""

    def __init__(self, configs: object, i18n: I18n) -> None:
        self.i18n = i18n
        self.configs = None
        self.default_configs = copy.deepcopy(DEFAULT_CONFIGS)
        configs_base_path = "GPT_SoVITS/configs/"
        os.makedirs(configs_base_path, exist_ok=True)
        self.configs_path = os.path.join(configs_base_path, "tts_infer.yaml")

        if configs in ["", None]:
            if not os.path.exists(self.configs_path):
                self.save_configs()
                out(f"Create default config file at {self.configs_path}")
            configs = copy.deepcopy(self.default_configs)

        if isinstance(configs, str):
            self.configs_path = configs
            configs = self._load_configs(self.configs_path)

        assert isinstance(configs, dict)
        configs_ = copy.deepcopy(self.default_configs)
        configs_.update(configs)
        self.configs = configs_.get("custom", configs_["v2"])
        self.default_configs = copy.deepcopy(configs_)

        self.device = self.configs.get("device", "cpu")
        if "cuda" in str(self.device) and not cuda_available():
            out("Warning: CUDA is not available, set device to CPU.")
            self.device = "cpu"

        self.is_half = self.configs.get("is_half", False)
        if str(self.device) == "cpu" and self.is_half:
            out("Warning: Half precision is not supported on CPU, set is_half to False.")
            self.is_half = False

        version = self.configs.get("version", None)
        self.version = version
        assert self.version in ["v1", "v2", "v3", "v4", "v2Pro", "v2ProPlus"], "Invalid version!"
        self.t2s_weights_path = self.configs.get("t2s_weights_path", None)
        self.vits_weights_path = self.configs.get("vits_weights_path", None)
        self.bert_base_path = self.configs.get("bert_base_path", None)
        self.cnhuhbert_base_path = self.configs.get("cnhuhbert_base_path", None)
        self.languages = V1_LANGUAGES if self.version == "v1" else V2_LANGUAGES
        self.use_vocoder = False

        if (self.t2s_weights_path in [None, ""]) or (not os.path.exists(self.t2s_weights_path)):
            self.t2s_weights_path = self.default_configs[version]["t2s_weights_path"]
            out(f"fall back to default t2s_weights_path: {self.t2s_weights_path}")
        if (self.vits_weights_path in [None, ""]) or (not os.path.exists(self.vits_weights_path)):
            self.vits_weights_path = self.default_configs[version]["vits_weights_path"]
            out(f"fall back to default vits_weights_path: {self.vits_weights_path}")
        if (self.bert_base_path in [None, ""]) or (not os.path.exists(self.bert_base_path)):
            self.bert_base_path = self.default_configs[version]["bert_base_path"]
            out(f"fall back to default bert_base_path: {self.bert_base_path}")
        if (self.cnhuhbert_base_path in [None, ""]) or (not os.path.exists(self.cnhuhbert_base_path)):
            self.cnhuhbert_base_path = self.default_configs[version]["cnhuhbert_base_path"]
            out(f"fall back to default cnhuhbert_base_path: {self.cnhuhbert_base_path}")
        self.update_configs()
        self.sampling_rate = 32000

    def _load_configs(self, configs_path: str) -> dict:
        if not os.path.exists(configs_path):
            out(self.i18n(_NO_PATH))
            self.save_configs(configs_path)
        with open(configs_path, "r", encoding="utf-8") as fh:
            configs = yaml_load(fh.read())
        return configs  # type: ignore[return-value]

    def save_configs(self, configs_path: str | None = None) -> None:
        configs = copy.deepcopy(self.default_configs)
        if self.configs is not None:
            configs["custom"] = self.update_configs()
        if configs_path is None:
            configs_path = self.configs_path
        with open(configs_path, "w") as fh:  # upstream: locale encoding; yaml.dump output is ASCII
            fh.write(yaml_dump(configs))
        record("save_config", path=os.path.abspath(configs_path), custom=configs.get("custom"))

    def update_configs(self) -> dict:
        self.config = {
            "device": str(self.device),
            "is_half": self.is_half,
            "version": self.version,
            "t2s_weights_path": self.t2s_weights_path,
            "vits_weights_path": self.vits_weights_path,
            "bert_base_path": self.bert_base_path,
            "cnhuhbert_base_path": self.cnhuhbert_base_path,
        }
        return self.config

    def update_version(self, version: str) -> None:
        self.version = version
        self.languages = V1_LANGUAGES if self.version == "v1" else V2_LANGUAGES

    def __str__(self) -> str:
        self.configs = self.update_configs()
        string = "TTS Config".center(100, "-") + "\n"
        for k, v in self.configs.items():
            string += f"{str(k).ljust(20)}: {str(v)}\n"
        string += "-" * 100 + "\n"
        return string


class NO_PROMPT_ERROR(Exception):  # noqa: N801 - upstream's name
    pass


class TTSPipeline:
    """TTS.py TTS: loading, swapping and the checks `run` makes before synthesis."""

    def __init__(self, configs: TTSConfig, i18n: I18n, load_seconds: float) -> None:
        self.configs = configs
        self.i18n = i18n
        self.sv_loaded = False
        self.is_v2pro = False
        self.prompt_cache: dict = {"ref_audio_path": None, "refer_spec": [], "aux_ref_audio_paths": []}
        self._delay = load_seconds
        self.init_t2s_weights(configs.t2s_weights_path, share=0.4)
        self.init_vits_weights(configs.vits_weights_path, share=0.3)
        self.init_bert_weights(configs.bert_base_path, share=0.2)
        self.init_cnhuhbert_weights(configs.cnhuhbert_base_path, share=0.1)
        self._delay = None

    def _sleep(self, share: float) -> None:
        if self._delay is not None:
            time.sleep(self._delay * share)
        else:
            time.sleep(env_float("STANDIN_SWAP_SECONDS", 0.0) / 2)

    def init_t2s_weights(self, weights_path: str, share: float = 0.0) -> None:
        out(f"Loading Text2Semantic weights from {weights_path}")
        self.configs.t2s_weights_path = weights_path
        self.configs.save_configs()
        self._sleep(share)
        try:
            torch_load_check(weights_path)
        except Exception as exc:
            record("load_gpt", path=weights_path, ok=False, error=f"{type(exc).__name__}: {exc}")
            raise
        record("load_gpt", path=weights_path, ok=True)

    def init_vits_weights(self, weights_path: str, share: float = 0.0) -> None:
        try:
            self._init_vits_weights(weights_path, share)
        except Exception as exc:
            record("load_sovits", path=weights_path, ok=False, error=f"{type(exc).__name__}: {exc}")
            raise
        record("load_sovits", path=weights_path, ok=True, version=self.configs.version)

    def _init_vits_weights(self, weights_path: str, share: float) -> None:
        self.configs.vits_weights_path = weights_path
        version, model_version, if_lora_v3 = sovits_version_fast(weights_path)
        if "Pro" in model_version and not self.sv_loaded:
            torch_load_check(SV_PATH)
            self.sv_loaded = True
        path_sovits = self.configs.default_configs[model_version]["vits_weights_path"]
        if if_lora_v3 is True and os.path.exists(path_sovits) is False:
            info = path_sovits + self.i18n("SoVITS %s 底模缺失，无法加载相应 LoRA 权重" % model_version)
            raise FileNotFoundError(info)
        self._sleep(share)
        weights_version = load_sovits_check(weights_path)
        if model_version not in {"v3", "v4"}:
            if "Pro" not in model_version:
                model_version = weights_version
        self.configs.update_version(model_version)
        if model_version in {"v3", "v4"}:
            self.configs.use_vocoder = True
            if model_version == "v3":
                transformers_dir_check(os.path.join(os.getcwd(), BIGVGAN_DIR))
                self.configs.sampling_rate = 24000
            else:
                torch_load_check(os.path.join(os.getcwd(), VOCODER_V4))
                self.configs.sampling_rate = 48000
        else:
            self.configs.use_vocoder = False
            self.configs.sampling_rate = 32000
        self.is_v2pro = model_version in {"v2Pro", "v2ProPlus"}
        if if_lora_v3 is False:
            out(f"Loading VITS weights from {weights_path}. <All keys matched successfully>")
        else:
            out(f"Loading VITS pretrained weights from {path_sovits}. <All keys matched successfully>")
            out(f"Loading LoRA weights from {weights_path}. <All keys matched successfully>")
        self.configs.save_configs()

    def init_bert_weights(self, base_path: str, share: float = 0.0) -> None:
        out(f"Loading BERT weights from {base_path}")
        self._sleep(share)
        transformers_dir_check(base_path)

    def init_cnhuhbert_weights(self, base_path: str, share: float = 0.0) -> None:
        out(f"Loading CNHuBERT weights from {base_path}")
        self._sleep(share)
        if not os.path.exists(base_path):
            raise FileNotFoundError(base_path)
        transformers_dir_check(base_path)

    def set_ref_audio(self, ref_audio_path: object) -> None:
        frames, rate, _channels = read_audio_info(ref_audio_path)  # librosa.load(ref, sr=16000)
        n16 = samples_at_16k(frames, rate)
        if n16 > 160000 or n16 < 48000:
            raise OSError(self.i18n(_REF_RANGE))
        self.prompt_cache["ref_audio_path"] = ref_audio_path
        self.prompt_cache["refer_spec"] = [ref_audio_path]

    def run(self, inputs: dict) -> tuple[int, bytes]:
        """The part of TTS.run that can fail before synthesis, then a tone of plausible length."""
        text = inputs.get("text", "")
        text_lang = inputs.get("text_lang", "")
        ref_audio_path = inputs.get("ref_audio_path", "")
        aux_ref_audio_paths = inputs.get("aux_ref_audio_paths", [])
        prompt_text = inputs.get("prompt_text", "")
        prompt_lang = inputs.get("prompt_lang", "")
        speed_factor = inputs.get("speed_factor", 1.0)

        no_prompt_text = prompt_text in [None, ""]
        assert text_lang in self.configs.languages
        if not no_prompt_text:
            assert prompt_lang in self.configs.languages
        if no_prompt_text and self.configs.use_vocoder:
            raise NO_PROMPT_ERROR("prompt_text cannot be empty when using SoVITS_V3")
        if ref_audio_path in [None, ""] and not self.prompt_cache["refer_spec"]:
            raise ValueError("ref_audio_path cannot be empty, when the reference audio is not set using set_ref_audio()")
        if ref_audio_path is not None and ref_audio_path != self.prompt_cache["ref_audio_path"]:
            if not os.path.exists(ref_audio_path):
                raise ValueError(f"{ref_audio_path} not exists")
            self.set_ref_audio(ref_audio_path)
        aux = aux_ref_audio_paths if aux_ref_audio_paths is not None else []
        if aux != self.prompt_cache["aux_ref_audio_paths"]:
            self.prompt_cache["aux_ref_audio_paths"] = aux
            for path in aux:
                if path in [None, ""]:
                    continue
                if not os.path.exists(path):
                    out(self.i18n(_AUX_MISSING), path)
                    continue
                read_audio_info(path)
        if not no_prompt_text:
            prompt_text = prompt_text.strip("\n")
            if prompt_text and prompt_text[-1] not in SPLITS:
                prompt_text += "。" if prompt_lang != "en" else "."
            out(self.i18n(_PROMPT_TEXT), prompt_text)
        delay = env_float("STANDIN_SYNTH_SECONDS", 0.0)
        if delay:
            time.sleep(delay)
        spoken = re.sub(r"\W+", "", text or "")
        if not spoken:  # TTS.run: nothing left after pre-processing -> 1 s of 16 kHz silence
            return 16000, tone_pcm(1.0, 16000, silent=True)
        rate = self.configs.sampling_rate
        return rate, tone_pcm(speech_seconds(text, speed_factor), rate)


TTS_REQUEST_FIELDS = [
    ("text", "str", None),
    ("text_lang", "str", None),
    ("ref_audio_path", "str", None),
    ("aux_ref_audio_paths", "list", None),
    ("prompt_lang", "str", None),
    ("prompt_text", "str", ""),
    ("top_k", "int", 15),
    ("top_p", "float", 1),
    ("temperature", "float", 1),
    ("text_split_method", "str", "cut5"),
    ("batch_size", "int", 1),
    ("batch_threshold", "float", 0.75),
    ("split_bucket", "bool", True),
    ("speed_factor", "float", 1.0),
    ("fragment_interval", "float", 0.3),
    ("seed", "int", -1),
    ("media_type", "str", "wav"),
    ("streaming_mode", "bool|int", False),
    ("parallel_infer", "bool", True),
    ("repetition_penalty", "float", 1.35),
    ("sample_steps", "int", 32),
    ("super_sampling", "bool", False),
    ("overlap_length", "int", 2),
    ("min_chunk_length", "int", 16),
]
TTS_GET_PARAMS = [
    ("text", "str", None),
    ("text_lang", "str", None),
    ("ref_audio_path", "str", None),
    ("aux_ref_audio_paths", "body", None),
    ("prompt_lang", "str", None),
    ("prompt_text", "str", ""),
    ("top_k", "int", 15),
    ("top_p", "float", 1),
    ("temperature", "float", 1),
    ("text_split_method", "str", "cut5"),
    ("batch_size", "int", 1),
    ("batch_threshold", "float", 0.75),
    ("split_bucket", "bool", True),
    ("speed_factor", "float", 1.0),
    ("fragment_interval", "float", 0.3),
    ("seed", "int", -1),
    ("media_type", "str", "wav"),
    ("parallel_infer", "bool", True),
    ("repetition_penalty", "float", 1.35),
    ("sample_steps", "int", 32),
    ("super_sampling", "bool", False),
    ("streaming_mode", "bool|int", False),
    ("overlap_length", "int", 2),
    ("min_chunk_length", "int", 16),
]


class V2Server:
    def __init__(self, tts_config: TTSConfig, pipeline: TTSPipeline, argv: list) -> None:
        self.tts_config = tts_config
        self.tts = pipeline
        self.argv = argv
        self.lock = threading.Lock()  # one inference at a time, like the single uvicorn worker
        app = App()
        app.add("/control", "GET", self.control, "control", [("command", "str", None)])
        app.add("/tts", "GET", self.tts_get_endpoint, "tts_get_endpoint", TTS_GET_PARAMS)
        app.add("/tts", "POST", self.tts_post_endpoint, "tts_post_endpoint", body=TTS_REQUEST_FIELDS)
        app.add("/set_refer_audio", "GET", self.set_refer_audio, "set_refer_aduio", [("refer_audio_path", "str", None)])
        app.add("/set_gpt_weights", "GET", self.set_gpt_weights, "set_gpt_weights", [("weights_path", "str", None)])
        app.add("/set_sovits_weights", "GET", self.set_sovits_weights, "set_sovits_weights", [("weights_path", "str", None)])
        self.app = app

    def check_params(self, req: dict) -> Response | None:
        text = req.get("text", "")
        text_lang = req.get("text_lang", "")
        ref_audio_path = req.get("ref_audio_path", "")
        media_type = req.get("media_type", "wav")
        prompt_lang = req.get("prompt_lang", "")
        text_split_method = req.get("text_split_method", "cut5")
        languages = self.tts_config.languages
        version = self.tts_config.version

        if ref_audio_path in [None, ""]:
            return json_response({"message": "ref_audio_path is required"}, 400)
        if text in [None, ""]:
            return json_response({"message": "text is required"}, 400)
        if text_lang in [None, ""]:
            return json_response({"message": "text_lang is required"}, 400)
        elif text_lang.lower() not in languages:
            return json_response({"message": f"text_lang: {text_lang} is not supported in version {version}"}, 400)
        if prompt_lang in [None, ""]:
            return json_response({"message": "prompt_lang is required"}, 400)
        elif prompt_lang.lower() not in languages:
            return json_response({"message": f"prompt_lang: {prompt_lang} is not supported in version {version}"}, 400)
        if media_type not in ["wav", "raw", "ogg", "aac"]:
            return json_response({"message": f"media_type: {media_type} is not supported"}, 400)
        if text_split_method not in CUT_METHOD_NAMES:
            return json_response({"message": f"text_split_method:{text_split_method} is not supported"}, 400)
        return None

    def tts_handle(self, req: dict) -> Response:
        streaming_mode = req.get("streaming_mode", False)
        media_type = req.get("media_type", "wav")
        check_res = self.check_params(req)
        if check_res is not None:
            return check_res
        if streaming_mode == 0:
            streaming_mode, return_fragment, fixed_length_chunk = False, False, False
        elif streaming_mode == 1:
            streaming_mode, return_fragment, fixed_length_chunk = False, True, False
        elif streaming_mode == 2:
            streaming_mode, return_fragment, fixed_length_chunk = True, False, False
        elif streaming_mode == 3:
            streaming_mode, return_fragment, fixed_length_chunk = True, False, True
        else:
            return json_response(
                {"message": "the value of streaming_mode must be 0, 1, 2, 3(int) or true/false(bool)"}, 400
            )
        out(f"{streaming_mode} {return_fragment} {fixed_length_chunk}")
        streaming = streaming_mode or return_fragment
        try:
            with self.lock:
                sr, pcm = self.tts.run(req)
            if streaming:
                return Response(b"", 200, f"audio/{media_type}", stream=self._stream(sr, pcm, media_type))
            return Response(pack_audio(pcm, sr, media_type), 200, f"audio/{media_type}")
        except Exception as exc:
            return json_response({"message": "tts failed", "Exception": str(exc)}, 400)

    @staticmethod
    def _stream(sr: int, pcm: bytes, media_type: str):
        if media_type == "wav":
            yield wave_header_chunk(sample_rate=sr)
            media_type = "raw"
        step = max(2, (len(pcm) // 4) & ~1)
        for start in range(0, len(pcm), step):
            yield pack_audio(pcm[start : start + step], sr, media_type)

    def control(self, request: Request) -> Response:
        params = query_params(request, [("command", "str", None)])
        if params["command"] is None:
            return json_response({"message": "command is required"}, 400)
        handle_control(params["command"], sys.executable, self.argv)
        return json_response(None)

    def tts_get_endpoint(self, request: Request) -> Response:
        p = query_params(request, TTS_GET_PARAMS)
        req = {
            "text": p["text"],
            "text_lang": p["text_lang"].lower(),  # AttributeError on None -> 500, as upstream
            "ref_audio_path": p["ref_audio_path"],
            "aux_ref_audio_paths": p["aux_ref_audio_paths"],
            "prompt_text": p["prompt_text"],
            "prompt_lang": p["prompt_lang"].lower(),
            "top_k": p["top_k"],
            "top_p": p["top_p"],
            "temperature": p["temperature"],
            "text_split_method": p["text_split_method"],
            "batch_size": int(p["batch_size"]),
            "batch_threshold": float(p["batch_threshold"]),
            "speed_factor": float(p["speed_factor"]),
            "split_bucket": p["split_bucket"],
            "fragment_interval": p["fragment_interval"],
            "seed": p["seed"],
            "media_type": p["media_type"],
            "streaming_mode": p["streaming_mode"],
            "parallel_infer": p["parallel_infer"],
            "repetition_penalty": float(p["repetition_penalty"]),
            "sample_steps": int(p["sample_steps"]),
            "super_sampling": p["super_sampling"],
            "overlap_length": int(p["overlap_length"]),
            "min_chunk_length": int(p["min_chunk_length"]),
        }
        return self.tts_handle(req)

    def tts_post_endpoint(self, request: Request) -> Response:
        return self.tts_handle(body_model(request, TTS_REQUEST_FIELDS))

    def set_refer_audio(self, request: Request) -> Response:
        p = query_params(request, [("refer_audio_path", "str", None)])
        try:
            with self.lock:
                self.tts.set_ref_audio(p["refer_audio_path"])
        except Exception as exc:
            return json_response({"message": "set refer audio failed", "Exception": str(exc)}, 400)
        return json_response({"message": "success"}, 200)

    def set_gpt_weights(self, request: Request) -> Response:
        weights_path = query_params(request, [("weights_path", "str", None)])["weights_path"]
        try:
            if weights_path in ["", None]:
                return json_response({"message": "gpt weight path is required"}, 400)
            with self.lock:
                self.tts.init_t2s_weights(weights_path)
        except Exception as exc:
            return json_response({"message": "change gpt weight failed", "Exception": str(exc)}, 400)
        return json_response({"message": "success"}, 200)

    def set_sovits_weights(self, request: Request) -> Response:
        weights_path = query_params(request, [("weights_path", "str", None)])["weights_path"]
        try:
            if weights_path in ["", None]:
                return json_response({"message": "sovits weight path is required"}, 400)
            with self.lock:
                self.tts.init_vits_weights(weights_path)
        except Exception as exc:
            return json_response({"message": "change sovits weight failed", "Exception": str(exc)}, 400)
        return json_response({"message": "success"}, 200)


def main_v2(argv: list) -> None:
    parser = argparse.ArgumentParser(description="GPT-SoVITS api")
    parser.add_argument("-c", "--tts_config", type=str, default="GPT_SoVITS/configs/tts_infer.yaml", help="tts_infer路径")
    parser.add_argument("-a", "--bind_addr", type=str, default="127.0.0.1", help="default: 127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default="9880", help="default: 9880")
    args = parser.parse_args(argv[1:])
    config_path = args.tts_config
    port = args.port
    host = args.bind_addr
    if config_path in [None, ""]:
        config_path = "GPT-SoVITS/configs/tts_infer.yaml"

    i18n = I18n()
    tts_config = TTSConfig(config_path, i18n)
    out(tts_config)
    pipeline = TTSPipeline(tts_config, i18n, env_float("STANDIN_LOAD_SECONDS", 1.0))
    server = V2Server(tts_config, pipeline, list(argv))
    if host == "None":  # `-a None` listens on IPv4 and IPv6
        host = None
    serve(server.app, host, port)


# --------------------------------------------------------------------------------------
# v1: api.py (+ config.py read with ast, never imported: the real one imports torch)
# --------------------------------------------------------------------------------------

DICT_LANGUAGE = {
    "中文": "all_zh", "粤语": "all_yue", "英文": "en", "日文": "all_ja", "韩文": "all_ko",
    "中英混合": "zh", "粤英混合": "yue", "日英混合": "ja", "韩英混合": "ko", "多语种混合": "auto",
    "多语种混合(粤语)": "auto_yue", "all_zh": "all_zh", "all_yue": "all_yue", "en": "en",
    "all_ja": "all_ja", "all_ko": "all_ko", "zh": "zh", "yue": "yue", "ja": "ja", "ko": "ko",
    "auto": "auto", "auto_yue": "auto_yue",
}
PRETRAINED_SOVITS_NAME = {
    "v1": "GPT_SoVITS/pretrained_models/s2G488k.pth",
    "v2": "GPT_SoVITS/pretrained_models/gsv-v2final-pretrained/s2G2333k.pth",
    "v3": "GPT_SoVITS/pretrained_models/s2Gv3.pth",
    "v4": "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/s2Gv4.pth",
    "v2Pro": "GPT_SoVITS/pretrained_models/v2Pro/s2Gv2Pro.pth",
    "v2ProPlus": "GPT_SoVITS/pretrained_models/v2Pro/s2Gv2ProPlus.pth",
}


class GlobalConfig:
    """config.Config(): the module-level assignments of config.py that are literals."""

    def __init__(self) -> None:
        source_path = None
        script_dir = os.path.dirname(os.path.abspath(sys.argv[0] or "."))
        for folder in (script_dir, os.getcwd()):
            candidate = os.path.join(folder, "config.py")
            if os.path.isfile(candidate):
                source_path = candidate
                break
        if source_path is None:
            raise ModuleNotFoundError("No module named 'config'", name="config")
        with open(source_path, "rb") as fh:
            tree = ast.parse(fh.read(), filename=source_path)
        values: dict = {}
        for node in tree.body:
            if isinstance(node, ast.Assign):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
                value_node = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                targets = [node.target.id]
                value_node = node.value
            else:
                continue
            try:
                value = ast.literal_eval(value_node)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
            for name in targets:
                values[name] = value
        gpu = cuda_available()
        self.sovits_path = values.get("sovits_path", "")
        self.gpt_path = values.get("gpt_path", "")
        self.is_half = gpu  # config.py computes it from the GPUs it finds (torch)
        self.cnhubert_path = values.get("cnhubert_path", "GPT_SoVITS/pretrained_models/chinese-hubert-base")
        self.bert_path = values.get("bert_path", "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large")
        self.pretrained_sovits_path = values.get("pretrained_sovits_path", "GPT_SoVITS/pretrained_models/s2G488k.pth")
        self.pretrained_gpt_path = values.get(
            "pretrained_gpt_path", "GPT_SoVITS/pretrained_models/s1bert25hz-2kh-longer-epoch=68e-step=50232.ckpt"
        )
        self.python_exec = sys.executable or "python"
        self.infer_device = "cuda" if gpu else "cpu"
        self.api_port = values.get("api_port", 9880)
        self.pretrained_sovits_name = values.get("pretrained_sovits_name", PRETRAINED_SOVITS_NAME)
        self.source = source_path


class Speaker:
    def __init__(self, gpt: str, sovits: str, version: str) -> None:
        self.gpt = gpt
        self.sovits = sovits
        self.version = version


class DefaultRefer:
    def __init__(self, path: object, text: object, language: object) -> None:
        self.path = path
        self.text = text
        self.language = language

    def is_ready(self) -> bool:
        return all(item is not None and item != "" for item in (self.path, self.text, self.language))


def _is_empty(*items: object) -> bool:
    return all(item is None or item == "" for item in items)


def cut_text(text: str, punc: str) -> str:
    """api.py cut_text."""
    punc_list = [p for p in punc if p in {",", ".", ";", "?", "!", "、", "，", "。", "？", "！", "；", "：", "…"}]
    if len(punc_list) > 0:
        punds = r"[" + "".join(punc_list) + r"]"
        text = text.strip("\n")
        items = re.split(f"({punds})", text)
        mergeitems = ["".join(group) for group in zip(items[::2], items[1::2])]
        if len(items) % 2 == 1:
            mergeitems.append(items[-1])
        text = "\n".join(mergeitems)
    while "\n\n" in text:
        text = text.replace("\n\n", "\n")
    return text


def only_punc(text: str) -> bool:
    return not any(t.isalnum() or t.isalpha() for t in text)


class V1Server:
    def __init__(self, argv: list) -> None:
        self.argv = argv
        g_config = GlobalConfig()
        self.g_config = g_config
        parser = argparse.ArgumentParser(description="GPT-SoVITS api")
        parser.add_argument("-s", "--sovits_path", type=str, default=g_config.sovits_path, help="SoVITS模型路径")
        parser.add_argument("-g", "--gpt_path", type=str, default=g_config.gpt_path, help="GPT模型路径")
        parser.add_argument("-dr", "--default_refer_path", type=str, default="", help="默认参考音频路径")
        parser.add_argument("-dt", "--default_refer_text", type=str, default="", help="默认参考音频文本")
        parser.add_argument("-dl", "--default_refer_language", type=str, default="", help="默认参考音频语种")
        parser.add_argument("-d", "--device", type=str, default=g_config.infer_device, help="cuda / cpu")
        parser.add_argument("-a", "--bind_addr", type=str, default="0.0.0.0", help="default: 0.0.0.0")
        parser.add_argument("-p", "--port", type=int, default=g_config.api_port, help="default: 9880")
        parser.add_argument(
            "-fp", "--full_precision", action="store_true", default=False, help="覆盖config.is_half为False, 使用全精度"
        )
        parser.add_argument(
            "-hp", "--half_precision", action="store_true", default=False, help="覆盖config.is_half为True, 使用半精度"
        )
        parser.add_argument("-sm", "--stream_mode", type=str, default="close", help="流式返回模式, close / normal / keepalive")
        parser.add_argument("-mt", "--media_type", type=str, default="wav", help="音频编码格式, wav / ogg / aac")
        parser.add_argument("-st", "--sub_type", type=str, default="int16", help="音频数据类型, int16 / int32")
        parser.add_argument("-cp", "--cut_punc", type=str, default="", help="文本切分符号设定, 符号范围,.;?!、，。？！；：…")
        parser.add_argument("-hb", "--hubert_path", type=str, default=g_config.cnhubert_path, help="覆盖config.cnhubert_path")
        parser.add_argument("-b", "--bert_path", type=str, default=g_config.bert_path, help="覆盖config.bert_path")
        args = parser.parse_args(argv[1:])

        sovits_path = args.sovits_path
        gpt_path = args.gpt_path
        self.device = args.device
        self.port = args.port
        self.host = args.bind_addr
        cnhubert_base_path = args.hubert_path
        bert_path = args.bert_path
        self.default_cut_punc = args.cut_punc
        self.default_refer = DefaultRefer(args.default_refer_path, args.default_refer_text, args.default_refer_language)

        if sovits_path == "":
            sovits_path = g_config.pretrained_sovits_path
            uv_log("WARNING", f"未指定SoVITS模型路径, fallback后当前值: {sovits_path}")
        if gpt_path == "":
            gpt_path = g_config.pretrained_gpt_path
            uv_log("WARNING", f"未指定GPT模型路径, fallback后当前值: {gpt_path}")

        d = self.default_refer
        if d.path == "" or d.text == "" or d.language == "":
            d.path, d.text, d.language = "", "", ""
            uv_log("INFO", "未指定默认参考音频")
        else:
            uv_log("INFO", f"默认参考音频路径: {d.path}")
            uv_log("INFO", f"默认参考音频文本: {d.text}")
            uv_log("INFO", f"默认参考音频语种: {d.language}")

        is_half = g_config.is_half
        if args.full_precision:
            is_half = False
        if args.half_precision:
            is_half = True
        if args.full_precision and args.half_precision:
            is_half = g_config.is_half
        self.is_half = is_half
        uv_log("INFO", f"半精: {is_half}")

        if args.stream_mode.lower() in ["normal", "n"]:
            self.stream_mode = "normal"
            uv_log("INFO", "流式返回已开启")
        else:
            self.stream_mode = "close"
        if args.media_type.lower() in ["aac", "ogg"]:
            self.media_type = args.media_type.lower()
        elif self.stream_mode == "close":
            self.media_type = "wav"
        else:
            self.media_type = "ogg"
        uv_log("INFO", f"编码格式: {self.media_type}")
        if args.sub_type.lower() == "int32":
            self.is_int32 = True
            uv_log("INFO", "数据类型: int32")
        else:
            self.is_int32 = False
            uv_log("INFO", "数据类型: int16")

        load = env_float("STANDIN_LOAD_SECONDS", 1.0)
        time.sleep(load * 0.2)
        transformers_dir_check(bert_path)  # AutoTokenizer.from_pretrained(bert_path)
        time.sleep(load * 0.1)
        if not os.path.exists(cnhubert_base_path):  # cnhubert.get_model() -> CNHubert()
            raise FileNotFoundError(cnhubert_base_path)
        transformers_dir_check(cnhubert_base_path)
        self.speakers: dict = {}
        self.sv_loaded = False
        self._load_delay = load * 0.7
        self.change_gpt_sovits_weights(gpt_path, sovits_path)  # a failure here is swallowed
        self._load_delay = None
        self.lock = threading.Lock()

        app = App()
        app.add("/set_model", "POST", self.set_model_post, "set_model")
        app.add("/set_model", "GET", self.set_model_get, "set_model",
                [("gpt_model_path", "str", None), ("sovits_model_path", "str", None)])
        app.add("/control", "POST", self.control_post, "control")
        app.add("/control", "GET", self.control_get, "control", [("command", "str", None)])
        app.add("/change_refer", "POST", self.change_refer_post, "change_refer")
        app.add("/change_refer", "GET", self.change_refer_get, "change_refer",
                [("refer_wav_path", "str", None), ("prompt_text", "str", None), ("prompt_language", "str", None)])
        app.add("/", "POST", self.tts_post, "tts_endpoint")
        app.add("/", "GET", self.tts_get, "tts_endpoint", V1_GET_PARAMS)
        self.app = app

    # -- weights
    def _get_gpt_weights(self, gpt_path: object) -> str:
        torch_load_check(gpt_path)
        return str(gpt_path)

    def _get_sovits_weights(self, sovits_path: object) -> str:
        path_v3 = self.g_config.pretrained_sovits_name.get("v3", PRETRAINED_SOVITS_NAME["v3"])
        path_v4 = self.g_config.pretrained_sovits_name.get("v4", PRETRAINED_SOVITS_NAME["v4"])
        version, model_version, if_lora_v3 = sovits_version_fast(sovits_path)  # type: ignore[arg-type]
        is_exist = os.path.exists(path_v3) if model_version == "v3" else os.path.exists(path_v4)
        if if_lora_v3 is True and is_exist is False:
            uv_log("INFO", "SoVITS %s 底模缺失，无法加载相应 LoRA 权重" % model_version)
        weights_version = load_sovits_check(sovits_path)  # type: ignore[arg-type]
        if model_version not in {"v3", "v4"}:
            if "Pro" in model_version:
                if not self.sv_loaded:
                    torch_load_check(SV_PATH)
                    self.sv_loaded = True
            else:
                model_version = weights_version
        else:
            if model_version == "v3":
                transformers_dir_check(os.path.join(os.getcwd(), BIGVGAN_DIR))
            else:
                torch_load_check(os.path.join(os.getcwd(), VOCODER_V4))
        if if_lora_v3 is True:
            torch_load_check(path_v3 if model_version == "v3" else path_v4)
        uv_log("INFO", f"模型版本: {model_version}")
        return model_version

    def change_gpt_sovits_weights(self, gpt_path: object, sovits_path: object) -> Response:
        delay = self._load_delay if getattr(self, "_load_delay", None) is not None else env_float("STANDIN_SWAP_SECONDS", 0.0)
        try:
            time.sleep(delay * 0.55)
            try:
                gpt = self._get_gpt_weights(gpt_path)
            except Exception as exc:
                record("load_gpt", path=gpt_path, ok=False, error=f"{type(exc).__name__}: {exc}")
                raise
            record("load_gpt", path=gpt_path, ok=True)
            time.sleep(delay * 0.45)
            try:
                version = self._get_sovits_weights(sovits_path)
            except Exception as exc:
                record("load_sovits", path=sovits_path, ok=False, error=f"{type(exc).__name__}: {exc}")
                raise
            record("load_sovits", path=sovits_path, ok=True, version=version)
        except Exception as exc:
            return json_response({"code": 400, "message": str(exc)}, 400)
        self.speakers["default"] = Speaker(gpt, str(sovits_path), version)
        return json_response({"code": 0, "message": "Success"}, 200)

    # -- endpoints
    def set_model_post(self, request: Request) -> Response:
        body = request.json()
        with self.lock:
            return self.change_gpt_sovits_weights(body.get("gpt_model_path"), body.get("sovits_model_path"))

    def set_model_get(self, request: Request) -> Response:
        p = query_params(request, [("gpt_model_path", "str", None), ("sovits_model_path", "str", None)])
        with self.lock:
            return self.change_gpt_sovits_weights(p["gpt_model_path"], p["sovits_model_path"])

    def control_post(self, request: Request) -> Response:
        handle_control(request.json().get("command"), self.g_config.python_exec, self.argv)
        return json_response(None)

    def control_get(self, request: Request) -> Response:
        handle_control(query_params(request, [("command", "str", None)])["command"], self.g_config.python_exec, self.argv)
        return json_response(None)

    def handle_change(self, path: object, text: object, language: object) -> Response:
        if _is_empty(path, text, language):
            return json_response({"code": 400, "message": '缺少任意一项以下参数: "path", "text", "language"'}, 400)
        # upstream's `if x != "" or x is not None` is always true: all three are replaced
        self.default_refer.path, self.default_refer.text, self.default_refer.language = path, text, language
        uv_log("INFO", f"当前默认参考音频路径: {self.default_refer.path}")
        uv_log("INFO", f"当前默认参考音频文本: {self.default_refer.text}")
        uv_log("INFO", f"当前默认参考音频语种: {self.default_refer.language}")
        uv_log("INFO", f"is_ready: {self.default_refer.is_ready()}")
        return json_response({"code": 0, "message": "Success"}, 200)

    def change_refer_post(self, request: Request) -> Response:
        body = request.json()
        return self.handle_change(body.get("refer_wav_path"), body.get("prompt_text"), body.get("prompt_language"))

    def change_refer_get(self, request: Request) -> Response:
        p = query_params(request, [("refer_wav_path", "str", None), ("prompt_text", "str", None), ("prompt_language", "str", None)])
        return self.handle_change(p["refer_wav_path"], p["prompt_text"], p["prompt_language"])

    def tts_post(self, request: Request) -> Response:
        b = request.json()
        return self.handle(
            b.get("refer_wav_path"), b.get("prompt_text"), b.get("prompt_language"), b.get("text"),
            b.get("text_language"), b.get("cut_punc"), b.get("top_k", 15), b.get("top_p", 1.0),
            b.get("temperature", 1.0), b.get("speed", 1.0), b.get("inp_refs", []), b.get("sample_steps", 32),
            b.get("if_sr", False),
        )

    def tts_get(self, request: Request) -> Response:
        p = query_params(request, V1_GET_PARAMS)
        return self.handle(
            p["refer_wav_path"], p["prompt_text"], p["prompt_language"], p["text"], p["text_language"],
            p["cut_punc"], p["top_k"], p["top_p"], p["temperature"], p["speed"], p["inp_refs"],
            p["sample_steps"], p["if_sr"],
        )

    def handle(self, refer_wav_path, prompt_text, prompt_language, text, text_language, cut_punc,
               top_k, top_p, temperature, speed, inp_refs, sample_steps, if_sr) -> Response:
        if (
            refer_wav_path == "" or refer_wav_path is None
            or prompt_text == "" or prompt_text is None
            or prompt_language == "" or prompt_language is None
        ):
            refer_wav_path, prompt_text, prompt_language = (
                self.default_refer.path, self.default_refer.text, self.default_refer.language,
            )
            if not self.default_refer.is_ready():
                return json_response({"code": 400, "message": "未指定参考音频且接口无预设"}, 400)
        if cut_punc is None:
            text = cut_text(text, self.default_cut_punc)
        else:
            text = cut_text(text, cut_punc)
        return Response(
            b"", 200, "audio/" + self.media_type,
            stream=self.get_tts_wav(refer_wav_path, prompt_text, prompt_language, text, text_language, speed, inp_refs),
        )

    def get_tts_wav(self, ref_wav_path, prompt_text, prompt_language, text, text_language, speed, inp_refs):
        """api.py get_tts_wav: runs after the 200 header is out, so errors cut the stream."""
        speaker = self.speakers["default"]
        version = speaker.version
        prompt_text = prompt_text.strip("\n")
        if prompt_text[-1] not in SPLITS:
            prompt_text += "。" if prompt_language != "en" else "."
        text = text.strip("\n")
        with self.lock:
            read_audio_info(ref_wav_path)  # librosa.load(ref_wav_path, sr=16000): no 3-10 s check here
            if version not in {"v3", "v4"} and inp_refs:
                for path in inp_refs:
                    try:
                        getattr(path, "name")
                    except Exception as exc:  # upstream reads `path.name` of plain strings
                        uv_log("ERROR", str(exc))
            DICT_LANGUAGE[prompt_language.lower()]
            text_language = DICT_LANGUAGE[text_language.lower()]
            delay = env_float("STANDIN_SYNTH_SECONDS", 0.0)
            if delay:
                time.sleep(delay)
            spoken = "".join(t for t in text.split("\n") if not only_punc(t))
            sampwidth = 4 if self.is_int32 else 2
            if version in {"v1", "v2", "v2Pro", "v2ProPlus"}:
                sr = 32000
            elif version == "v3":
                sr = 24000
            else:
                sr = 48000
            pcm = tone_pcm(speech_seconds(spoken, speed), sr, sampwidth) if spoken else b""
        if self.media_type == "wav":
            yield wav_bytes(pcm, sr, sampwidth)
        else:
            yield pack_audio(pcm, sr, self.media_type, sampwidth)


V1_GET_PARAMS = [
    ("refer_wav_path", "str", None),
    ("prompt_text", "str", None),
    ("prompt_language", "str", None),
    ("text", "str", None),
    ("text_language", "str", None),
    ("cut_punc", "str", None),
    ("top_k", "int", 15),
    ("top_p", "float", 1.0),
    ("temperature", "float", 1.0),
    ("speed", "float", 1.0),
    ("inp_refs", "querylist", []),
    ("sample_steps", "int", 32),
    ("if_sr", "bool", False),
]


def main_v1(argv: list) -> None:
    server = V1Server(argv)
    serve(server.app, server.host, server.port)


# --------------------------------------------------------------------------------------


def main() -> None:
    global FLAVOR
    FLAVOR = detect_flavor(sys.argv[0])
    record("start", argv=list(sys.argv), cwd=os.getcwd(), executable=sys.executable)
    argv = list(sys.argv)
    if FLAVOR == "v1":
        main_v1(argv)
    else:
        main_v2(argv)


if __name__ == "__main__":
    main()
