"""Stand-in for GPT-SoVITS's api_v2.py (see standin_common.py for what the stand-ins are).

The package's api_v2.py (written per release by launcher/demo/releases.py) declares the
release's request fields and imports this module, which does what upstream's script does:
reads -c/-a/-p, prints TTS_Config, loads every model BEFORE `uvicorn.run` opens the port (a
failed load is the real exception: traceback, exit 1); `check_params` (order and texts),
`tts_handle` (streaming_mode 0-3 on main, a bool plus return_fragment before; 400 "tts
failed" + str(exception), or in streaming mode a 200 cut short), the GET /tts conversions
(`text_lang.lower()` on None -> 500), `/set_gpt_weights`, `/set_sovits_weights`,
`/set_refer_audio`, `/control` (exit = SIGTERM to itself + exit(0) -> HTTP 500, then the
process ends by SIGTERM; restart = os.execl(sys.executable, ...argv)).

No `from __future__ import annotations` here: the endpoints' annotations are read as objects.
"""

import argparse
import sys
import threading

import standin_common
import standin_release
import standin_uvicorn as uvicorn
from standin_common import handle_control as _handle_control
from standin_common import out, pack_audio, wav_bytes
from standin_fastapi import FastAPI, JSONResponse, Response, StreamingResponse
from standin_tts import TTS, TTS_Config

standin_common.started("v2")
CUT_METHODS = ["cut0", "cut1", "cut2", "cut3", "cut4", "cut5"]
MEDIA_TYPES = ["wav", "raw", "ogg", "aac"]

cli = argparse.ArgumentParser(description="GPT-SoVITS api")
cli.add_argument("-c", "--tts_config", type=str, default="GPT_SoVITS/configs/tts_infer.yaml",
                 help="the inference yaml (models, device, precision)")
cli.add_argument("-a", "--bind_addr", type=str, default="127.0.0.1", help="address to listen on")
cli.add_argument("-p", "--port", type=int, default=9880, help="port to listen on")
args = cli.parse_args()
host, port = args.bind_addr, args.port
argv = sys.argv
# upstream's fallback for an empty -c names a folder that does not exist ("GPT-SoVITS")
config_path = args.tts_config or "GPT-SoVITS/configs/tts_infer.yaml"

tts_config = TTS_Config(config_path)
out(tts_config)
tts_pipeline = TTS(tts_config)
model_lock = threading.Lock()  # stand-in: one inference or swap at a time, like the single worker

APP = FastAPI()


def empty_wav_header(rate: int) -> bytes:
    """What a streamed wav starts with: a header that declares no frames at all."""
    return wav_bytes(b"", rate)


def handle_control(command):
    _handle_control(command, sys.executable, argv)


def _bad(message: str):
    return JSONResponse(status_code=400, content={"message": message})


def check_params(req: dict):
    """Upstream's checks, in its order, with its messages; None when the request may go on."""
    for field in ("ref_audio_path", "text"):
        if req.get(field, "") in (None, ""):
            return _bad(f"{field} is required")
    for field in ("text_lang", "prompt_lang"):
        value = req.get(field, "")
        if value in (None, ""):
            return _bad(f"{field} is required")
        if value.lower() not in tts_config.languages:
            return _bad(f"{field}: {value} is not supported in version {tts_config.version}")
    media = req.get("media_type", "wav")
    if media not in MEDIA_TYPES:
        return _bad(f"media_type: {media} is not supported")
    split = req.get("text_split_method", "cut5")
    if split not in CUT_METHODS:
        return _bad(f"text_split_method:{split} is not supported")
    return None


# streaming_mode 0-3 (or a bool) -> (streaming, return_fragment, fixed_length_chunk)
STREAMING_MODES = {0: (False, False, False), 1: (False, True, False), 2: (True, False, False), 3: (True, False, True)}


def tts_handle(req: dict):
    problem = check_params(req)
    if problem is not None:
        return problem
    mode = req.get("streaming_mode", False)
    if standin_release.quirk("streaming_int"):
        flags = next((f for m, f in STREAMING_MODES.items() if mode == m), None)
        if flags is None:
            return _bad("the value of streaming_mode must be 0, 1, 2, 3(int) or true/false(bool)")
        out(" ".join(str(f) for f in flags))
    else:  # before: a bool, and return_fragment read from the body
        flags = (bool(mode), bool(req.get("return_fragment", False)), False)
    streaming = flags[0] or flags[1]
    media = req.get("media_type", "wav")
    try:
        if streaming:
            # Upstream's run is a generator that StreamingResponse starts only after the
            # 200 has gone out: a failure in synthesis cuts the answer (uvicorn logs
            # "Exception in ASGI application"), it never becomes the 400 below.
            return StreamingResponse(_stream(req, media), media_type=f"audio/{media}")
        with model_lock:
            rate, pcm = tts_pipeline.run(req)
        return Response(pack_audio(pcm, rate, media), media_type=f"audio/{media}")
    except Exception as e:
        return JSONResponse(status_code=400, content={"message": "tts failed", "Exception": str(e)})


def _stream(req: dict, media: str):
    """A wav stream is one empty header, then raw PCM; the stand-in sends the audio in 4 pieces."""
    with model_lock:
        rate, pcm = tts_pipeline.run(req)
    if media == "wav":
        yield empty_wav_header(rate)
        media = "raw"
    step = max(2, (len(pcm) // 4) & ~1)
    for start in range(0, len(pcm), step):
        yield pack_audio(pcm[start : start + step], rate, media)


@APP.get("/control")
def control(command: str = None):
    if command is None:
        return _bad("command is required")
    handle_control(command)


# GET /tts converts these once more after FastAPI did (the query is declared in api_v2.py).
_GET_CONVERSIONS = (("batch_size", int), ("batch_threshold", float), ("speed_factor", float),
                    ("repetition_penalty", float), ("sample_steps", int), ("overlap_length", int),
                    ("min_chunk_length", int))


def tts_query(query: dict):
    """GET /tts: upstream lower-cases both languages (None -> AttributeError -> 500) first."""
    req = dict(query)
    req["text_lang"], req["prompt_lang"] = query["text_lang"].lower(), query["prompt_lang"].lower()
    for name, kind in _GET_CONVERSIONS:
        if name in req:
            req[name] = kind(req[name])
    return tts_handle(req)


def _load(what: str, action):
    """One weight or reference change under the model lock: 200 "success", or 400 with the error."""
    try:
        with model_lock:
            action()
    except Exception as e:
        return JSONResponse(status_code=400, content={"message": f"{what} failed", "Exception": str(e)})
    return JSONResponse(status_code=200, content={"message": "success"})


@APP.get("/set_refer_audio")
def set_refer_aduio(refer_audio_path: str = None):  # sic: upstream's name
    return _load("set refer audio", lambda: tts_pipeline.set_ref_audio(refer_audio_path))


@APP.get("/set_gpt_weights")
def set_gpt_weights(weights_path: str = None):
    if weights_path in ("", None):
        return _bad("gpt weight path is required")
    return _load("change gpt weight", lambda: tts_pipeline.init_t2s_weights(weights_path))


@APP.get("/set_sovits_weights")
def set_sovits_weights(weights_path: str = None):
    if weights_path in ("", None):
        return _bad("sovits weight path is required")
    return _load("change sovits weight", lambda: tts_pipeline.init_vits_weights(weights_path))


def serve():
    # `-a None` means every address, IPv4 and IPv6
    uvicorn.run(app=APP, host=None if host == "None" else host, port=port)
