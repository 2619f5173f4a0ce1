"""Stand-in for GPT-SoVITS's api_v2.py (see standin_common.py for what the stand-ins are).

Mirrors: the argparse flags, names, defaults and help (`-a` 127.0.0.1, `-p` 9880, `-c`
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

now_dir = os.getcwd()
sys.path.append(now_dir)  # upstream's line; the package root holds the stand-in modules

import standin_common  # noqa: E402
import standin_uvicorn as uvicorn  # noqa: E402
from standin_common import handle_control as _handle_control  # noqa: E402
from standin_common import out, pack_audio, wav_bytes  # noqa: E402
from standin_fastapi import BaseModel, FastAPI, JSONResponse, Response, StreamingResponse  # noqa: E402
from standin_tts import TTS, TTS_Config  # noqa: E402

standin_common.started("v2")
cut_method_names = ["cut0", "cut1", "cut2", "cut3", "cut4", "cut5"]

parser = argparse.ArgumentParser(description="GPT-SoVITS api")
parser.add_argument("-c", "--tts_config", type=str, default="GPT_SoVITS/configs/tts_infer.yaml", help="tts_infer路径")
parser.add_argument("-a", "--bind_addr", type=str, default="127.0.0.1", help="default: 127.0.0.1")
parser.add_argument("-p", "--port", type=int, default="9880", help="default: 9880")
args = parser.parse_args()
config_path = args.tts_config
port = args.port
host = args.bind_addr
argv = sys.argv

if config_path in [None, ""]:
    config_path = "GPT-SoVITS/configs/tts_infer.yaml"

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


def wave_header_chunk(sample_rate=32000):
    """A WAV header that claims 0 frames, sent first when streaming wav."""
    return wav_bytes(b"", sample_rate)


def handle_control(command):
    _handle_control(command, sys.executable, argv)


def check_params(req: dict):
    text = req.get("text", "")
    text_lang = req.get("text_lang", "")
    ref_audio_path = req.get("ref_audio_path", "")
    media_type = req.get("media_type", "wav")
    prompt_lang = req.get("prompt_lang", "")
    text_split_method = req.get("text_split_method", "cut5")

    if ref_audio_path in [None, ""]:
        return JSONResponse(status_code=400, content={"message": "ref_audio_path is required"})
    if text in [None, ""]:
        return JSONResponse(status_code=400, content={"message": "text is required"})
    if text_lang in [None, ""]:
        return JSONResponse(status_code=400, content={"message": "text_lang is required"})
    elif text_lang.lower() not in tts_config.languages:
        return JSONResponse(
            status_code=400,
            content={"message": f"text_lang: {text_lang} is not supported in version {tts_config.version}"},
        )
    if prompt_lang in [None, ""]:
        return JSONResponse(status_code=400, content={"message": "prompt_lang is required"})
    elif prompt_lang.lower() not in tts_config.languages:
        return JSONResponse(
            status_code=400,
            content={"message": f"prompt_lang: {prompt_lang} is not supported in version {tts_config.version}"},
        )
    if media_type not in ["wav", "raw", "ogg", "aac"]:
        return JSONResponse(status_code=400, content={"message": f"media_type: {media_type} is not supported"})
    if text_split_method not in cut_method_names:
        return JSONResponse(
            status_code=400, content={"message": f"text_split_method:{text_split_method} is not supported"}
        )
    return None


def tts_handle(req: dict):
    streaming_mode = req.get("streaming_mode", False)
    media_type = req.get("media_type", "wav")

    check_res = check_params(req)
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
        return JSONResponse(
            status_code=400,
            content={"message": "the value of streaming_mode must be 0, 1, 2, 3(int) or true/false(bool)"},
        )
    out(f"{streaming_mode} {return_fragment} {fixed_length_chunk}")
    streaming_mode = streaming_mode or return_fragment

    try:
        with model_lock:
            sr, audio_data = tts_pipeline.run(req)
        if streaming_mode:

            def streaming_generator(media_type: str):
                if media_type == "wav":
                    yield wave_header_chunk(sample_rate=sr)
                    media_type = "raw"
                step = max(2, (len(audio_data) // 4) & ~1)  # stand-in: the audio in 4 fragments
                for start in range(0, len(audio_data), step):
                    yield pack_audio(audio_data[start : start + step], sr, media_type)

            return StreamingResponse(streaming_generator(media_type), media_type=f"audio/{media_type}")
        return Response(pack_audio(audio_data, sr, media_type), media_type=f"audio/{media_type}")
    except Exception as e:
        return JSONResponse(status_code=400, content={"message": "tts failed", "Exception": str(e)})


@APP.get("/control")
def control(command: str = None):
    if command is None:
        return JSONResponse(status_code=400, content={"message": "command is required"})
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
    req = {
        "text": text,
        "text_lang": text_lang.lower(),
        "ref_audio_path": ref_audio_path,
        "aux_ref_audio_paths": aux_ref_audio_paths,
        "prompt_text": prompt_text,
        "prompt_lang": prompt_lang.lower(),
        "top_k": top_k,
        "top_p": top_p,
        "temperature": temperature,
        "text_split_method": text_split_method,
        "batch_size": int(batch_size),
        "batch_threshold": float(batch_threshold),
        "speed_factor": float(speed_factor),
        "split_bucket": split_bucket,
        "fragment_interval": fragment_interval,
        "seed": seed,
        "media_type": media_type,
        "streaming_mode": streaming_mode,
        "parallel_infer": parallel_infer,
        "repetition_penalty": float(repetition_penalty),
        "sample_steps": int(sample_steps),
        "super_sampling": super_sampling,
        "overlap_length": int(overlap_length),
        "min_chunk_length": int(min_chunk_length),
    }
    return tts_handle(req)


@APP.post("/tts")
def tts_post_endpoint(request: TTS_Request):
    req = request.dict()
    return tts_handle(req)


@APP.get("/set_refer_audio")
def set_refer_aduio(refer_audio_path: str = None):
    try:
        with model_lock:
            tts_pipeline.set_ref_audio(refer_audio_path)
    except Exception as e:
        return JSONResponse(status_code=400, content={"message": "set refer audio failed", "Exception": str(e)})
    return JSONResponse(status_code=200, content={"message": "success"})


@APP.get("/set_gpt_weights")
def set_gpt_weights(weights_path: str = None):
    try:
        if weights_path in ["", None]:
            return JSONResponse(status_code=400, content={"message": "gpt weight path is required"})
        with model_lock:
            tts_pipeline.init_t2s_weights(weights_path)
    except Exception as e:
        return JSONResponse(status_code=400, content={"message": "change gpt weight failed", "Exception": str(e)})
    return JSONResponse(status_code=200, content={"message": "success"})


@APP.get("/set_sovits_weights")
def set_sovits_weights(weights_path: str = None):
    try:
        if weights_path in ["", None]:
            return JSONResponse(status_code=400, content={"message": "sovits weight path is required"})
        with model_lock:
            tts_pipeline.init_vits_weights(weights_path)
    except Exception as e:
        return JSONResponse(status_code=400, content={"message": "change sovits weight failed", "Exception": str(e)})
    return JSONResponse(status_code=200, content={"message": "success"})


if __name__ == "__main__":
    if host == "None":  # `-a None` listens on IPv4 and IPv6
        host = None
    uvicorn.run(app=APP, host=host, port=port)
