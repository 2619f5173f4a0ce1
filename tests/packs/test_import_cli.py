"""`sovits-launch import` end to end, and the packs catalog keys and layering."""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

from helpers import packgen as G
from helpers import run_cli
from helpers.pack_import import NAHIDA_DEFAULT, home, nahida_profile, profile_text
from launcher import paths
from launcher.packs import scan as packscan
from launcher.messages import CATALOG
from launcher.packs.zipsafe import TEMP_PREFIX


# --- catalog and layering -------------------------------------------------------------------------

_DYNAMIC = [
    *(f"packs.why.name_{s}" for s in ("weights", "folder", "pack")),
    *(f"packs.why.lang_{s}" for s in ("folder", "list", "infer_config", "name_suffix")),
    "packs.transcript_filename",
    "packs.transcript_none",
    *(f"packs.layout.{s}" for s in ("gsvi", "gsvi-library", "library", "ai-hobbyist", "plain", "unknown")),
    *(f"packs.action.{s}" for s in ("copy", "replace", "same", "in_place", "create")),
    *(f"packs.field.{s}" for s in ("name", "display_name", "gpt", "sovits", "version", "ref_audio", "prompt_lang", "text_lang", "api")),
]


def _keys_in(module_files) -> set[str]:
    keys = set()
    for f in module_files:
        keys |= set(re.findall(r'"(packs\.[a-z_.\-]+)"', Path(f).read_text(encoding="utf-8")))
    return {k for k in keys if not k.endswith(".") and not k.endswith("_")}


def test_every_packs_key_is_in_the_catalog_in_both_languages():
    from launcher.cli import import_cmd

    core = sorted(Path(packscan.__file__).parent.glob("*.py"))  # every module of launcher/packs
    keys = _keys_in(core + [import_cmd.__file__]) | set(_DYNAMIC)
    for key in sorted(keys):
        assert key in CATALOG, key
        assert CATALOG[key]["zh"] and CATALOG[key]["en"], key
    raised = set()
    for f in core:
        raised |= set(re.findall(r'(?:BadInput|LauncherError|MissingFile)\(\s*"(packs\.[a-z_]+)"', Path(f).read_text(encoding="utf-8")))
    raised |= set(re.findall(r'BadInput\("(packs\.[a-z_]+)"', Path(import_cmd.__file__).read_text(encoding="utf-8")))
    assert len(raised) > 20
    for key in sorted(raised):
        assert key + ".hint" in CATALOG, key


def test_core_modules_stay_light():
    import subprocess

    code = (
        "import sys, launcher.packs.scan, launcher.packs.plan, launcher.packs.apply\n"
        "heavy = {'typer', 'rich', 'click', 'launcher.messages', 'launcher.cli', 'torch'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(Path(__file__).resolve().parents[2]))


# --- the command line ------------------------------------------------------------------------------


def test_cli_imports_a_gbk_zip(tmp_path, root, capsys):
    model = G.aihobbyist_model(tmp_path / "src" / "原神-中文-纳西妲")
    archive = G.zip_folder(model, tmp_path / "纳西妲.zip", gbk=True, wrap="原神-中文-纳西妲")
    code, out, err = run_cli(capsys, "import", str(archive), "--root", str(root))
    assert code == 0, err
    assert "识别为：AI-Hobbyist 模型包，1 个角色（纳西妲.zip）" in out
    assert "版本：v4 LoRA — .pth 文件头 \"04\"" in out
    assert f"默认参考音频：原神-中文-纳西妲/reference_audios/中文/emotions/【默认】{NAHIDA_DEFAULT}.wav（5.0 秒） — 包里标为默认（【默认】）" in out
    assert "参考语言：all_zh — 语言文件夹“中文”" in out
    assert "情绪（2）：开心、生气" in out
    assert "复制  GPT_weights_v4/纳西妲_ZH-e10.ckpt" in out
    assert f"已写入角色配置 纳西妲：{home().profiles / '纳西妲.yaml'}" in out
    assert out.rstrip().endswith("下一步：sovits-launch 纳西妲")
    assert "底模" in err  # the LoRA base warning
    assert profile_text("纳西妲") == nahida_profile(archive)
    assert not [p for p in root.iterdir() if p.name.startswith(TEMP_PREFIX)]

    code, out, err = run_cli(capsys, "import", str(archive), "--root", str(root))
    assert code == 2 and "已经有名为 纳西妲 的角色配置" in err and "--force" in err


def test_cli_json_dry_run_and_settings_root(tmp_path, root, capsys):
    paths.save_settings(paths.Settings(gsv_root=str(root)))
    pack = G.plain_pack(tmp_path / "p")
    code, out, err = run_cli(capsys, "import", str(pack), "--dry-run", "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["kind"] == "import" and payload["schema"] == 2
    data = payload["data"]
    assert data["dry_run"] is True and data["result"] is None and data["next"] == "sovits-launch 刻晴"
    (ch,) = data["characters"]
    assert ch["settings"]["ref_audio"] == "参考音频/刻晴/keqing_001.wav"
    assert {c["field"]: c["text"] for c in ch["choices"]}["gpt"] == "包里唯一的 .ckpt"
    assert [f["action"] for f in ch["files"]] == ["copy", "copy", "copy"]
    assert not home().profiles.exists() and not (root / "GPT_weights_v2Pro").exists()

    code, out, err = run_cli(capsys, "--lang", "en", "import", str(pack), "--json")
    data = json.loads(out)["data"]
    assert code == 0 and data["result"]["profiles"][0]["action"] == "create"
    assert data["characters"][0]["choices"][2]["text"] == "the only .ckpt in the pack"


def test_cli_lists_every_blocked_character(tmp_path, root, capsys):
    for who in ("a", "b"):
        char = G.gsvi_character(tmp_path / "t" / who, gpt=f"{who}-e1.ckpt", sovits=f"{who}_e1_s1.pth")
        G.fake_ckpt(char / f"{who}-e2.ckpt")
    code, out, err = run_cli(capsys, "import", str(tmp_path / "t"), "--root", str(root))
    assert code == 2
    assert "2 个角色无法导入，什么都没有改动" in err
    assert "角色 a 有 2 个 .ckpt 文件" in err and "角色 b 有 2 个 .ckpt 文件" in err
    assert "b-e2.ckpt" in err and '--gpt "b-e2.ckpt"' in err


def test_cli_library_table_and_next(tmp_path, root, capsys):
    trained = G.make_library(tmp_path / "lib", 6)
    code, out, err = run_cli(capsys, "import", str(trained), "--root", str(root))
    assert code == 0, err
    assert "GSVI 角色库（trained/）" in out and "char005" in out
    assert "已导入 6 个角色" in out and out.rstrip().endswith("下一步：sovits-launch list")


def test_cli_without_root(tmp_path, capsys):
    code, out, err = run_cli(capsys, "import", str(G.plain_pack(tmp_path / "p")))
    assert code == 2 and "sovits-launch init" in err


def test_cli_bad_zip(tmp_path, root, capsys):
    archive = G.zip_members(tmp_path / "bad.zip", G.weight_members() + [(zipfile.ZipInfo("../../evil.wav"), b"x")])
    code, out, err = run_cli(capsys, "import", str(archive), "--root", str(root))
    assert code == 2 and "../../evil.wav" in err and "什么都没有改动" in err
    assert not [p for p in root.iterdir() if p.name.startswith(TEMP_PREFIX)]
