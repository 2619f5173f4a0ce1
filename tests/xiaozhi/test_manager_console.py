"""智控台 (manager-api) mode stays read-only and says the page, the fields and the values to copy."""

from __future__ import annotations

from launcher.paths import layout

from helpers import make_package, nahida_yaml, run_cli, write_profile
from helpers.xiaozhi_tree import make_xiaozhi, write_data


def setup(tmp_path, home, capsys, **profile):
    pkg = make_package(tmp_path / "GPT-SoVITS")
    write_profile(home, "nahida", nahida_yaml(pkg.root, **profile))
    xdir = make_xiaozhi(tmp_path / "xiaozhi-esp32-server")
    assert run_cli(capsys, "xiaozhi", "set-dir", str(xdir))[0] == 0
    cfg = write_data(xdir, "manager-api:\n  url: http://127.0.0.1:8002/xiaozhi\n  secret: abc\n")
    return pkg, cfg


def test_page_fields_and_values_ready_to_copy(tmp_path, isolated_home, capsys):
    pkg, cfg = setup(tmp_path, isolated_home, capsys, params={"split_bucket": False, "top_k": 12})
    before = cfg.read_bytes()
    code, out, err = run_cli(capsys, "xiaozhi", "nahida")
    assert code == 0 and cfg.read_bytes() == before
    assert "模型配置 → 语音合成 → GPT-SoVITS V2 → 修改 → 调用信息" in out
    assert "服务地址（url）：http://127.0.0.1:9880/tts" in out
    assert f"参考音频路径（ref_audio_path）：{pkg.ref}" in out
    assert "是否分桶（split_bucket）：false" in out and "top_k值（top_k）：12" in out
    assert "配置角色 → 语音合成(TTS)" in out and "音色管理" in out and "克隆音频路径" in out
    assert "不用重启 xiaozhi-server" in out and "还差一步" not in out
    assert not list(cfg.parent.glob(".config.yaml.*"))  # no backup: nothing was written


def test_api_py_profile_gets_the_v3_entry(tmp_path, isolated_home, capsys):
    setup(tmp_path, isolated_home, capsys)
    path = layout().profiles / "nahida.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("api: v2", "api: v1"), encoding="utf-8")
    code, out, _ = run_cli(capsys, "xiaozhi", "nahida")
    assert code == 0
    assert "→ GPT-SoVITS V3 → 修改" in out and "服务地址（url）：http://127.0.0.1:9880\n" in out
    assert "参考音频路径（refer_wav_path）" in out and "文本语言（text_language）：zh" in out


def test_english_names_the_chinese_labels_too(tmp_path, isolated_home, capsys):
    setup(tmp_path, isolated_home, capsys)
    code, out, _ = run_cli(capsys, "--lang", "en", "xiaozhi", "nahida")
    assert code == 0 and "模型配置 (Model config)" in out and "服务地址" in out
