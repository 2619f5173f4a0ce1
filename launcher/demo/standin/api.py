"""Stand-in for GPT-SoVITS's api.py, v1 (see standin_common.py for what the stand-ins are).

Mirrors: the argparse flags, names, defaults and help (`-a` 0.0.0.0, `-p` from config.py);
config.py's defaults (read with `ast`, never imported: the real one imports torch); the
start-up log lines; `change_gpt_sovits_weights` (errors at start-up are swallowed: the
server starts without a voice); `handle` ("未指定参考音频且接口无预设", no 3-10 s check);
StreamingResponse (errors after the 200 header cut the stream); `/set_model`,
`/change_refer` (`handle_change`), `/control`.

No `from __future__ import annotations` here: the endpoints' annotations are read as objects.
"""

import argparse
import ast
import os
import re
import sys
import threading
import time

now_dir = os.getcwd()
sys.path.append(now_dir)  # upstream's line; the package root holds the stand-in modules

import standin_common  # noqa: E402
import standin_uvicorn as uvicorn  # noqa: E402
from standin_common import (  # noqa: E402
    BIGVGAN_DIR, SPLITS, SV_PATH, VOCODER_V4, env_float, load_sovits_check, pack_audio, read_audio_info, record,
    sovits_version_fast, speech_seconds, tone_pcm, torch_load_check, transformers_dir_check, wav_bytes,
)
from standin_common import handle_control as _handle_control  # noqa: E402
from standin_fastapi import FastAPI, JSONResponse, Query, Request, StreamingResponse  # noqa: E402

standin_common.started("v1")
logger = uvicorn.logger  # logging.getLogger("uvicorn")

PRETRAINED_SOVITS_NAME = {
    "v1": "GPT_SoVITS/pretrained_models/s2G488k.pth",
    "v2": "GPT_SoVITS/pretrained_models/gsv-v2final-pretrained/s2G2333k.pth",
    "v3": "GPT_SoVITS/pretrained_models/s2Gv3.pth",
    "v4": "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/s2Gv4.pth",
    "v2Pro": "GPT_SoVITS/pretrained_models/v2Pro/s2Gv2Pro.pth",
    "v2ProPlus": "GPT_SoVITS/pretrained_models/v2Pro/s2Gv2ProPlus.pth",
}


class Config:
    """config.Config(): the module-level assignments of config.py that are literals."""

    def __init__(self):
        values = self._literals()
        self.sovits_path = values.get("sovits_path", "")
        self.gpt_path = values.get("gpt_path", "")
        self.is_half = False  # config.py: computed with torch from the GPUs it finds (none here)
        self.cnhubert_path = values.get("cnhubert_path", "GPT_SoVITS/pretrained_models/chinese-hubert-base")
        self.bert_path = values.get("bert_path", "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large")
        self.pretrained_sovits_path = values.get("pretrained_sovits_path", "GPT_SoVITS/pretrained_models/s2G488k.pth")
        self.pretrained_gpt_path = values.get(
            "pretrained_gpt_path", "GPT_SoVITS/pretrained_models/s1bert25hz-2kh-longer-epoch=68e-step=50232.ckpt"
        )
        self.python_exec = sys.executable or "python"
        self.infer_device = "cpu"
        self.api_port = values.get("api_port", 9880)
        self.pretrained_sovits_name = values.get("pretrained_sovits_name", PRETRAINED_SOVITS_NAME)

    @staticmethod
    def _literals() -> dict:
        """`import config` finds config.py beside the script or in the working directory."""
        script_dir = os.path.dirname(os.path.abspath(sys.argv[0] or "."))
        found = [os.path.join(d, "config.py") for d in (script_dir, os.getcwd())]
        source = next((p for p in found if os.path.isfile(p)), None)
        if source is None:
            raise ModuleNotFoundError("No module named 'config'", name="config")
        with open(source, "rb") as fh:
            tree = ast.parse(fh.read(), filename=source)
        values: dict = {}
        for node in tree.body:
            if isinstance(node, ast.Assign):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                targets = [node.target.id]
            else:
                continue
            try:
                value = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
            for name in targets:
                values[name] = value
        return values


class DefaultRefer:
    def __init__(self, path, text, language):
        self.path = path
        self.text = text
        self.language = language

    def is_ready(self) -> bool:
        return is_full(self.path, self.text, self.language)


