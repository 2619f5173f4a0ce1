from __future__ import annotations

import pytest

from launcher.gsv import languages as L
from launcher.errors import BadInput
from launcher.messages import CATALOG

# inference_webui.py dict_language_v2 (label -> code), copied by hand from upstream 48b1a01.
WEBUI = {
    "中文": "all_zh",
    "英文": "en",
    "日文": "all_ja",
    "粤语": "all_yue",
    "韩文": "all_ko",
    "中英混合": "zh",
    "日英混合": "ja",
    "粤英混合": "yue",
    "韩英混合": "ko",
    "多语种混合": "auto",
    "多语种混合(粤语)": "auto_yue",
}


@pytest.mark.parametrize("text,code", sorted(WEBUI.items()))
def test_webui_labels_map_to_codes(text, code):
    assert L.normalize(text) == code


@pytest.mark.parametrize("text,code", sorted(WEBUI.items()))
def test_label_is_the_reverse(text, code):
    assert L.label(code) == text
    assert L.normalize(L.label(code)) == code


def test_label_accepts_labels_and_odd_case():
    assert L.label("中文") == "中文"
    assert L.label("ALL_ZH") == "中文"


@pytest.mark.parametrize("code", L.CODES)
def test_codes_any_case_and_spaces(code):
    assert L.normalize(code) == code
    assert L.normalize(code.upper()) == code
    assert L.normalize(f"  {code.title()} ") == code


def test_chinese_label_is_not_the_zh_code():
    # The WebUI's 中文 means "all Chinese"; the code zh means Chinese mixed with English.
    assert L.normalize("中文") == "all_zh"
    assert L.normalize("zh") == "zh"
    assert L.normalize("中英混合") == "zh"


@pytest.mark.parametrize(
    "folder,code",
    [("中文", "all_zh"), ("英语", "en"), ("日语", "all_ja"), ("粤语", "all_yue"), ("韩语", "all_ko")],
)
def test_ai_hobbyist_folder_names(folder, code):
    assert L.normalize(folder) == code


def test_full_width_parentheses():
    assert L.normalize("多语种混合（粤语）") == "auto_yue"


@pytest.mark.parametrize("bad", ["", "klingon", "chinese", "zh-CN", "法语", "all_en"])
def test_unknown_raises_with_choices(bad):
    with pytest.raises(BadInput) as e:
        L.normalize(bad)
    assert e.value.key == "lang.unknown"
    assert e.value.params["value"] == bad
    assert "all_zh" in e.value.params["choices"]


def test_every_code_has_a_label():
    assert set(L.CODES) == set(WEBUI.values())


@pytest.mark.parametrize("api", ["v1", "v2", "V2"])
@pytest.mark.parametrize("value", ["中文", "ZH", "All_Ja", "多语种混合(粤语)", "韩语"])
def test_for_api_gives_lower_case_code(api, value):
    out = L.for_api(value, api)
    assert out == L.normalize(value)
    assert out == out.lower() and out.isascii()


def test_for_api_v1_model_has_no_korean_or_cantonese():
    for api in ("v1", "v2"):
        assert L.for_api("all_ja", api, version="v1") == "all_ja"
        for bad in ("ko", "韩文", "yue", "all_yue", "auto_yue", "all_ko"):
            with pytest.raises(BadInput) as e:
                L.for_api(bad, api, version="v1")
            assert e.value.key == "lang.unsupported_by_api"
            assert e.value.params["choices"] == "all_zh, en, all_ja, zh, ja, auto"


@pytest.mark.parametrize("version", ["v2", "v3", "v4", "v2Pro", "v2ProPlus", None])
def test_for_api_other_versions_take_everything(version):
    for code in L.CODES:
        assert L.for_api(code, "v2", version=version) == code


def test_for_api_unknown_language_and_api():
    with pytest.raises(BadInput) as e:
        L.for_api("xx", "v2")
    assert e.value.key == "lang.unknown"
    with pytest.raises(ValueError):
        L.for_api("zh", "v3")


def test_language_lists_match_upstream():
    # TTS.py TTS_Config.v1_languages / v2_languages
    assert L.V1_LANGUAGES == {"auto", "en", "zh", "ja", "all_zh", "all_ja"}
    assert L.V2_LANGUAGES == {"auto", "auto_yue", "en", "zh", "ja", "yue", "ko", "all_zh", "all_ja", "all_yue", "all_ko"}


def test_message_keys_exist_in_both_languages():
    for key in ("lang.unknown", "lang.unsupported_by_api"):
        for k in (key, key + ".hint"):
            assert CATALOG[k]["zh"] and CATALOG[k]["en"]
