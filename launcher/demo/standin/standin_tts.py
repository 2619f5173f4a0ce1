"""Stand-in for GPT_SoVITS/TTS_infer_pack/TTS.py: `TTS_Config` and `TTS`, no torch.

TTS_Config    `__init__`, `_load_configs`, `save_configs`, `update_configs`, `__str__`: the
              `custom:` section, fall-backs to default paths that do not exist, the CPU
              warnings, "Invalid version!"; a missing -c file is created with the defaults;
              the yaml is read with yaml.load(FullLoader) and rewritten with yaml.dump (sorted
              keys, non-ASCII as \\u escapes) on every weight load: `init_t2s_weights` saves
              BEFORE loading, `init_vits_weights` after.
TTS           `init_t2s_weights`, `init_vits_weights` (process_ckpt.py version detection,
              torch.load failure modes, Pro needs sv/pretrained_eres2netv2w24s4ep4.ckpt,
              a v3/v4 LoRA needs its base), `init_bert_weights`, cnhubert.py `CNHubert`,
              `set_ref_audio` / `_set_prompt_semantic` (16 kHz sample count outside
              [48000, 160000] -> OSError(i18n("参考音频在3~10秒范围外，请更换！"))), and what
              `run` checks before synthesis (asserts, "not exists", the reference cache).
"""

from __future__ import annotations

import os
import re
import time
from copy import deepcopy

import yaml

from standin_common import (
    AUX_MISSING, BIGVGAN_DIR, NO_PATH, PROMPT_TEXT, REF_RANGE, SPLITS, SV_PATH, VOCODER_V4, I18nAuto,
    env_float, load_sovits_check, out, read_audio_info, record, samples_at_16k, sovits_version_fast,
    speech_seconds, tone_pcm, torch_load_check, transformers_dir_check,
)

i18n = I18nAuto()

_BERT = "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large"
_HUBERT = "GPT_SoVITS/pretrained_models/chinese-hubert-base"


def _defaults(version: str, t2s: str, vits: str) -> dict:
    return {"device": "cpu", "is_half": False, "version": version, "t2s_weights_path": t2s,
            "vits_weights_path": vits, "cnhuhbert_base_path": _HUBERT, "bert_base_path": _BERT}


class TTS_Config:  # noqa: N801 - upstream's name
    default_configs = {
        "v1": _defaults("v1", "GPT_SoVITS/pretrained_models/s1bert25hz-2kh-longer-epoch=68e-step=50232.ckpt",
                        "GPT_SoVITS/pretrained_models/s2G488k.pth"),
        "v2": _defaults("v2", "GPT_SoVITS/pretrained_models/gsv-v2final-pretrained/s1bert25hz-5kh-longer-epoch=12-step=369668.ckpt",
                        "GPT_SoVITS/pretrained_models/gsv-v2final-pretrained/s2G2333k.pth"),
        "v3": _defaults("v3", "GPT_SoVITS/pretrained_models/s1v3.ckpt", "GPT_SoVITS/pretrained_models/s2Gv3.pth"),
        "v4": _defaults("v4", "GPT_SoVITS/pretrained_models/s1v3.ckpt",
                        "GPT_SoVITS/pretrained_models/gsv-v4-pretrained/s2Gv4.pth"),
        "v2Pro": _defaults("v2Pro", "GPT_SoVITS/pretrained_models/s1v3.ckpt",
                           "GPT_SoVITS/pretrained_models/v2Pro/s2Gv2Pro.pth"),
        "v2ProPlus": _defaults("v2ProPlus", "GPT_SoVITS/pretrained_models/s1v3.ckpt",
                               "GPT_SoVITS/pretrained_models/v2Pro/s2Gv2ProPlus.pth"),
    }
    configs: dict = None
    v1_languages: list = ["auto", "en", "zh", "ja", "all_zh", "all_ja"]
    v2_languages: list = ["auto", "auto_yue", "en", "zh", "ja", "yue", "ko", "all_zh", "all_ja", "all_yue", "all_ko"]
    languages: list = v2_languages

    def __init__(self, configs: dict | str = None):
        configs_base_path = "GPT_SoVITS/configs/"
        os.makedirs(configs_base_path, exist_ok=True)
        self.configs_path = os.path.join(configs_base_path, "tts_infer.yaml")

        if configs in ["", None]:
            if not os.path.exists(self.configs_path):
                self.save_configs()
                out(f"Create default config file at {self.configs_path}")
            configs = deepcopy(self.default_configs)

        if isinstance(configs, str):
            self.configs_path = configs
            configs = self._load_configs(self.configs_path)

        assert isinstance(configs, dict)
        configs_ = deepcopy(self.default_configs)
        configs_.update(configs)
        self.configs = configs_.get("custom", configs_["v2"])
        self.default_configs = deepcopy(configs_)

        self.device = self.configs.get("device", "cpu")
        if "cuda" in str(self.device):  # torch.cuda.is_available(): never here
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
        self.languages = self.v1_languages if self.version == "v1" else self.v2_languages
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
            out(i18n(NO_PATH))
            self.save_configs(configs_path)
        with open(configs_path, "r", encoding="utf-8") as f:
            configs = yaml.load(f, Loader=yaml.FullLoader)
        return configs

    def save_configs(self, configs_path: str = None) -> None:
        configs = deepcopy(self.default_configs)
        if self.configs is not None:
            configs["custom"] = self.update_configs()
        if configs_path is None:
            configs_path = self.configs_path
        with open(configs_path, "w") as f:  # the locale's encoding: yaml.dump writes ASCII only
            yaml.dump(configs, f)
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
        self.languages = self.v1_languages if self.version == "v1" else self.v2_languages

    def __str__(self) -> str:
        self.configs = self.update_configs()
        string = "TTS Config".center(100, "-") + "\n"
        for k, v in self.configs.items():
            string += f"{str(k).ljust(20)}: {str(v)}\n"
        string += "-" * 100 + "\n"
        return string