def is_empty(*items):
    return all(item is None or item == "" for item in items)


def is_full(*items):
    return all(item is not None and item != "" for item in items)


class Speaker:
    def __init__(self, name, gpt, version):
        self.name = name
        self.gpt = gpt
        self.version = version  # upstream: sovits.hps.model.version


speaker_list = {}
sv_cn_loaded = False
load_seconds = None  # stand-in: set while the models load at start-up (STANDIN_LOAD_SECONDS)


def get_sovits_weights(sovits_path):
    global sv_cn_loaded
    path_sovits_v3 = g_config.pretrained_sovits_name.get("v3", PRETRAINED_SOVITS_NAME["v3"])
    path_sovits_v4 = g_config.pretrained_sovits_name.get("v4", PRETRAINED_SOVITS_NAME["v4"])
    version, model_version, if_lora_v3 = sovits_version_fast(sovits_path)
    is_exist = os.path.exists(path_sovits_v3) if model_version == "v3" else os.path.exists(path_sovits_v4)
    if if_lora_v3 is True and is_exist is False:
        logger.info("SoVITS %s 底模缺失，无法加载相应 LoRA 权重" % model_version)
    weights_version = load_sovits_check(sovits_path)  # load_sovits_new
    if model_version not in {"v3", "v4"}:
        if "Pro" in model_version:
            if not sv_cn_loaded:
                torch_load_check(SV_PATH)  # init_sv_cn
                sv_cn_loaded = True
        else:
            model_version = weights_version
    elif model_version == "v3":
        transformers_dir_check(os.path.join(os.getcwd(), BIGVGAN_DIR))  # init_bigvgan
    else:
        torch_load_check(os.path.join(os.getcwd(), VOCODER_V4))  # init_hifigan
    if if_lora_v3 is True:
        torch_load_check(path_sovits_v3 if model_version == "v3" else path_sovits_v4)
    logger.info(f"模型版本: {model_version}")
    return model_version


def get_gpt_weights(gpt_path):
    torch_load_check(gpt_path)
    return str(gpt_path)


def _loaded(event, path, load):
    """Stand-in: record one weight load in the request log, as it ends."""
    try:
        result = load(path)
    except Exception as exc:
        record(event, path=path, ok=False, error=f"{type(exc).__name__}: {exc}")
        raise
    record(event, path=path, ok=True, **({"version": result} if event == "load_sovits" else {}))
    return result


def change_gpt_sovits_weights(gpt_path, sovits_path):
    delay = load_seconds if load_seconds is not None else env_float("STANDIN_SWAP_SECONDS", 0.0)
    try:
        time.sleep(delay * 0.55)
        gpt = _loaded("load_gpt", gpt_path, get_gpt_weights)
        time.sleep(delay * 0.45)
        version = _loaded("load_sovits", sovits_path, get_sovits_weights)
    except Exception as e:
        return JSONResponse({"code": 400, "message": str(e)}, status_code=400)
    speaker_list["default"] = Speaker(name="default", gpt=gpt, version=version)
    return JSONResponse({"code": 0, "message": "Success"}, status_code=200)


def cut_text(text, punc):
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


def only_punc(text):
    return not any(t.isalnum() or t.isalpha() for t in text)


def get_tts_wav(ref_wav_path, prompt_text, prompt_language, text, text_language, speed, inp_refs):
    """Runs after the 200 header is out (StreamingResponse), so errors cut the stream."""
    version = speaker_list["default"].version
    prompt_text = prompt_text.strip("\n")
    if prompt_text[-1] not in SPLITS:
        prompt_text += "。" if prompt_language != "en" else "."
    text = text.strip("\n")
    with model_lock:
        read_audio_info(ref_wav_path)  # librosa.load(ref_wav_path, sr=16000): no 3-10 s check here
        if version not in {"v3", "v4"} and inp_refs:
            for path in inp_refs:
                try:
                    getattr(path, "name")
                except Exception as exc:  # upstream reads `path.name` of plain strings
                    logger.error(str(exc))
        dict_language[prompt_language.lower()]
        text_language = dict_language[text_language.lower()]
        time.sleep(env_float("STANDIN_SYNTH_SECONDS", 0.0))
        spoken = "".join(t for t in text.split("\n") if not only_punc(t))
        sampwidth = 4 if is_int32 else 2
        sr = 32000 if version in {"v1", "v2", "v2Pro", "v2ProPlus"} else 24000 if version == "v3" else 48000
        audio = tone_pcm(speech_seconds(spoken, speed), sr, sampwidth) if spoken else b""
    if media_type == "wav":
        yield wav_bytes(audio, sr, sampwidth)
    else:
        yield pack_audio(audio, sr, media_type, sampwidth)


