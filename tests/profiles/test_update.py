"""Changing a few fields of a user's profile file keeps everything else: comments, order, quoting, CRLF, BOM."""

from __future__ import annotations

import errno
import tempfile

import pytest

from launcher.errors import BadInput, LauncherError
from launcher.fsio import list_backups, yaml_safe_load
from launcher.profiles.update import edit_lines, edit_roundtrip, update_profile_file

COMMENTED = """\
# 我的纳西妲（手写的注释）
name: nahida
display_name: 纳西妲
api: v2
gpt: GPT_weights_v2/纳西妲-e10.ckpt
sovits: 'SoVITS_weights_v2/纳西妲_e10_s400.pth'
ref_audio: "参考音频/纳西妲/旧的.wav"     # 3~10 秒
prompt_text: 旧的文本   # 参考音频里说的话
prompt_lang: zh
text_lang: zh
# 端口
port: 9881
params: {top_k: 15}
"""


def test_only_the_changed_lines_change(tmp_path):
    path = tmp_path / "nahida.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    done = update_profile_file(path, {"ref_audio": "logs/纳西妲/5-wav32k/a.wav", "prompt_text": "新的：文本 # 不是注释"})
    text = path.read_text(encoding="utf-8")
    assert text == COMMENTED.replace(
        'ref_audio: "参考音频/纳西妲/旧的.wav"     # 3~10 秒', "ref_audio: logs/纳西妲/5-wav32k/a.wav     # 3~10 秒"
    ).replace("prompt_text: 旧的文本   # 参考音频里说的话", "prompt_text: '新的：文本 # 不是注释'   # 参考音频里说的话")
    assert yaml_safe_load(text)["prompt_text"] == "新的：文本 # 不是注释"
    assert done.before == {"ref_audio": "参考音频/纳西妲/旧的.wav", "prompt_text": "旧的文本"}
    assert done.backup is not None and done.backup.read_text(encoding="utf-8") == COMMENTED


def test_missing_keys_go_after_their_neighbour_in_the_documented_order(tmp_path):
    path = tmp_path / "nahida.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    update_profile_file(path, {"half": False, "device": "cpu"})
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[lines.index("port: 9881") + 1 : lines.index("port: 9881") + 3] == ["device: cpu", "half: false"]
    assert lines[-1] == "params: {top_k: 15}"


def test_crlf_and_bom_are_kept(tmp_path):
    path = tmp_path / "nahida.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + COMMENTED.replace("\n", "\r\n").encode("utf-8"))
    update_profile_file(path, {"device": "cpu"}, backup=False)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == raw.count(b"\n") == COMMENTED.count("\n") + 1
    assert b"device: cpu\r\n" in raw


def test_a_multi_line_value_goes_through_ruamel_and_keeps_comments(tmp_path):
    text = COMMENTED.replace("prompt_text: 旧的文本   # 参考音频里说的话\n", "prompt_text: |\n  两行的\n  文本\n")
    assert edit_lines(text, {"prompt_text": "一行。"}) is None
    path = tmp_path / "nahida.yaml"
    path.write_text(text, encoding="utf-8")
    update_profile_file(path, {"prompt_text": "一行。"})
    new = path.read_text(encoding="utf-8")
    assert "# 我的纳西妲（手写的注释）" in new and "# 3~10 秒" in new and "# 端口" in new
    assert yaml_safe_load(new)["prompt_text"] == "一行。"


def test_a_flow_style_profile(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("{name: x, gpt: a.ckpt, sovits: b.pth}  # 一行\n", encoding="utf-8")
    update_profile_file(path, {"ref_audio": "r.wav", "half": False})
    assert yaml_safe_load(path.read_text(encoding="utf-8")) == {
        "name": "x", "gpt": "a.ckpt", "sovits": "b.pth", "ref_audio": "r.wav", "half": False,
    }


def test_a_broken_profile_is_not_touched(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("gpt: [\n", encoding="utf-8")
    with pytest.raises(BadInput) as exc:
        update_profile_file(path, {"half": False})
    assert exc.value.key == "profile.yaml_error" and path.read_text(encoding="utf-8") == "gpt: [\n"


def test_a_read_only_folder_loses_nothing(tmp_path, monkeypatch):
    """As root permission bits do not stop writes: the folder refuses new files at the system call."""
    path = tmp_path / "nahida.yaml"
    path.write_text(COMMENTED, encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(LauncherError) as exc:
        update_profile_file(path, {"device": "cpu"})
    assert exc.value.key == "profile.write_failed" and exc.value.params["folder"] == str(tmp_path)
    assert path.read_text(encoding="utf-8") == COMMENTED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nahida.yaml"]


def test_a_failure_after_the_backup_removes_the_backup(tmp_path, monkeypatch):
    import os

    path = tmp_path / "nahida.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    real = os.replace

    def locked(src, dst, **kw):
        if str(dst) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(src, dst, **kw)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(LauncherError):
        update_profile_file(path, {"device": "cpu"})
    assert path.read_text(encoding="utf-8") == COMMENTED and list_backups(path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nahida.yaml"]


def test_roundtrip_inserts_in_order():
    text = "name: x\ngpt: a.ckpt\nsovits: b.pth\nport: 1\n"
    assert edit_roundtrip(text, {"ref_audio": "r.wav"}) == "name: x\ngpt: a.ckpt\nsovits: b.pth\nref_audio: r.wav\nport: 1\n"
