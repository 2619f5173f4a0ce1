"""Bad input, from every verb: the message, the exit code, and nothing written.

Each case builds a working setup (a GPT-SoVITS package, a valid profile `nahida`,
the remembered root, a xiaozhi-server folder), breaks one thing, runs the CLI
in-process, and checks the exit code, the message, and that not one byte changed
anywhere: the launcher's home and state, the package, xiaozhi's files.

docs/zh/reliability.md and docs/en/reliability.md have one table row per case (`test_docs_reliability.py` keeps the
two in step).
"""

from __future__ import annotations

import socket
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from launcher.audio import write_wav
from launcher.paths import Settings, layout, save_settings

from helpers import packgen as G
from helpers import make_package, nahida_yaml, run_cli, snapshot, write_profile, write_pth
from helpers.xiaozhi_tree import make_xiaozhi


@dataclass
class World:
    tmp: Path
    home: Path
    root: Path
    xdir: Path

    def profile(self, text: str, name: str = "nahida") -> None:
        write_profile(self.home, name, text)

    def nahida(self, **overrides) -> str:
        return nahida_yaml(self.root, **overrides)


@dataclass
class Case:
    id: str
    args: list[str]
    exit: int
    needle: str  # in the message (Chinese, the default language)
    setup: Callable[[World], None] | None = None


def _gbk_profile(w: World) -> None:
    (w.home / "profiles" / "nahida.yaml").write_bytes(w.nahida(prompt_text="你好").encode("gbk"))


def _ref(seconds: float):
    def setup(w: World) -> None:
        write_wav(w.root / "参考音频" / "纳西妲" / "初次见面.wav", seconds)

    return setup


def _traversal_zip(w: World) -> None:
    with zipfile.ZipFile(w.tmp / "evil.zip", "w") as z:
        z.writestr("纳西妲/纳西妲-e10.ckpt", b"PK")
        z.writestr("../../evil.wav", b"x")


def _symlink_pack(w: World) -> None:
    pack = G.plain_pack(w.tmp / "pack")
    (pack / "link.wav").symlink_to("/etc/passwd")


def _busy(w: World) -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    w.busy = s  # type: ignore[attr-defined]
    w.profile(w.nahida(port=s.getsockname()[1]))


def _no_root(w: World) -> None:
    save_settings(Settings())
    w.profile(nahida_yaml(None))


def _xiaozhi_set(w: World) -> None:
    save_settings(Settings(gsv_root=str(w.root), xiaozhi_dir=str(w.xdir)))


def _xiaozhi_malformed(w: World) -> None:
    _xiaozhi_data(w, "TTS:\n  GPT_SOVITS_V2: [\n")


def _xiaozhi_data(w: World, text: str) -> None:
    _xiaozhi_set(w)
    data = w.xdir / "data"
    data.mkdir(exist_ok=True)
    (data / ".config.yaml").write_text(text, encoding="utf-8")


def _xiaozhi(text: str):
    return lambda w: _xiaozhi_data(w, text)


LAUGHS = 'l0: &a0 "ha"\n' + "".join(f"l{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10))


def _lines(*extra: str):
    """nahida's profile with extra YAML lines at its end."""
    return lambda w: w.profile(w.nahida() + "".join(line + "\n" for line in extra))


def _free_port(w: World) -> None:
    from launcher.demo.fake_package import free_port

    w.profile(w.nahida(port=free_port()))  # never a port another program happens to hold


def _dropping_server(w: World) -> None:
    """A server that takes the request and closes the connection without an answer."""
    import threading

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()

    def serve():
        while True:
            try:
                conn, _ = s.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)

    threading.Thread(target=serve, daemon=True).start()
    w.busy = s  # type: ignore[attr-defined]
    w.profile(w.nahida(port=s.getsockname()[1]))


def _weights(which: str, change: Callable[[bytes], bytes]):
    def setup(w: World) -> None:
        path = w.root / ("GPT_weights_v2/纳西妲-e10.ckpt" if which == "gpt" else "SoVITS_weights_v2/纳西妲_e10_s400.pth")
        path.write_bytes(change(path.read_bytes()))

    return setup


