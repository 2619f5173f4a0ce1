"""Stand-in for GPT-SoVITS's api_v2.py (see standin_common.py for what the stand-ins are).

Mirrors: the argparse flags, names and defaults (`-a` 127.0.0.1, `-p` 9880, `-c`
GPT_SoVITS/configs/tts_infer.yaml); TTS_Config printed, then every model loaded BEFORE
`uvicorn.run` opens the port, a failed load is the real exception -> traceback, exit 1;
`check_params` (order and texts), `tts_handle` (streaming_mode 0-3/bool, 400 "tts failed"
+ str(exception)), `tts_get_endpoint` (`text_lang.lower()` on None -> 500),
`/set_gpt_weights`, `/set_sovits_weights`, `/set_refer_audio`, `/control` (exit = SIGTERM
to itself + exit(0) -> HTTP 500, then the process ends by SIGTERM; restart =
os.execl(sys.executable, ...argv)).

No `from __future__ import annotations` here: the endpoints' annotations are read as objects.
"""

import argparse
import os
import sys
import threading
from typing import Union

sys.path.append(os.getcwd())  # as upstream does: the package root holds the stand-in modules

import standin_common  # noqa: E402
import standin_uvicorn as uvicorn  # noqa: E402
from standin_common import handle_control as _handle_control  # noqa: E402
from standin_common import out, pack_audio, wav_bytes  # noqa: E402
from standin_fastapi import BaseModel, FastAPI, JSONResponse, Response, StreamingResponse  # noqa: E402
from standin_tts import TTS, TTS_Config  # noqa: E402

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


class TTS_Request(BaseModel):  # noqa: N801 - upstream's name
    text: str = None
    text_lang: str = None
    ref_audio_path: str = None
    aux_ref_audio_paths: list = None
    prompt_lang: str = None
    prompt_text: str = ""
    top_k: int = 15
    top_p: float = 1
    temperature: float = 1
    text_split_method: str = "cut5"
    batch_size: int = 1
    batch_threshold: float = 0.75
    split_bucket: bool = True
    speed_factor: float = 1.0
    fragment_interval: float = 0.3
    seed: int = -1
    media_type: str = "wav"
    streaming_mode: Union[bool, int] = False
    parallel_infer: bool = True
    repetition_penalty: float = 1.35
    sample_steps: int = 32
    super_sampling: bool = False
    overlap_length: int = 2
    min_chunk_length: int = 16


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
    flags = next((f for m, f in STREAMING_MODES.items() if mode == m), None)
    if flags is None:
        return _bad("the value of streaming_mode must be 0, 1, 2, 3(int) or true/false(bool)")
    out(" ".join(str(f) for f in flags))
    streaming = flags[0] or flags[1]
    media = req.get("media_type", "wav")
    try:
        with model_lock:
            rate, pcm = tts_pipeline.run(req)
        if not streaming:
            return Response(pack_audio(pcm, rate, media), media_type=f"audio/{media}")
        return StreamingResponse(_stream(pcm, rate, media), media_type=f"audio/{media}")
    except Exception as e:
        return JSONResponse(status_code=400, content={"message": "tts failed", "Exception": str(e)})


def _stream(pcm: bytes, rate: int, media: str):
    """A wav stream is one empty header, then raw PCM; the stand-in sends the audio in 4 pieces."""
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


@APP.get("/tts")
def tts_get_endpoint(
    text: str = None,
    text_lang: str = None,
    ref_audio_path: str = None,
    aux_ref_audio_paths: list = None,
    prompt_lang: str = None,
    prompt_text: str = "",
    top_k: int = 15,
    top_p: float = 1,
    temperature: float = 1,
    text_split_method: str = "cut5",
    batch_size: int = 1,
    batch_threshold: float = 0.75,
    split_bucket: bool = True,
    speed_factor: float = 1.0,
    fragment_interval: float = 0.3,
    seed: int = -1,
    media_type: str = "wav",
    parallel_infer: bool = True,
    repetition_penalty: float = 1.35,
    sample_steps: int = 32,
    super_sampling: bool = False,
    streaming_mode: Union[bool, int] = False,
    overlap_length: int = 2,
    min_chunk_length: int = 16,
):
    req = dict(locals())
    # upstream lower-cases both languages here (None -> AttributeError -> 500) and
    # converts a few numbers once more
    req["text_lang"], req["prompt_lang"] = text_lang.lower(), prompt_lang.lower()
    for name, kind in (("batch_size", int), ("batch_threshold", float), ("speed_factor", float),
                       ("repetition_penalty", float), ("sample_steps", int), ("overlap_length", int),
                       ("min_chunk_length", int)):
        req[name] = kind(req[name])
    return tts_handle(req)


@APP.post("/tts")
def tts_post_endpoint(request: TTS_Request):
    return tts_handle(request.dict())


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


if __name__ == "__main__":
    # `-a None` means every address, IPv4 and IPv6
    uvicorn.run(app=APP, host=None if host == "None" else host, port=port)
