"""Stand-in for GPT_SoVITS/TTS_infer_pack/TTS.py: `TTS_Config` and `TTS`, without torch.

TTS_Config    reads the `-c` yaml (PyYAML, FullLoader, as upstream) and rewrites it with
              `yaml.dump` (sorted keys, non-ASCII escaped) on every weight load; takes the
              model paths, device, precision and version from its `custom:` section; falls
              back to the preset of that version for a path that does not exist (printing
              "fall back to default ..."); creates a missing -c file from the presets.
              `init_t2s_weights` saves BEFORE loading, `init_vits_weights` after.
TTS           loads the four models in upstream's order (t2s, vits, bert, hubert) and fails
              the way torch/transformers would on a missing or broken file; reads the SoVITS
              version from the file head (process_ckpt.py); a Pro model needs the speaker
              model, a v3/v4 LoRA its base, v3/v4 their vocoder. `set_ref_audio` applies the
              3-10 s rule on the 16 kHz sample count; `run` makes the checks upstream makes
              before synthesis (asserts, "not exists", the reference cache), then answers a
              tone of plausible length.
"""

from __future__ import annotations

import os
import re
import time
from copy import deepcopy

import yaml

import standin_release
from standin_common import (
    AP_BWE, AUX_MISSING, BIGVGAN_DIR, NO_PATH, PROMPT_TEXT, REF_RANGE, SPLITS, SR_MODEL_MISSING, SV_PATH, VOCODER_V4,
    I18nAuto, env_float, first_use, inference_error, load_sovits_check, out, read_audio_info, record, samples_at_16k,
    sovits_file_version, speech_seconds, tone_pcm, torch_load_check, transformers_dir_check,
)

i18n = I18nAuto()

MODELS = "GPT_SoVITS/pretrained_models/"
VERSIONS = ("v1", "v2", "v3", "v4", "v2Pro", "v2ProPlus")
# The order in which the config block prints and the yaml stores a section.
SECTION_KEYS = (
    "device", "is_half", "version", "t2s_weights_path", "vits_weights_path", "bert_base_path", "cnhuhbert_base_path",
)
# (GPT, SoVITS) each version falls back to; BERT and HuBERT are shared.
_PRESET_WEIGHTS = {
    "v1": ("s1bert25hz-2kh-longer-epoch=68e-step=50232.ckpt", "s2G488k.pth"),
    "v2": ("gsv-v2final-pretrained/s1bert25hz-5kh-longer-epoch=12-step=369668.ckpt",
           "gsv-v2final-pretrained/s2G2333k.pth"),
    "v3": ("s1v3.ckpt", "s2Gv3.pth"),
    "v4": ("s1v3.ckpt", "gsv-v4-pretrained/s2Gv4.pth"),
    "v2Pro": ("s1v3.ckpt", "v2Pro/s2Gv2Pro.pth"),
    "v2ProPlus": ("s1v3.ckpt", "v2Pro/s2Gv2ProPlus.pth"),
}


def preset(version: str) -> dict:
    """The section upstream ships for `version`: CPU, full precision, its pretrained weights."""
    gpt, sovits = _PRESET_WEIGHTS[version]
    return dict(
        device="cpu",
        is_half=False,
        version=version,
        t2s_weights_path=MODELS + gpt,
        vits_weights_path=MODELS + sovits,
        bert_base_path=MODELS + "chinese-roberta-wwm-ext-large",
        cnhuhbert_base_path=MODELS + "chinese-hubert-base",
    )


V1_LANGS = ["auto", "en", "zh", "ja", "all_zh", "all_ja"]
V2_LANGS = ["auto", "auto_yue", "en", "zh", "ja", "yue", "ko", "all_zh", "all_ja", "all_yue", "all_ko"]


def languages_of(version: str) -> list:
    return V1_LANGS if version == "v1" else V2_LANGS


