"""`sovits-launch doctor`: output, the pinned --json shape, exit codes, catalog keys, layering."""

from __future__ import annotations

import ast
import json
import string
import sys
from pathlib import Path

import pytest

from helpers.doctor_fixtures import (  # noqa: F401  (pkg and plenty_of_disk are fixtures)
    doctor_now,
    fake_python,
    gpu_answer,
    nahida,
    pkg,
    plenty_of_disk,
    posix_only,
    remember,
    write_gpt,
    write_profile,
    write_sovits,
    ForeignListener,
)
from launcher import messages
from launcher.doctor import report as doctor
from launcher.audio import write_wav
from launcher.cli import run
from launcher.demo.fake_package import free_port


# --- the CLI: output, --json pinned, exit codes ----------------------------------------------------


def test_cli_lines_with_marks_and_fixes(pkg, isolated_home, capsys):
    write_wav(pkg.ref, 2.9)
    nahida(isolated_home, pkg)
    code = run(["doctor", "--no-probe"])
    out = capsys.readouterr().out
    assert code == 2
    assert "✓ 整合包完整" in out
    assert "✗ 参考音频" in out and "2.90 秒" in out
    assert "→ 修复：在角色配置" in out
    assert "共 " in out and "1 项失败" in out


def test_cli_english(pkg, isolated_home, capsys):
    nahida(isolated_home, pkg, ref_audio=None)
    code = run(["--lang", "en", "doctor", "--no-probe"])
    out = capsys.readouterr().out
    messages.set_language(None)
    assert code == 0
    assert "⚠ Profile nahida has no reference audio" in out
    assert "→ Fix：" in out


def test_exit_codes(pkg, isolated_home, capsys):
    nahida(isolated_home, pkg)
    assert run(["doctor", "--no-probe"]) == 0
    nahida(isolated_home, pkg, ref_audio=None)  # a warning
    assert run(["doctor", "--no-probe"]) == 0
    assert run(["doctor", "--no-probe", "--strict"]) == 1
    write_wav(pkg.ref, 12)
    nahida(isolated_home, pkg)  # a failure
    assert run(["doctor", "--no-probe"]) == 2
    assert run(["doctor", "--no-probe", "--strict"]) == 2
    capsys.readouterr()


def test_one_profile_by_name_or_display_name(pkg, isolated_home, capsys):
    nahida(isolated_home, pkg)
    write_profile(isolated_home, "keqing", gpt="nope.ckpt", sovits="nope.pth")
    assert run(["doctor", "--no-probe"]) == 2
    assert run(["doctor", "--no-probe", "nahida"]) == 0
    assert run(["doctor", "--no-probe", "纳西妲"]) == 0
    assert run(["doctor", "--no-probe", "keqing"]) == 2
    assert run(["doctor", "--no-probe", "nobody"]) == 2  # profile.not_found (BadInput)
    assert "找不到角色配置" in capsys.readouterr().err


