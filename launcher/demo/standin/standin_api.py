"""Stand-in for GPT-SoVITS's api.py, v1 (see standin_common.py for what the stand-ins are).

The package's api.py (written per release by launcher/demo/releases.py) declares the
release's GET / parameters and imports this module, which does what upstream's script does.
Mirrors: the argparse flags, names and defaults (`-a` 0.0.0.0, `-p` from config.py);
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

import standin_common
import standin_release
import standin_uvicorn as uvicorn
from standin_common import (
    AP_BWE, BIGVGAN_DIR, SPLITS, SV_PATH, VOCODER_V4, SR_MODEL_MISSING, env_float, first_use, load_sovits_check,
    pack_audio, read_audio_info, record, sovits_file_version, speech_seconds, tone_pcm, torch_load_check,
    transformers_dir_check, wav_bytes,
)
from standin_common import handle_control as _handle_control
from standin_fastapi import FastAPI, JSONResponse, Request, StreamingResponse

standin_common.started("v1")
logger = uvicorn.logger  # logging.getLogger("uvicorn")

MODELS = "GPT_SoVITS/pretrained_models/"
# Where each version's base model lives when config.py does not say (v3/v4 LoRA load on top of it).
BASE_MODELS = {
    "v1": MODELS + "s2G488k.pth",
    "v2": MODELS + "gsv-v2final-pretrained/s2G2333k.pth",
    "v3": MODELS + "s2Gv3.pth",
    "v4": MODELS + "gsv-v4-pretrained/s2Gv4.pth",
    "v2Pro": MODELS + "v2Pro/s2Gv2Pro.pth",
    "v2ProPlus": MODELS + "v2Pro/s2Gv2ProPlus.pth",
}
# config.py setting -> the value api.py gets when config.py does not bind it
CONFIG_DEFAULTS = {
    "sovits_path": "",
    "gpt_path": "",
    "cnhubert_path": MODELS + "chinese-hubert-base",
    "bert_path": MODELS + "chinese-roberta-wwm-ext-large",
    "pretrained_sovits_path": MODELS + "s2G488k.pth",
    "pretrained_gpt_path": MODELS + "s1bert25hz-2kh-longer-epoch=68e-step=50232.ckpt",
    "api_port": 9880,
    "pretrained_sovits_name": BASE_MODELS,
}


def _config_source():
    """`import config` finds config.py beside the script, else in the working directory."""
    script_dir = os.path.dirname(os.path.abspath(sys.argv[0] or "."))
    for folder in (script_dir, os.getcwd()):
        candidate = os.path.join(folder, "config.py")
        if os.path.isfile(candidate):
            return candidate
    raise ModuleNotFoundError("No module named 'config'", name="config")


def _literal_assignments(path):
    """Every module-level `name = <literal>` (or annotated) of a Python file, evaluated safely."""
    with open(path, "rb") as fh:
        tree = ast.parse(fh.read(), filename=path)
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names = [node.target.id]
        else:
            continue
        try:
            value = ast.literal_eval(node.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        found.update(dict.fromkeys(names, value))
    return found


class Config:
    """What api.py reads from `config.Config()`; torch's GPU choice is always the CPU here."""

    def __init__(self):
        values = {**CONFIG_DEFAULTS, **_literal_assignments(_config_source())}
        for name in CONFIG_DEFAULTS:
            setattr(self, name, values[name])
        self.is_half = False
        self.infer_device = "cpu"
        self.python_exec = sys.executable or "python"


def blank(value):
    return value is None or value == ""


class DefaultRefer:
    """The reference given at start-up (-dr/-dt/-dl); usable only when all three are set."""

    def __init__(self, path, text, language):
        self.path, self.text, self.language = path, text, language

    def is_ready(self):
        return not any(blank(v) for v in (self.path, self.text, self.language))


class Speaker:
    def __init__(self, name, gpt, version, broken=None):
        self.name, self.gpt = name, gpt
        self.version = version  # upstream keeps the model's hps; its version is what matters here
        self.broken = broken  # stand-in: the error its first request ends with (a model built wrong)


speaker_list = {}
sv_cn_loaded = False
load_seconds = None  # stand-in: set while the models load at start-up (STANDIN_LOAD_SECONDS)