def handle_control(command):
    _handle_control(command, g_config.python_exec, sys.argv)


def handle_change(path, text, language):
    if is_empty(path, text, language):
        return JSONResponse({"code": 400, "message": '缺少任意一项以下参数: "path", "text", "language"'}, status_code=400)
    # upstream's `if x != "" or x is not None` is always true: all three are replaced
    default_refer.path, default_refer.text, default_refer.language = path, text, language
    logger.info(f"当前默认参考音频路径: {default_refer.path}")
    logger.info(f"当前默认参考音频文本: {default_refer.text}")
    logger.info(f"当前默认参考音频语种: {default_refer.language}")
    logger.info(f"is_ready: {default_refer.is_ready()}")
    return JSONResponse({"code": 0, "message": "Success"}, status_code=200)


def handle(refer_wav_path, prompt_text, prompt_language, text, text_language, cut_punc,
           top_k, top_p, temperature, speed, inp_refs, sample_steps, if_sr):
    if (
        refer_wav_path == "" or refer_wav_path is None
        or prompt_text == "" or prompt_text is None
        or prompt_language == "" or prompt_language is None
    ):
        refer_wav_path, prompt_text, prompt_language = default_refer.path, default_refer.text, default_refer.language
        if not default_refer.is_ready():
            return JSONResponse({"code": 400, "message": "未指定参考音频且接口无预设"}, status_code=400)
    if cut_punc is None:
        text = cut_text(text, default_cut_punc)
    else:
        text = cut_text(text, cut_punc)
    return StreamingResponse(
        get_tts_wav(refer_wav_path, prompt_text, prompt_language, text, text_language, speed, inp_refs),
        media_type="audio/" + media_type,
    )


dict_language = {
    "中文": "all_zh", "粤语": "all_yue", "英文": "en", "日文": "all_ja", "韩文": "all_ko",
    "中英混合": "zh", "粤英混合": "yue", "日英混合": "ja", "韩英混合": "ko", "多语种混合": "auto",
    "多语种混合(粤语)": "auto_yue", "all_zh": "all_zh", "all_yue": "all_yue", "en": "en",
    "all_ja": "all_ja", "all_ko": "all_ko", "zh": "zh", "yue": "yue", "ja": "ja", "ko": "ko",
    "auto": "auto", "auto_yue": "auto_yue",
}

g_config = Config()

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
args = parser.parse_args()
sovits_path = args.sovits_path
gpt_path = args.gpt_path
device = args.device
port = args.port
host = args.bind_addr
cnhubert_base_path = args.hubert_path
bert_path = args.bert_path
default_cut_punc = args.cut_punc

default_refer = DefaultRefer(args.default_refer_path, args.default_refer_text, args.default_refer_language)

if sovits_path == "":
    sovits_path = g_config.pretrained_sovits_path
    logger.warning(f"未指定SoVITS模型路径, fallback后当前值: {sovits_path}")
if gpt_path == "":
    gpt_path = g_config.pretrained_gpt_path
    logger.warning(f"未指定GPT模型路径, fallback后当前值: {gpt_path}")

if default_refer.path == "" or default_refer.text == "" or default_refer.language == "":
    default_refer.path, default_refer.text, default_refer.language = "", "", ""
    logger.info("未指定默认参考音频")
else:
    logger.info(f"默认参考音频路径: {default_refer.path}")
    logger.info(f"默认参考音频文本: {default_refer.text}")
    logger.info(f"默认参考音频语种: {default_refer.language}")

is_half = g_config.is_half
if args.full_precision:
    is_half = False
if args.half_precision:
    is_half = True
if args.full_precision and args.half_precision:
    is_half = g_config.is_half