class TTS_Config:  # noqa: N801 - upstream's name
    default_configs = {v: preset(v) for v in VERSIONS}
    configs: dict = None
    languages: list = V2_LANGS

    def __init__(self, configs: dict | str = None):
        folder = "GPT_SoVITS/configs/"
        os.makedirs(folder, exist_ok=True)
        self.configs_path = os.path.join(folder, "tts_infer.yaml")
        data = self._initial(configs)
        assert isinstance(data, dict)
        merged = {**deepcopy(self.default_configs), **data}
        self.default_configs = deepcopy(merged)
        release = standin_release.facts()
        if release["yaml_version"] == "top":
            # up to 20250606v2pro: the top-level key, lower-cased; `custom` holds only paths
            version = str(data.get("version", "v2")).lower()
            assert version in release["yaml_top_versions"]
            self.configs = merged.get("custom", merged[version])
        else:
            self.configs = merged.get("custom", merged["v2"])
            version = self.configs.get("version", None)

        self.device = self.configs.get("device", "cpu")
        if "cuda" in str(self.device) and not standin_release.quirk("cuda_crash"):
            out("Warning: CUDA is not available, set device to CPU.")  # the stand-in never has CUDA
            self.device = "cpu"
        self.is_half = self.configs.get("is_half", False)
        if self.is_half and str(self.device) == "cpu" and not standin_release.quirk("half_on_cpu"):
            out("Warning: Half precision is not supported on CPU, set is_half to False.")
            self.is_half = False

        self.version = version
        assert self.version in VERSIONS, "Invalid version!"
        self.languages = languages_of(self.version)
        self.use_vocoder = False
        for key in ("t2s_weights_path", "vits_weights_path", "bert_base_path", "cnhuhbert_base_path"):
            self._path_or_preset(key)
        self.update_configs()
        self.sampling_rate = 32000

    def _initial(self, configs) -> dict:
        """The configuration to start from: a dict as given, a yaml file, or the presets."""
        if isinstance(configs, str) and configs:
            self.configs_path = configs
            return self._load_configs(configs)
        if not configs:
            if not os.path.exists(self.configs_path):
                self.save_configs()
                out(f"Create default config file at {self.configs_path}")
            return deepcopy(self.default_configs)
        return configs

    def _path_or_preset(self, key: str) -> None:
        """A missing or empty model path falls back to the version's preset, with upstream's line."""
        value = self.configs.get(key, None)
        if not value or not os.path.exists(value):
            value = self.default_configs[self.version][key]
            out(f"fall back to default {key}: {value}")
        setattr(self, key, value)

    def _load_configs(self, configs_path: str) -> dict:
        if not os.path.exists(configs_path):
            out(i18n(NO_PATH))
            self.save_configs(configs_path)
        with open(configs_path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=yaml.FullLoader)

    def save_configs(self, configs_path=None):
        data = deepcopy(self.default_configs)
        if self.configs is not None:
            data["custom"] = self.update_configs()
        target = configs_path or self.configs_path
        with open(target, "w") as fh:  # the locale's encoding: yaml.dump escapes non-ASCII anyway
            yaml.dump(data, fh)
        record("save_config", path=os.path.abspath(target), custom=data.get("custom"))

    def update_configs(self) -> dict:
        self.config = {key: getattr(self, key) for key in SECTION_KEYS}
        self.config["device"] = str(self.device)
        return self.config

    def update_version(self, version: str) -> None:
        self.version = version
        if not standin_release.quirk("languages_stay"):  # 20240821v2 kept the list of the yaml's version
            self.languages = languages_of(version)

    def __str__(self) -> str:
        self.configs = self.update_configs()
        lines = ["TTS Config".center(100, "-")]
        lines += [f"{key.ljust(20)}: {value}" for key, value in self.configs.items()]
        return "\n".join(lines + ["-" * 100, ""])


class NO_PROMPT_ERROR(Exception):  # noqa: N801 - upstream's name
    pass