def _zeros_after_half(data: bytes) -> bytes:
    return data[: len(data) // 2] + bytes(len(data) - len(data) // 2)


def _ref_frames(frames: int):
    def setup(w: World) -> None:
        write_wav(w.root / "参考音频" / "纳西妲" / "初次见面.wav", rate=32000, frames=frames)

    return setup


def _no_data_pkl(w: World) -> None:
    with zipfile.ZipFile(w.root / "GPT_weights_v2" / "纳西妲-e10.ckpt", "w") as z:
        z.writestr("archive/version", "3\n")


def _big_profile(w: World) -> None:
    w.profile(w.nahida() + "# " + "x" * (2 * 1024 * 1024) + "\n")


def _settings_loop(w: World) -> None:
    from launcher.paths import layout as current

    current().settings_file.write_text(f"gsv_root: {w.root}\nx: &x [*x]\n", encoding="utf-8")


CASES = [
    # --- profiles (every verb that reads one) ---
    Case("yaml-syntax", ["nahida"], 2, "第 3 行", lambda w: w.profile("name: nahida\ngpt: [\n")),
    Case("unknown-key", ["nahida"], 2, "gpt", lambda w: w.profile(w.nahida().replace("gpt:", "gtp:"))),
    Case("missing-field", ["nahida"], 2, "sovits", lambda w: w.profile(w.nahida(sovits=None))),
    Case("wrong-type", ["nahida"], 2, "port", lambda w: w.profile(w.nahida(port="九八八零"))),
    Case("port-range", ["nahida"], 2, "70000", lambda w: w.profile(w.nahida(port=70000))),
    Case("bool-port", ["nahida"], 2, "port", lambda w: w.profile(w.nahida(port=True))),
    Case("unknown-language", ["nahida"], 2, "火星语", lambda w: w.profile(w.nahida(prompt_lang="火星语"))),
    Case("bad-api", ["nahida"], 2, "v3", lambda w: w.profile(w.nahida(api="v3"))),
    Case("not-a-mapping", ["nahida"], 2, "nahida.yaml", lambda w: w.profile("- gpt: a.ckpt\n")),
    Case("bad-name", ["nahida"], 2, "a/b", lambda w: w.profile(w.nahida(name="a/b"))),
    Case("empty-field", ["nahida"], 2, "gpt", lambda w: w.profile(w.nahida(gpt="  "))),
    Case("unknown-param", ["nahida"], 2, "params.topk", lambda w: w.profile(w.nahida(params={"topk": 5}))),
    Case("param-type", ["nahida"], 2, "params.top_k", lambda w: w.profile(w.nahida(params={"top_k": "很多"}))),
    Case("emotion-not-mapping", ["nahida"], 2, "emotions.开心", lambda w: w.profile(w.nahida(emotions={"开心": "a.wav"}))),
    Case("nul-character", ["nahida"], 2, "prompt_text", lambda w: w.profile(w.nahida(prompt_text="你好\x00"))),
    Case("not-utf8", ["nahida"], 2, "UTF-8", _gbk_profile),
    Case("profile-not-found", ["nahdia"], 2, "nahida", None),
    Case("profile-file-missing", ["missing.yaml"], 3, "missing.yaml", None),
    # --- start ---
    Case("both-apis", ["nahida", "--v1", "--v2"], 2, "--v1", None),
    Case("port-option-range", ["nahida", "--port", "70000"], 2, "70000", None),
    Case("port-option-text", ["nahida", "--port", "abc"], 2, "--port", None),
    Case("weights-missing", ["nahida"], 3, "gpt", lambda w: w.profile(w.nahida(gpt="GPT_weights_v2/不存在.ckpt"))),
    Case("reference-missing", ["nahida"], 3, "ref_audio", lambda w: w.profile(w.nahida(ref_audio="参考音频/没有.wav"))),
    Case("reference-too-short", ["nahida"], 2, "3~10", _ref(2.9)),
    Case("reference-too-long", ["nahida"], 2, "3~10", _ref(10.1)),
    Case("not-a-wav", ["nahida"], 2, "初次见面.wav", lambda w: (w.root / "参考音频" / "纳西妲" / "初次见面.wav").write_bytes(b"ID3 not a wav")),
    Case("lora-without-base", ["nahida"], 3, "底模", lambda w: write_pth(w.root / "SoVITS_weights_v2" / "纳西妲_e10_s400.pth", b"03")),
    Case("unknown-sovits-header", ["nahida"], 2, "纳西妲_e10_s400.pth", lambda w: write_pth(w.root / "SoVITS_weights_v2" / "纳西妲_e10_s400.pth", b"zz")),
    Case("no-root-known", ["nahida"], 2, "init", _no_root),
    Case("root-not-gpt-sovits", ["nahida", "--root", "{tmp}"], 2, "api.py", None),
    Case("root-missing", ["nahida", "--root", "{tmp}/没有这个目录"], 3, "没有这个目录", None),
    Case("port-busy", ["nahida"], 4, "已被占用", _busy),
    # --- other verbs ---
    Case("stop-what", ["stop"], 2, "--all", None),
    Case("stop-not-running", ["stop", "nahida"], 7, "没有在运行", None),
    Case("logs-never-started", ["logs", "nahida"], 3, "还没有", None),
    Case("init-not-gpt-sovits", ["init", "{tmp}"], 2, "api.py", None),
    Case("init-missing-folder", ["init", "{tmp}/没有这个目录"], 3, "没有这个目录", None),
    Case("bat-unsafe-name", ["bat", "nahida", "--name", "a/b"], 2, "a/b", None),
    Case("bat-both-apis", ["bat", "nahida", "--v1", "--v2"], 2, "--v1", None),
    Case("xiaozhi-not-set", ["xiaozhi", "nahida"], 2, "set-dir", None),
    Case("xiaozhi-dir-missing", ["xiaozhi", "set-dir", "{tmp}/没有这个目录"], 3, "没有这个目录", None),
    Case("xiaozhi-dir-not-xiaozhi", ["xiaozhi", "set-dir", "{root}"], 2, "config.yaml", None),
    Case("xiaozhi-malformed-config", ["xiaozhi", "nahida"], 2, ".config.yaml", _xiaozhi_malformed),
    Case("xiaozhi-undo-without-backup", ["xiaozhi", "--undo"], 2, "备份", _xiaozhi_set),
    Case("import-missing", ["import", "{tmp}/没有.zip"], 3, "没有.zip", None),
    Case("import-path-traversal", ["import", "{tmp}/evil.zip"], 2, "../../evil.wav", _traversal_zip),
    Case("import-symlink", ["import", "{tmp}/pack"], 2, "link.wav", _symlink_pack),
    Case("import-not-a-zip", ["import", "{tmp}/fake.zip"], 2, "fake.zip", lambda w: (w.tmp / "fake.zip").write_bytes(b"not a zip")),
    Case("import-bad-name", ["import", "{tmp}/pack", "--name", "a/b"], 2, "a/b", lambda w: G.plain_pack(w.tmp / "pack")),
    Case("patch-config-unsupported", ["patch-config", "nahida"], 2, "config.py", lambda w: (w.root / "config.py").write_text("x = 1\n", encoding="utf-8")),
    Case("patch-config-no-profile", ["patch-config"], 2, "--restore", None),
    Case("say-not-running", ["say", "nahida", "你好"], 7, "nahida", _free_port),
    Case("unknown-option", ["nahida", "--colour"], 2, "--colour", None),
    # --- profiles validated completely ---
    Case("duplicate-key", ["nahida"], 2, "出现了两次", _lines("gpt: GPT_weights_v2/别的.ckpt")),
    Case("alias-loop", ["nahida"], 2, "永无止境", _lines("params: &p {top_k: *p}")),
    Case("billion-laughs", ["nahida"], 2, "100,000", _lines(*LAUGHS.splitlines())),
    Case("nesting-too-deep", ["nahida"], 2, "嵌套层数太多", _lines("emotions: " + "[" * 3000 + "]" * 3000)),
    Case("empty-port", ["nahida"], 2, "port", lambda w: w.profile(w.nahida().replace("prompt_lang:", "port:\nprompt_lang:"))),
    Case("empty-host", ["nahida"], 2, "host", _lines("host:")),
    Case("name-not-file-name", ["nahida"], 2, "name: keqing", lambda w: w.profile(w.nahida(name="keqing"))),
    Case("unbuildable-value", ["nahida"], 2, "加上引号", _lines("device: 2024-13-45")),
    Case("python-tag", ["nahida"], 2, "值无法读取", _lines("device: !!python/object/apply:os.system [echo]")),
    Case("profile-too-large", ["nahida"], 2, "MB", _big_profile),
    Case("settings-alias-loop", ["nahida"], 2, "设置文件", _settings_loop),
    Case("port-option-zero", ["nahida", "--port", "0"], 2, "端口 0", None),
    Case("stop-port-zero", ["stop", "--port", "0"], 2, "端口 0", None),
    Case("bat-port-range", ["bat", "nahida", "--port", "65536"], 2, "65536", None),
    # --- diagnoses say what is really wrong ---
    Case("gpt-truncated", ["nahida"], 2, "不完整", _weights("gpt", lambda b: b[: len(b) * 2 // 3])),
    Case("sovits-truncated", ["nahida"], 2, "不完整", _weights("sovits", lambda b: b[: len(b) // 2])),
    Case("sovits-partly-copied", ["nahida"], 2, "不完整", _weights("sovits", _zeros_after_half)),
    Case("gpt-no-data-pkl", ["nahida"], 2, "已损坏", _no_data_pkl),
    Case("reference-2999ms", ["nahida"], 2, "2.999 秒", _ref_frames(95_990)),
    Case("reference-10001ms", ["nahida"], 2, "10.001 秒", _ref_frames(320_004)),
    Case("prompt-text-too-long", ["nahida", "--v1"], 2, "prompt_text", lambda w: w.profile(w.nahida(prompt_text="字" * 50_000))),
    Case("say-connection-dropped", ["say", "nahida", "你好"], 5, "这次请求", _dropping_server),
    # --- xiaozhi's YAML features ---
    Case("xiaozhi-merge-shared", ["xiaozhi", "nahida"], 2, "TTS.GPT_SOVITS_V2",
         _xiaozhi("common: &c\n  GPT_SOVITS_V2:\n    type: gpt_sovits_v2\nTTS:\n  <<: *c\n")),
    Case("xiaozhi-alias-shared", ["xiaozhi", "nahida"], 2, "锚点",
         _xiaozhi("shared: &s\n  GPT_SOVITS_V2: {type: gpt_sovits_v2}\nTTS: *s\n")),
    Case("xiaozhi-several-documents", ["xiaozhi", "nahida"], 2, "不止一个",
         _xiaozhi("TTS:\n  EdgeTTS: {}\n---\nselected_module:\n  TTS: EdgeTTS\n")),
    Case("xiaozhi-unknown-tag", ["xiaozhi", "nahida"], 2, "!foo", _xiaozhi("TTS: !foo\n  GPT_SOVITS_V2: {}\n")),
    Case("xiaozhi-alias-loop", ["xiaozhi", "nahida"], 2, "永无止境", _xiaozhi("x: &x [*x]\n")),
    Case("xiaozhi-billion-laughs", ["xiaozhi", "nahida"], 2, "100,000", _xiaozhi(LAUGHS)),
    Case("xiaozhi-duplicate-key", ["xiaozhi", "nahida"], 2, ".config.yaml",
         _xiaozhi("TTS:\n  EdgeTTS: {}\nTTS:\n  GPT_SOVITS_V2: {}\n")),
    Case("xiaozhi-unbuildable-value", ["xiaozhi", "nahida"], 2, "加上引号", _xiaozhi("since: 2024-13-45\n")),
]


@pytest.fixture
def world(tmp_path, isolated_home) -> World:
    pkg = make_package(tmp_path / "GPT-SoVITS 整合包")
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root))
    save_settings(Settings(gsv_root=str(pkg.root)))
    xdir = make_xiaozhi(tmp_path / "xiaozhi-esp32-server")
    layout().state.mkdir(parents=True, exist_ok=True)  # a launcher that has been used before
    work = tmp_path / "work"
    work.mkdir()
    return World(work, isolated_home, pkg.root, xdir)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(world, capsys, case):
    if case.setup:
        case.setup(world)
    before = snapshot(world.tmp.parent, world.home)
    args = [a.format(tmp=world.tmp, root=world.root) for a in case.args]
    try:
        code, out, err = run_cli(capsys, *args)
    finally:
        busy = getattr(world, "busy", None)
        if busy:
            busy.close()
    assert code == case.exit, (code, out, err)
    assert case.needle in err, err
    assert "意外错误" not in err  # a keyed message, never the last-resort one
    assert _without_lock_files(snapshot(world.tmp.parent, world.home)) == before  # nothing written, nothing changed


def _without_lock_files(snap: dict) -> dict:
    """The registry's and ports' OS locks leave their empty files in the state folder
    for the next holder (registry.locked); they hold no data."""
    state = str(layout().state)
    return {k: v for k, v in snap.items() if not (k.startswith(state) and k.endswith(".lock") and v == b"")}


def test_there_are_at_least_80_distinct_cases():
    assert len({c.id for c in CASES}) == len(CASES) >= 80