@posix_only
def test_doctor_json_is_pinned(pkg, tmp_path, isolated_home, capsys):
    """The --json shape scripts rely on: sections, ids, statuses, keys, fix keys."""
    fake_python(pkg.root, gpu_answer())
    nahida(isolated_home, pkg)
    write_wav(pkg.root / "参考音频" / "短.wav", 2.9)
    write_sovits(pkg.root / "SoVITS_weights_v3" / "胡桃_e8_s96_l32.pth", b"03", rows=None, lora_rank=32)
    write_gpt(pkg.root / "GPT_weights_v3" / "胡桃-e15.ckpt")
    (isolated_home / "profiles" / "broken.yaml").write_text("port: [\n", encoding="utf-8")
    remember(isolated_home, pkg.root, xiaozhi_dir=str(tmp_path / "xiaozhi-server"))
    with ForeignListener() as other:
        write_profile(
            isolated_home, "keqing", gpt="GPT_weights_v2/纳西妲-e10.ckpt", sovits="SoVITS_weights_v2/纳西妲_e10_s400.pth",
            ref_audio="参考音频/短.wav", port=other.port,
        )
        write_profile(
            isolated_home, "hutao", api="v1", gpt="GPT_weights_v3/胡桃-e15.ckpt",
            sovits="SoVITS_weights_v3/胡桃_e8_s96_l32.pth", port=free_port(),
        )
        code = run(["doctor", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 2
    assert (payload["schema"], payload["kind"]) == (2, "doctor")
    data = payload["data"]
    shape = [
        (s["kind"], s["subject"] if s["kind"] == "profile" else "", s["status"],
         [(c["id"], c["status"], c["key"], c["fix_key"]) for c in s["checks"]])
        for s in data["sections"]
    ]
    assert shape == [
        ("package", "", "ok", [
            ("package.root", "ok", "doctor.root_ok", None),
            ("package.python", "ok", "doctor.python_ok", None),
            ("package.api", "ok", "doctor.api_both", None),
            ("package.release", "ok", "doctor.release_unknown", None),  # "# fake" scripts: not upstream's code
            ("package.ffmpeg", "ok", "doctor.ffmpeg_ok", None),
            ("package.pretrained", "ok", "doctor.pretrained_ok", None),
            ("package.path", "ok", "doctor.path_ascii", None),
            ("package.disk", "ok", "doctor.disk_ok", None),
        ]),
        ("runtime", "", "ok", [("runtime.torch", "ok", "doctor.torch_ok", None)]),
        ("xiaozhi", "", "fail", [("xiaozhi.folder", "fail", "doctor.xiaozhi_missing", "doctor.xiaozhi_missing.hint")]),
        ("profile", "broken", "fail", [("profile.file", "fail", "profile.yaml_error", "profile.yaml_error.hint")]),
        ("profile", "hutao", "fail", [
            ("profile.file", "ok", "doctor.profile_ok", None),
            ("profile.api", "ok", "doctor.api_ok", None),
            ("profile.gpt", "ok", "doctor.gpt_ok", None),
            ("profile.sovits", "fail", "weights.lora_base_missing", "weights.lora_base_missing.hint"),
            ("profile.reference", "warn", "start.no_reference", "start.no_reference.hint"),
            ("profile.languages", "ok", "doctor.lang_ok", None),
            ("profile.device", "ok", "doctor.device_auto", None),
            ("profile.port", "ok", "doctor.port_free", None),
        ]),
        ("profile", "keqing", "fail", [
            ("profile.file", "ok", "doctor.profile_ok", None),
            ("profile.api", "ok", "doctor.api_ok", None),
            ("profile.gpt", "ok", "doctor.gpt_ok", None),
            ("profile.sovits", "ok", "doctor.sovits_ok", None),
            ("profile.pair", "ok", "doctor.pair_ok", None),
            ("profile.reference", "fail", "audio.out_of_range", "audio.out_of_range.hint"),
            ("profile.languages", "ok", "doctor.lang_ok", None),
            ("profile.device", "ok", "doctor.device_ok", None),
            ("profile.port", "fail", "port.busy", "port.busy.hint"),
        ]),
        ("profile", "nahida", "ok", [
            ("profile.file", "ok", "doctor.profile_ok", None),
            ("profile.api", "ok", "doctor.api_ok", None),
            ("profile.gpt", "ok", "doctor.gpt_ok", None),
            ("profile.sovits", "ok", "doctor.sovits_ok", None),
            ("profile.pair", "ok", "doctor.pair_ok", None),
            ("profile.reference", "ok", "doctor.ref_ok", None),
            ("profile.languages", "ok", "doctor.lang_ok", None),
            ("profile.device", "ok", "doctor.device_ok", None),
            ("profile.port", "ok", "doctor.port_free", None),
        ]),
    ]
    assert data["status"] == "fail"
    assert data["counts"] == {"ok": 31, "warn": 1, "fail": 5}
    first = data["sections"][0]["checks"][0]
    assert set(first) == {"id", "status", "key", "params", "fix_key", "message", "fix"}
    keqing = next(s for s in data["sections"] if s["subject"] == "keqing")
    ref = next(c for c in keqing["checks"] if c["id"] == "profile.reference")
    assert ref["params"]["seconds"] == "2.90"
    assert ref["message"].startswith("参考音频 ") and ref["fix"].startswith("在角色配置")
    for section in data["sections"]:
        for c in section["checks"]:
            assert "{" not in c["message"] and "{" not in (c["fix"] or ""), c
            assert (c["fix"] is None) == (c["status"] == "ok"), c
    nahida_device = data["sections"][-1]["checks"][7]
    assert nahida_device["params"] == {"device": "cuda", "gpu": "NVIDIA GeForce RTX 3060", "precision": "fp16"}


# --- every key a check can produce is in the catalog ------------------------------------------------

DOCTOR_MODULES = ["doctor/report.py", "doctor/profile_checks.py", "server/preflight.py", "doctor/checks.py", "gsv/failures.py"]


def _keys_in_doctor_modules() -> set[str]:
    import re

    key_re = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    keys = set()
    package_dir = Path(doctor.__file__).parents[1]
    for name in DOCTOR_MODULES:
        tree = ast.parse((package_dir / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                fname = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if fname in ("ok", "warn", "fail", "BadInput", "MissingFile", "Notice", "LauncherError"):
                    for arg in node.args[:2]:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and key_re.match(arg.value):
                            if fname in ("ok", "warn", "fail") and arg is node.args[0]:
                                continue  # the check id
                            keys.add(arg.value)
    return keys


def test_every_doctor_key_and_hint_is_in_the_catalog():
    keys = _keys_in_doctor_modules()
    assert "doctor.half_unsupported" in keys and "weights.mismatch" in keys
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    for key in sorted(keys):
        assert key in messages.CATALOG, key
        entry = messages.CATALOG[key]
        assert fields(entry["zh"]) == fields(entry["en"]), key
    failing = {k for k in keys if k not in _OK_KEYS}
    for key in sorted(failing):
        assert key + ".hint" in messages.CATALOG, key


_OK_KEYS = {
    "doctor.root_ok", "doctor.python_ok", "doctor.api_both", "doctor.ffmpeg_ok", "doctor.pretrained_ok",
    "doctor.path_ascii", "doctor.path_non_ascii_posix", "doctor.path_non_ascii_fixed", "doctor.disk_ok",
    "doctor.torch_ok", "doctor.torch_cpu_only", "doctor.xiaozhi_ok", "doctor.profile_ok", "doctor.api_ok",
    "doctor.gpt_ok", "doctor.gpt_ok_plain", "doctor.sovits_ok", "doctor.pair_ok", "doctor.ref_ok", "doctor.emotions_ok",
    "doctor.lang_ok", "doctor.device_ok", "doctor.device_cpu", "doctor.device_auto", "doctor.port_free",
    "doctor.port_running", "doctor.steps_cpu_ok", "doctor.release", "doctor.release_unknown",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_message_renders_fully(pkg, tmp_path, isolated_home, lang):
    """A broad mix of failures: no message or fix is left with an unfilled {placeholder}."""
    from launcher.cli.doctor_cmd import rendered

    write_wav(pkg.ref, 11)
    sad = write_wav(pkg.root / "参考音频" / "短.wav", 1.0)
    nahida(isolated_home, pkg, api="v1", device="cpu", half=True, emotions={"难过": {"ref_audio": str(sad)}},
           host="0.0.0.0", text_lang="粤语")
    write_profile(isolated_home, "lost", gpt="无.ckpt", sovits="无.pth", ref_audio="无.wav")
    write_profile(isolated_home, "mix", gpt="GPT_weights_v2/纳西妲-e10.ckpt", sovits=str(write_sovits(
        pkg.root / "SoVITS_weights_v4" / "x_e1_s1_l16.pth", b"04", rows=None)))
    remember(isolated_home, pkg.root, xiaozhi_dir=str(tmp_path))
    messages.set_language(lang)
    try:
        data = rendered(doctor_now())
    finally:
        messages.set_language(None)
    statuses = set()
    for section in data["sections"]:
        assert "{" not in section["title"]
        for c in section["checks"]:
            statuses.add(c["status"])
            assert "{" not in c["message"] and "{" not in (c["fix"] or ""), c
    assert statuses == {"ok", "warn", "fail"}


def test_core_modules_stay_below_the_cli():
    import subprocess

    code = (
        "import sys, launcher.doctor.report, launcher.doctor.bundle, launcher.server.preflight, launcher.gsv.probe, launcher.gsv.ckpt\n"
        "heavy = {'typer', 'rich', 'launcher.messages', 'launcher.ui', 'torch'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(Path(doctor.__file__).resolve().parent.parent))


def test_doctor_says_readable_without_a_question_mark_when_the_phoneme_set_is_unknown(tmp_path, isolated_home, capsys):
    """The stand-in's GPT file is a readable checkpoint whose header names no phoneme set."""
    from helpers import run_cli, standin_yaml
    from helpers import write_profile as write_profile_text
    from launcher.demo.fake_package import build_standin_package

    standin = build_standin_package(tmp_path / "GPT-SoVITS 整合包")
    remember(isolated_home, standin.root)
    write_profile_text(isolated_home, "nahida", standin_yaml(standin, free_port()))
    code, out, _ = run_cli(capsys, "doctor", "--json")
    checks = [c for s in json.loads(out)["data"]["sections"] for c in s["checks"] if c["id"] == "profile.gpt"]
    assert [(c["status"], c["key"]) for c in checks] == [("ok", "doctor.gpt_ok_plain")]
    assert "?" not in checks[0]["message"] and str(standin.gpt) in checks[0]["message"]