def get_sovits_weights(sovits_path):
    """(model version, the error its requests will end with or None); raises when it cannot load."""
    global sv_cn_loaded
    _symbols, model_version, lora = sovits_file_version(sovits_path)
    if lora:
        base = g_config.pretrained_sovits_name.get(model_version, BASE_MODELS[model_version])
        if not os.path.exists(base):
            logger.info("SoVITS %s 底模缺失，无法加载相应 LoRA 权重" % model_version)
    from_weights = load_sovits_check(sovits_path)
    broken = None
    if not standin_release.loads("v1", model_version):
        if model_version.startswith("v2Pro") and standin_release.quirk("pro_as_v2"):
            # built as a v2 model: it loads, and the speaker embedding breaks the first request
            model_version = "v2"
            broken = "RuntimeError: The size of tensor a (1024) must match the size of tensor b (512)"
        else:  # a v4 LoRA goes into the v2 model class, which has no flow-matching part
            raise AttributeError("'SynthesizerTrn' object has no attribute 'cfm'")
    if model_version in ("v1", "v2"):
        model_version = from_weights if broken is None else model_version
    elif model_version.startswith("v2Pro"):
        if not sv_cn_loaded:
            torch_load_check(SV_PATH)  # the speaker-verification model, loaded once
            sv_cn_loaded = True
    elif model_version == "v3":
        transformers_dir_check(os.path.join(os.getcwd(), BIGVGAN_DIR))
    else:
        torch_load_check(os.path.join(os.getcwd(), VOCODER_V4))
    if lora:  # the base is read the same way (its head put back to "PK" first)
        load_sovits_check(g_config.pretrained_sovits_name.get(model_version, BASE_MODELS[model_version]))
    logger.info(f"模型版本: {model_version}")
    return model_version, broken


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
    record(event, path=path, ok=True, **({"version": result[0]} if event == "load_sovits" else {}))
    return result


def change_gpt_sovits_weights(gpt_path, sovits_path):
    """Load both, then swap the speaker; any error is answered (400), never raised."""
    delay = load_seconds if load_seconds is not None else env_float("STANDIN_SWAP_SECONDS", 0.0)
    try:
        time.sleep(delay * 0.55)
        gpt = _loaded("load_gpt", gpt_path, get_gpt_weights)
        time.sleep(delay * 0.45)
        version, broken = _loaded("load_sovits", sovits_path, get_sovits_weights)
    except Exception as e:
        return JSONResponse({"code": 400, "message": str(e)}, status_code=400)
    speaker_list["default"] = Speaker(name="default", gpt=gpt, version=version, broken=broken)
    return JSONResponse({"code": 0, "message": "Success"}, status_code=200)


CUT_PUNCTUATION = set(",.;?!、，。？！；：…")


def cut_text(text, punc):
    """One line per piece: the text is split after each of the given punctuation marks."""
    marks = "".join(p for p in punc if p in CUT_PUNCTUATION)
    if marks:
        pieces = re.split("([" + re.escape(marks) + "])", text.strip("\n"))
        text = "\n".join(a + b for a, b in zip(pieces[::2], pieces[1::2] + [""]))
    return re.sub("\n+", "\n", text)


def only_punc(text):
    return not any(ch.isalnum() or ch.isalpha() for ch in text)


def get_tts_wav(ref_wav_path, prompt_text, prompt_language, text, text_language, speed, inp_refs, if_sr=False):
    """Runs after the 200 header is out (StreamingResponse), so errors cut the stream."""
    speaker = speaker_list["default"]
    version = speaker.version
    prompt_text = prompt_text.strip("\n")
    if prompt_text[-1] not in SPLITS:
        prompt_text += "." if prompt_language == "en" else "。"
    with model_lock:
        read_audio_info(ref_wav_path)  # librosa.load(ref_wav_path, sr=16000): no 3-10 s check here
        if version not in ("v3", "v4"):
            for ref in inp_refs or []:
                try:
                    ref.name  # upstream expects uploaded files here and logs what a string lacks
                except Exception as exc:
                    logger.error(str(exc))
        dict_language[prompt_language.lower()]  # an unknown language fails here, inside the stream
        first_use(dict_language[text_language.lower()])
        time.sleep(env_float("STANDIN_SYNTH_SECONDS", 0.0))
        if speaker.broken:
            raise RuntimeError(speaker.broken.split(": ", 1)[1])
        spoken = "".join(line for line in text.strip("\n").split("\n") if not only_punc(line))
        width = 4 if is_int32 else 2
        rate = {"v3": 24000, "v4": 48000}.get(version, 32000)
        pcm = tone_pcm(speech_seconds(spoken, speed), rate, width) if spoken else b""
        if if_sr and version == "v3":
            rate, pcm = _super_sample(pcm, rate, width)
    yield wav_bytes(pcm, rate, width) if media_type == "wav" else pack_audio(pcm, rate, media_type, width)