logger.info(f"半精: {is_half}")

if args.stream_mode.lower() in ["normal", "n"]:
    stream_mode = "normal"
    logger.info("流式返回已开启")
else:
    stream_mode = "close"

if args.media_type.lower() in ["aac", "ogg"]:
    media_type = args.media_type.lower()
elif stream_mode == "close":
    media_type = "wav"
else:
    media_type = "ogg"
logger.info(f"编码格式: {media_type}")

if args.sub_type.lower() == "int32":
    is_int32 = True
    logger.info("数据类型: int32")
else:
    is_int32 = False
    logger.info("数据类型: int16")

# The models: BERT, CNHuBERT, then the voice. Stand-in: STANDIN_LOAD_SECONDS spread over them.
startup_seconds = env_float("STANDIN_LOAD_SECONDS", 1.0)
time.sleep(startup_seconds * 0.2)
transformers_dir_check(bert_path)  # AutoTokenizer.from_pretrained(bert_path)
time.sleep(startup_seconds * 0.1)
if not os.path.exists(cnhubert_base_path):  # cnhubert.get_model() -> CNHubert()
    raise FileNotFoundError(cnhubert_base_path)
transformers_dir_check(cnhubert_base_path)
load_seconds = startup_seconds * 0.7
change_gpt_sovits_weights(gpt_path=gpt_path, sovits_path=sovits_path)  # a failure here is swallowed
load_seconds = None
model_lock = threading.Lock()  # stand-in: one inference or swap at a time

app = FastAPI()


@app.post("/set_model")
def set_model(request: Request):
    json_post_raw = request.json()
    with model_lock:
        return change_gpt_sovits_weights(
            gpt_path=json_post_raw.get("gpt_model_path"), sovits_path=json_post_raw.get("sovits_model_path")
        )


@app.get("/set_model")
def set_model(gpt_model_path: str = None, sovits_model_path: str = None):  # noqa: F811 - upstream's twin
    with model_lock:
        return change_gpt_sovits_weights(gpt_path=gpt_model_path, sovits_path=sovits_model_path)


@app.post("/control")
def control(request: Request):
    json_post_raw = request.json()
    return handle_control(json_post_raw.get("command"))


@app.get("/control")
def control(command: str = None):  # noqa: F811 - upstream's twin
    return handle_control(command)


@app.post("/change_refer")
def change_refer(request: Request):
    json_post_raw = request.json()
    return handle_change(
        json_post_raw.get("refer_wav_path"), json_post_raw.get("prompt_text"), json_post_raw.get("prompt_language")
    )


@app.get("/change_refer")
def change_refer(refer_wav_path: str = None, prompt_text: str = None, prompt_language: str = None):  # noqa: F811
    return handle_change(refer_wav_path, prompt_text, prompt_language)


@app.post("/")
def tts_endpoint(request: Request):
    json_post_raw = request.json()
    return handle(
        json_post_raw.get("refer_wav_path"),
        json_post_raw.get("prompt_text"),
        json_post_raw.get("prompt_language"),
        json_post_raw.get("text"),
        json_post_raw.get("text_language"),
        json_post_raw.get("cut_punc"),
        json_post_raw.get("top_k", 15),
        json_post_raw.get("top_p", 1.0),
        json_post_raw.get("temperature", 1.0),
        json_post_raw.get("speed", 1.0),
        json_post_raw.get("inp_refs", []),
        json_post_raw.get("sample_steps", 32),
        json_post_raw.get("if_sr", False),
    )


@app.get("/")
def tts_endpoint(  # noqa: F811 - upstream's twin
    refer_wav_path: str = None,
    prompt_text: str = None,
    prompt_language: str = None,
    text: str = None,
    text_language: str = None,
    cut_punc: str = None,
    top_k: int = 15,
    top_p: float = 1.0,
    temperature: float = 1.0,
    speed: float = 1.0,
    inp_refs: list = Query(default=[]),
    sample_steps: int = 32,
    if_sr: bool = False,
):
    return handle(
        refer_wav_path, prompt_text, prompt_language, text, text_language, cut_punc,
        top_k, top_p, temperature, speed, inp_refs, sample_steps, if_sr,
    )


if __name__ == "__main__":
    uvicorn.run(app, host=host, port=port)