class NO_PROMPT_ERROR(Exception):  # noqa: N801 - upstream's name
    pass


class TTS:
    def __init__(self, configs: TTS_Config):
        self.configs = configs
        self.sv_loaded = False
        self.prompt_cache: dict = {"ref_audio_path": None, "refer_spec": [], "aux_ref_audio_paths": []}
        # Stand-in: STANDIN_LOAD_SECONDS spread over the four models; later swaps take STANDIN_SWAP_SECONDS.
        self._load_seconds = env_float("STANDIN_LOAD_SECONDS", 1.0)
        self.init_t2s_weights(configs.t2s_weights_path, share=0.4)
        self.init_vits_weights(configs.vits_weights_path, share=0.3)
        self.init_bert_weights(configs.bert_base_path, share=0.2)
        self.init_cnhuhbert_weights(configs.cnhuhbert_base_path, share=0.1)
        self._load_seconds = None

    def _pretend_loading(self, share: float) -> None:
        if self._load_seconds is not None:
            time.sleep(self._load_seconds * share)
        else:
            time.sleep(env_float("STANDIN_SWAP_SECONDS", 0.0) / 2)

    def init_t2s_weights(self, weights_path: str, share: float = 0.0) -> None:
        out(f"Loading Text2Semantic weights from {weights_path}")
        self.configs.t2s_weights_path = weights_path
        self.configs.save_configs()
        self._pretend_loading(share)
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
            torch_load_check(SV_PATH)  # init_sv_cn
            self.sv_loaded = True
        path_sovits = self.configs.default_configs[model_version]["vits_weights_path"]
        if if_lora_v3 is True and os.path.exists(path_sovits) is False:
            info = path_sovits + i18n("SoVITS %s 底模缺失，无法加载相应 LoRA 权重" % model_version)
            raise FileNotFoundError(info)
        self._pretend_loading(share)
        weights_version = load_sovits_check(weights_path)
        if model_version not in {"v3", "v4"}:
            if "Pro" not in model_version:
                model_version = weights_version
        self.configs.update_version(model_version)
        if model_version in {"v3", "v4"}:
            self.configs.use_vocoder = True
            if model_version == "v3":
                transformers_dir_check(os.path.join(os.getcwd(), BIGVGAN_DIR))  # init_bigvgan
                self.configs.sampling_rate = 24000
            else:
                torch_load_check(os.path.join(os.getcwd(), VOCODER_V4))  # init_vocoder
                self.configs.sampling_rate = 48000
        else:
            self.configs.use_vocoder = False
            self.configs.sampling_rate = 32000
        if if_lora_v3 is False:
            out(f"Loading VITS weights from {weights_path}. <All keys matched successfully>")
        else:
            out(f"Loading VITS pretrained weights from {path_sovits}. <All keys matched successfully>")
            out(f"Loading LoRA weights from {weights_path}. <All keys matched successfully>")
        self.configs.save_configs()

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
        n16 = samples_at_16k(frames, rate)
        if n16 > 160000 or n16 < 48000:
            raise OSError(i18n(REF_RANGE))
        self.prompt_cache["ref_audio_path"] = ref_audio_path
        self.prompt_cache["refer_spec"] = [ref_audio_path]

    def run(self, inputs: dict) -> tuple[int, bytes]:
        """What TTS.run checks before synthesis, then (sample rate, a tone of plausible length).

        Upstream's run is a generator; this one does its work at once (errors become a 400
        in streaming mode too).
        """
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
        self._check_aux_refs(aux_ref_audio_paths if aux_ref_audio_paths is not None else [])
        if not no_prompt_text:
            prompt_text = prompt_text.strip("\n")
            if prompt_text and prompt_text[-1] not in SPLITS:
                prompt_text += "。" if prompt_lang != "en" else "."
            out(i18n(PROMPT_TEXT), prompt_text)
        time.sleep(env_float("STANDIN_SYNTH_SECONDS", 0.0))
        if not re.sub(r"\W+", "", text or ""):  # nothing left after pre-processing: 1 s of 16 kHz silence
            return 16000, tone_pcm(1.0, 16000, silent=True)
        rate = self.configs.sampling_rate
        return rate, tone_pcm(speech_seconds(text, speed_factor), rate)

    def _check_aux_refs(self, paths: list) -> None:
        if paths == self.prompt_cache["aux_ref_audio_paths"]:
            return
        self.prompt_cache["aux_ref_audio_paths"] = paths
        for path in paths:
            if path in [None, ""]:
                continue
            if not os.path.exists(path):
                out(i18n(AUX_MISSING), path)
                continue
            read_audio_info(path)