def _super_sample(pcm, rate, width):
    """if_sr: 24 kHz -> 48 kHz through the AP_BWE model; without it the audio stays at 24 kHz
    and upstream packs it as 48 kHz all the same (double speed)."""
    if os.path.exists(AP_BWE):
        return 48000, tone_pcm(len(pcm) / width / rate, 48000, width)
    logger.info(SR_MODEL_MISSING)
    return (48000 if standin_release.quirk("if_sr_mislabel") else rate), pcm


def handle_control(command):
    _handle_control(command, g_config.python_exec, sys.argv)


def handle_change(path, text, language):
    if all(blank(v) for v in (path, text, language)):
        return JSONResponse({"code": 400, "message": '缺少任意一项以下参数: "path", "text", "language"'}, status_code=400)
    # upstream's test for "given" is always true: all three are replaced, blanks included
    default_refer.path, default_refer.text, default_refer.language = path, text, language
    for label, value in (("路径", path), ("文本", text), ("语种", language)):
        logger.info(f"当前默认参考音频{label}: {value}")
    logger.info(f"is_ready: {default_refer.is_ready()}")
    return JSONResponse({"code": 0, "message": "Success"}, status_code=200)


def handle(refer_wav_path, prompt_text, prompt_language, text, text_language, cut_punc,
           top_k, top_p, temperature, speed, inp_refs, sample_steps, if_sr):
    if any(blank(v) for v in (refer_wav_path, prompt_text, prompt_language)):
        refer_wav_path, prompt_text, prompt_language = default_refer.path, default_refer.text, default_refer.language
        if not default_refer.is_ready():
            return JSONResponse({"code": 400, "message": "未指定参考音频且接口无预设"}, status_code=400)
    text = cut_text(text, default_cut_punc if cut_punc is None else cut_punc)
    return StreamingResponse(
        get_tts_wav(refer_wav_path, prompt_text, prompt_language, text, text_language, speed, inp_refs, if_sr),
        media_type="audio/" + media_type,
    )


# Language names api.py accepts: the WebUI's labels and the codes, all mapped to codes.
dict_language = {
    "中文": "all_zh", "粤语": "all_yue", "英文": "en", "日文": "all_ja", "韩文": "all_ko",
    "中英混合": "zh", "粤英混合": "yue", "日英混合": "ja", "韩英混合": "ko", "多语种混合": "auto",
    "多语种混合(粤语)": "auto_yue",
}
dict_language.update({code: code for code in set(dict_language.values())})

g_config = Config()

cli = argparse.ArgumentParser(description="GPT-SoVITS api")
for flags, default, help_text in (
    (("-s", "--sovits_path"), g_config.sovits_path, "SoVITS weights to load"),
    (("-g", "--gpt_path"), g_config.gpt_path, "GPT weights to load"),
    (("-dr", "--default_refer_path"), "", "reference audio used when a request names none"),
    (("-dt", "--default_refer_text"), "", "what the default reference says"),
    (("-dl", "--default_refer_language"), "", "language of the default reference"),
    (("-d", "--device"), g_config.infer_device, "torch device: cuda or cpu"),
    (("-a", "--bind_addr"), "0.0.0.0", "address to listen on"),
    (("-p", "--port"), g_config.api_port, "port to listen on"),
    (("-sm", "--stream_mode"), "close", "close, normal or keepalive"),
    (("-mt", "--media_type"), "wav", "wav, ogg or aac"),
    (("-st", "--sub_type"), "int16", "int16 or int32 samples"),
    (("-cp", "--cut_punc"), "", "punctuation the text is cut at"),
    (("-hb", "--hubert_path"), g_config.cnhubert_path, "CNHuBERT folder"),
    (("-b", "--bert_path"), g_config.bert_path, "BERT folder"),
):
    cli.add_argument(*flags, type=int if flags[0] == "-p" else str, default=default, help=help_text)