class TTS:
    def __init__(self, configs: TTS_Config):
        self.configs = configs
        self.sv_loaded = False
        self.half_switched = None  # a failed v3/v4 swap that already changed the version (why runs fail)
        # "sv": the cached reference has the speaker embedding a Pro model needs
        self.prompt_cache: dict = {"ref_audio_path": None, "refer_spec": [], "aux_ref_audio_paths": [], "sv": False}
        # STANDIN_LOAD_SECONDS is spread over the four models; later swaps take STANDIN_SWAP_SECONDS.
        self._load_seconds = env_float("STANDIN_LOAD_SECONDS", 1.0)
        self.init_t2s_weights(configs.t2s_weights_path, share=0.4)
        self.init_vits_weights(configs.vits_weights_path, share=0.3)
        self.init_bert_weights(configs.bert_base_path, share=0.2)
        self.init_cnhuhbert_weights(configs.cnhuhbert_base_path, share=0.1)
        self._load_seconds = None

    def _pretend_loading(self, share: float) -> None:
        seconds = env_float("STANDIN_SWAP_SECONDS", 0.0) / 2 if self._load_seconds is None else self._load_seconds * share
        time.sleep(seconds)

    def init_t2s_weights(self, weights_path: str, share: float = 0.0) -> None:
        out(f"Loading Text2Semantic weights from {weights_path}")
        self.configs.t2s_weights_path = weights_path
        self.configs.save_configs()
        self._pretend_loading(share)
        _recorded("load_gpt", weights_path, lambda: self._load_t2s(weights_path))

    def _load_t2s(self, weights_path: str) -> None:
        torch_load_check(weights_path)
        if "cuda" in str(self.configs.device):  # releases that do not fall back to the CPU
            raise AssertionError("Torch not compiled with CUDA enabled")

    def init_vits_weights(self, weights_path: str, share: float = 0.0) -> None:
        _recorded("load_sovits", weights_path, lambda: self._load_vits(weights_path, share),
                  lambda: {"version": self.configs.version})

    def _load_vits(self, weights_path: str, share: float) -> None:
        self.configs.vits_weights_path = weights_path
        _symbols, model_version, lora = sovits_file_version(weights_path)
        if model_version.startswith("v2Pro") and not self.sv_loaded:
            torch_load_check(SV_PATH)  # the speaker-verification model, loaded once
            self.sv_loaded = True
        base = self.configs.default_configs[model_version]["vits_weights_path"]
        if lora and not os.path.exists(base):
            raise FileNotFoundError(base + i18n("SoVITS %s 底模缺失，无法加载相应 LoRA 权重" % model_version))
        self._pretend_loading(share)
        from_weights = load_sovits_check(weights_path)
        if model_version in ("v1", "v2"):
            model_version = from_weights  # upstream trusts the text embedding over the head
        self.configs.update_version(model_version)
        self.half_switched = None
        try:
            self._vocoder(model_version)
        except Exception as exc:
            if standin_release.quirk("vocoder_switch_breaks"):
                self.half_switched = f"{type(exc).__name__}: {exc}"  # version changed, model did not
            raise
        if lora:
            out(f"Loading VITS pretrained weights from {base}. <All keys matched successfully>")
            out(f"Loading LoRA weights from {weights_path}. <All keys matched successfully>")
        else:
            out(f"Loading VITS weights from {weights_path}. <All keys matched successfully>")
        self.configs.save_configs()

    def _vocoder(self, version: str) -> None:
        """v3 speaks through BigVGAN at 24 kHz, v4 through its own vocoder at 48 kHz, the rest at 32 kHz."""
        self.configs.use_vocoder = version in ("v3", "v4")
        if version == "v3":
            transformers_dir_check(os.path.join(os.getcwd(), BIGVGAN_DIR))
            self.configs.sampling_rate = 24000
        elif version == "v4":
            torch_load_check(os.path.join(os.getcwd(), VOCODER_V4))
            self.configs.sampling_rate = 48000
        else:
            self.configs.sampling_rate = 32000

    def init_bert_weights(self, base_path: str, share: float = 0.0) -> None:
        out(f"Loading BERT weights from {base_path}")
        self._pretend_loading(share)
        transformers_dir_check(base_path)

    def init_cnhuhbert_weights(self, base_path: str, share: float = 0.0) -> None:
        out(f"Loading CNHuBERT weights from {base_path}")
        self._pretend_loading(share)
        if not os.path.exists(base_path):
            raise FileNotFoundError(base_path)
        transformers_dir_check(base_path)

    def set_ref_audio(self, ref_audio_path: object) -> None:
        frames, rate, _channels = read_audio_info(ref_audio_path)  # librosa.load(ref, sr=16000)
        if not 48000 <= samples_at_16k(frames, rate) <= 160000:
            raise OSError(i18n(REF_RANGE))
        self.prompt_cache["ref_audio_path"] = ref_audio_path
        self.prompt_cache["refer_spec"] = [ref_audio_path]
        self.prompt_cache["sv"] = self.configs.version.startswith("v2Pro")

    def run(self, inputs: dict) -> tuple[int, bytes]:
        """The checks upstream's run makes before synthesis, then (sample rate, a tone).

        Upstream's run is a generator; this one works at once, and api_v2's streaming
        answer calls it only once the 200 is out, as upstream's generator runs then.
        """
        get = inputs.get
        text, text_lang, prompt_lang = get("text", ""), get("text_lang", ""), get("prompt_lang", "")
        prompt_text, ref = get("prompt_text", ""), get("ref_audio_path", "")
        has_prompt = prompt_text not in (None, "")
        assert text_lang in self.configs.languages
        if has_prompt:
            assert prompt_lang in self.configs.languages
        elif self.configs.use_vocoder:
            raise NO_PROMPT_ERROR("prompt_text cannot be empty when using SoVITS_V3")
        if ref in (None, "") and not self.prompt_cache["refer_spec"]:
            raise ValueError("ref_audio_path cannot be empty, when the reference audio is not set using set_ref_audio()")
        if ref is not None and ref != self.prompt_cache["ref_audio_path"]:
            if not os.path.exists(ref):
                raise ValueError(f"{ref} not exists")
            self.set_ref_audio(ref)
        aux = get("aux_ref_audio_paths", [])
        self._check_aux_refs(aux if aux is not None else [])
        if has_prompt:
            prompt_text = prompt_text.strip("\n")
            if prompt_text and prompt_text[-1] not in SPLITS:
                prompt_text += "." if prompt_lang == "en" else "。"
            out(i18n(PROMPT_TEXT), prompt_text)
        first_use(text_lang)
        time.sleep(env_float("STANDIN_SYNTH_SECONDS", 0.0))
        silence = standin_release.facts()["silence_rate"]
        if not re.sub(r"\W+", "", text or ""):  # nothing left to say: 1 s of silence
            return silence, tone_pcm(1.0, silence, silent=True)
        try:  # upstream's inference `try`: an error is printed and answered with 1 s of zeros
            rate, seconds = self._synthesize(ref, get)
        except Exception as exc:
            inference_error(exc)
            return silence, tone_pcm(1.0, silence, silent=True)
        return rate, tone_pcm(seconds, rate)

    def _synthesize(self, ref, get) -> tuple[int, float]:
        """(rate, seconds) of the answer, or the error this release's inference would end with."""
        if self.half_switched:
            raise RuntimeError(f"the model of {self.configs.version} was never loaded ({self.half_switched})")
        if self.configs.is_half and str(self.configs.device) == "cpu":
            raise RuntimeError("\"LayerNormKernelImpl\" not implemented for 'Half'")
        if self.configs.version.startswith("v2Pro") and not self.prompt_cache["sv"]:
            if standin_release.quirk("pro_switch_cache"):  # the cached reference has no speaker embedding
                raise AttributeError("'NoneType' object has no attribute 'to'")
            self.prompt_cache["sv"] = True  # later releases compute it now
        rate = self.configs.sampling_rate
        seconds = speech_seconds(get("text", ""), get("speed_factor", 1.0))
        if get("super_sampling", False) and self.configs.version == "v3":
            if os.path.exists(AP_BWE):
                rate = 48000
            else:
                out(SR_MODEL_MISSING)
                if standin_release.quirk("super_sampling_silence"):
                    raise AttributeError("'Tensor' object has no attribute 'astype'")
        return rate, seconds

    def _check_aux_refs(self, paths: list) -> None:
        if paths == self.prompt_cache["aux_ref_audio_paths"]:
            return
        self.prompt_cache["aux_ref_audio_paths"] = paths
        for path in paths:
            if path in (None, ""):
                continue
            if os.path.exists(path):
                read_audio_info(path)
            else:
                out(i18n(AUX_MISSING), path)


def _recorded(event: str, path: str, load, extra=lambda: {}) -> None:
    """Run one model load and note its outcome in the request log."""
    try:
        load()
    except Exception as exc:
        record(event, path=path, ok=False, error=f"{type(exc).__name__}: {exc}")
        raise
    record(event, path=path, ok=True, **extra())