cli.add_argument("-fp", "--full_precision", action="store_true", default=False, help="force fp32")
cli.add_argument("-hp", "--half_precision", action="store_true", default=False, help="force fp16")
args = cli.parse_args()
sovits_path, gpt_path = args.sovits_path, args.gpt_path
device, port, host = args.device, args.port, args.bind_addr
cnhubert_base_path, bert_path = args.hubert_path, args.bert_path
default_cut_punc = args.cut_punc

default_refer = DefaultRefer(args.default_refer_path, args.default_refer_text, args.default_refer_language)



def _or_pretrained(given, pretrained, label):
    """No weights given: the pretrained ones, said as a warning."""
    if given:
        return given
    logger.warning(f"未指定{label}模型路径, fallback后当前值: {pretrained}")
    return pretrained


sovits_path = _or_pretrained(sovits_path, g_config.pretrained_sovits_path, "SoVITS")
gpt_path = _or_pretrained(gpt_path, g_config.pretrained_gpt_path, "GPT")

if default_refer.is_ready():
    for label, value in (("路径", default_refer.path), ("文本", default_refer.text), ("语种", default_refer.language)):
        logger.info(f"默认参考音频{label}: {value}")
else:
    default_refer = DefaultRefer("", "", "")
    logger.info("未指定默认参考音频")

# -fp and -hp each override config.py's choice; both together cancel out.
is_half = g_config.is_half if args.full_precision == args.half_precision else args.half_precision
logger.info(f"半精: {is_half}")

stream_mode = "normal" if args.stream_mode.lower() in ("normal", "n") else "close"
if stream_mode == "normal":
    logger.info("流式返回已开启")
if args.media_type.lower() in ("aac", "ogg"):
    media_type = args.media_type.lower()
else:
    media_type = "wav" if stream_mode == "close" else "ogg"
logger.info(f"编码格式: {media_type}")

is_int32 = args.sub_type.lower() == "int32"
logger.info("数据类型: " + ("int32" if is_int32 else "int16"))

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


def _json(request, *names):
    body = request.json()
    return [body.get(name) for name in names]


@app.post("/set_model")
def set_model(request: Request):
    gpt, sovits = _json(request, "gpt_model_path", "sovits_model_path")
    with model_lock:
        return change_gpt_sovits_weights(gpt_path=gpt, sovits_path=sovits)


@app.get("/set_model")
def set_model(gpt_model_path: str = None, sovits_model_path: str = None):  # noqa: F811 - upstream's twin
    with model_lock:
        return change_gpt_sovits_weights(gpt_path=gpt_model_path, sovits_path=sovits_model_path)


@app.post("/control")
def control(request: Request):
    return handle_control(*_json(request, "command"))


@app.get("/control")
def control(command: str = None):  # noqa: F811 - upstream's twin
    return handle_control(command)


@app.post("/change_refer")
def change_refer(request: Request):
    return handle_change(*_json(request, "refer_wav_path", "prompt_text", "prompt_language"))


@app.get("/change_refer")
def change_refer(refer_wav_path: str = None, prompt_text: str = None, prompt_language: str = None):  # noqa: F811
    return handle_change(refer_wav_path, prompt_text, prompt_language)


def handle_query(query: dict):
    """GET /: the parameters api.py declares for this release (the rest take handle's defaults)."""
    return handle(*(query.get(name, default) for name, _kind, default in COMMON_QUERY + STEPS_QUERY))


@app.post("/")
def tts_endpoint(request: Request):
    """POST /: the same names, from the JSON body; this release reads only its own."""
    body = request.json()
    read = {name for name, _kind, _default in standin_release.facts().get("v1_fields", COMMON_QUERY + STEPS_QUERY)}
    return handle(*(body.get(name, default) if name in read else default
                    for name, _kind, default in COMMON_QUERY + STEPS_QUERY))


# What handle() takes, in its order, with the defaults api.py gives a missing value.
COMMON_QUERY = (
    ("refer_wav_path", "str", None), ("prompt_text", "str", None), ("prompt_language", "str", None),
    ("text", "str", None), ("text_language", "str", None), ("cut_punc", "str", None), ("top_k", "int", 15),
    ("top_p", "float", 1.0), ("temperature", "float", 1.0), ("speed", "float", 1.0), ("inp_refs", "list", []),
)
STEPS_QUERY = (("sample_steps", "int", 32), ("if_sr", "bool", False))


def serve():
    uvicorn.run(app, host=host, port=port)
