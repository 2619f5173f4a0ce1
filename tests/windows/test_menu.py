"""The double-click menu (`sovits-launch` with no arguments at a terminal), driven
through its input stream: SOVITS_LAUNCH_MENU=1 and a fake stdin in-process, a pipe
for the live start, a pseudo-terminal to see that a real terminal opens it.

Every wait is a condition with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from launcher.windows import firstrun
from launcher.cli import run
from launcher.paths import load_settings

from helpers import make_package, nahida_yaml, run_cli, standin_yaml, wait_for, write_profile

REPO = Path(__file__).resolve().parents[2]
PROMPT = "请输入编号或字母"


@pytest.fixture(autouse=True)
def chinese(monkeypatch):
    monkeypatch.setenv("SOVITS_LAUNCH_LANG", "zh")


def drive(monkeypatch, capsys, text: str):
    """Run bare `sovits-launch` as the menu, with `text` as everything the user types."""
    monkeypatch.setenv("SOVITS_LAUNCH_MENU", "1")
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code = run([])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A GPT-SoVITS package with one character, as the current folder (where a double-clicked exe runs)."""
    pkg = make_package(tmp_path / "GPT-SoVITS 整合包 v2")
    monkeypatch.chdir(pkg.root)
    return pkg


@pytest.fixture
def set_up(here, capsys):
    code, _, err = run_cli(capsys, "init", str(here.root))
    assert code == 0, err
    return here


# --- no arguments: menu or help ---------------------------------------------------------


def test_no_arguments_without_a_terminal_prints_help_and_exits_0(monkeypatch, capsys):
    monkeypatch.delenv("SOVITS_LAUNCH_MENU", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\nq\n"))  # a script's pipe: never read
    code, out, err = run_cli(capsys)
    assert code == 0 and "用法：sovits-launch" in out and PROMPT not in out
    assert sys.stdin.read() == "1\nq\n"


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_menu_wanted():
    tty, pipe = _Tty(), io.StringIO()
    assert firstrun.menu_wanted({}, tty, tty)
    assert not firstrun.menu_wanted({}, pipe, tty)  # `sovits-launch < answers.txt`
    assert not firstrun.menu_wanted({}, tty, pipe)  # `sovits-launch > out.txt`
    assert firstrun.menu_wanted({"SOVITS_LAUNCH_MENU": "1"}, pipe, pipe)
    assert not firstrun.menu_wanted({"SOVITS_LAUNCH_MENU": "0"}, tty, tty)


# --- first run ------------------------------------------------------------------------------


def test_first_run_offers_to_set_up_the_package_here(here, isolated_home, monkeypatch, capsys):
    code, out, err = drive(monkeypatch, capsys, "\nq\n")  # Enter = yes
    assert code == 0, out + err
    assert "还没设置的 GPT-SoVITS 整合包" in out and str(here.root) in out
    assert Path(load_settings().gsv_root) == here.root.resolve()
    assert (isolated_home / "profiles" / "纳西妲.yaml").is_file()
    menu = out.split("已创建角色配置", 1)[1]
    assert "1" in menu and "纳西妲" in menu and "可以启动" in menu


def test_declining_the_setup_is_not_asked_again(here, monkeypatch, capsys):
    code, out, _ = drive(monkeypatch, capsys, "也许\nｎ\nzz\nq\n")
    assert code == 0
    assert "请输入 y（是）或 n（否）" in out  # 也许 is not an answer: asked again
    assert out.count("现在设置它吗") == 2 and load_settings().gsv_root is None
    assert "还没有设置 GPT-SoVITS 整合包" in out and "还没有角色" in out


def test_no_offer_once_the_package_here_is_set_up(set_up, monkeypatch, capsys):
    code, out, _ = drive(monkeypatch, capsys, "q\n")
    assert code == 0 and "现在设置它吗" not in out and "纳西妲" in out


def test_the_exe_folder_is_a_candidate(tmp_path, monkeypatch):
    exe_dir = make_package(tmp_path / "整合包").root
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe_dir / "sovits-launch.exe"))
    assert firstrun.candidate_folders()[0] == exe_dir.resolve()
    settings = load_settings()
    assert firstrun.setup_offer(settings) == exe_dir.resolve()
    settings.gsv_root = str(exe_dir)
    assert firstrun.setup_offer(settings) is None


# --- choices ---------------------------------------------------------------------------------


def test_an_invalid_choice_asks_again_without_redrawing(set_up, monkeypatch, capsys):
    code, out, _ = drive(monkeypatch, capsys, "9\nhello\n\n   \nQ\n")
    assert code == 0
    assert "没有这个选项：9" in out and "没有这个选项：hello" in out
    assert out.count(PROMPT) == 5 and out.count("其它：") == 1


@pytest.mark.parametrize("typed", ["１", " 1 ", "1"])
def test_a_number_starts_that_profile(set_up, monkeypatch, typed):
    from launcher.cli import menu

    app = sys.modules["launcher.cli.app"]  # `launcher.cli.app` the attribute is the typer app
    calls = []
    monkeypatch.setattr(app, "run", lambda argv: calls.append(argv) or 0)
    answers = iter([typed, "退出"])
    assert menu.Menu(lambda prompt: next(answers)).loop() == 0
    assert calls == [["start", "纳西妲"]]


@pytest.mark.parametrize(
    "typed, kind, value",
    [
        ("q", "action", "quit"),
        ("Q", "action", "quit"),
        ("ｑ", "action", "quit"),
        ("退出", "action", "quit"),
        ("0", "action", "quit"),
        ("Ｂ", "action", "bat"),
        ("导入", "action", "import"),
        ("２", "profile", 2),
        ("3", "invalid", "3"),
        ("", "empty", None),
        ('"D:\\下载\\不存在 的包.zip"', "not_found", "D:\\下载\\不存在 的包.zip"),
    ],
)
def test_parse_choice(typed, kind, value):
    assert firstrun.parse_choice(typed, 2) == firstrun.Choice(kind, value)


@pytest.mark.parametrize(
    "typed",
    [
        '"D:\\下载\\胡桃 角色包.zip"',
        "  'D:\\下载\\胡桃 角色包.zip'  ",
        "& 'D:\\下载\\胡桃 角色包.zip'",
        "D:\\下载\\胡桃 角色包.zip\n",
    ],
)
def test_unquote_a_dragged_path(typed):
    assert firstrun.unquote(typed) == "D:\\下载\\胡桃 角色包.zip"


def test_unquote_keeps_full_width_characters_in_paths():
    assert firstrun.unquote('"D:\\模型\\１号 角色"') == "D:\\模型\\１号 角色"


def test_end_of_input_exits_cleanly(monkeypatch, capsys):
    code, out, err = drive(monkeypatch, capsys, "")
    assert code == 0 and PROMPT in out and err == ""


def test_end_of_input_at_the_setup_question(here, monkeypatch, capsys):
    code, out, _ = drive(monkeypatch, capsys, "")
    assert code == 0 and "现在设置它吗" in out and load_settings().gsv_root is None


# --- dragged paths and import ----------------------------------------------------------------


@pytest.fixture
def hutao_pack(tmp_path):
    from helpers.packgen import gsvi_character

    return gsvi_character(tmp_path / "下载" / "胡桃 角色包")


def test_a_quoted_dragged_pack_with_chinese_and_spaces_is_imported(set_up, hutao_pack, isolated_home, monkeypatch, capsys):
    code, out, err = drive(monkeypatch, capsys, f'"{hutao_pack}"\nq\n')  # dropped at the main prompt
    assert code == 0, out + err
    assert "已导入 1 个角色" in out
    names = sorted(p.stem for p in (isolated_home / "profiles").glob("*.yaml"))
    assert len(names) == 2 and "纳西妲" in names
    assert out.split("已导入", 1)[1].count("可以启动") == 2  # the redrawn menu lists both


def test_import_action_takes_a_dragged_zip(set_up, hutao_pack, tmp_path, isolated_home, monkeypatch, capsys):
    from helpers.packgen import zip_folder

    archive = zip_folder(hutao_pack, tmp_path / "下载" / "胡桃 “限定” 角色包.zip")
    typed = f'i\n"{tmp_path / "没有 这个.zip"}"\n  "{archive}"  \nq\n'
    code, out, err = drive(monkeypatch, capsys, typed)
    assert code == 0, out + err
    assert "找不到：" in out and "没有 这个.zip" in out  # asked again
    assert "已导入 1 个角色" in out
    assert len(list((isolated_home / "profiles").glob("*.yaml"))) == 2


def test_a_dragged_package_folder_is_set_up(tmp_path, isolated_home, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    pkg = make_package(tmp_path / "别处" / "GPT-SoVITS 整合包")
    code, out, err = drive(monkeypatch, capsys, f'"{pkg.root}"\nq\n')
    assert code == 0, out + err
    assert Path(load_settings().gsv_root) == pkg.root.resolve()


def test_a_failed_action_pauses_before_the_menu(isolated_home, tmp_path, monkeypatch, capsys):
    write_profile(isolated_home, "nahida", nahida_yaml(tmp_path / "不存在的整合包"))
    code, out, err = drive(monkeypatch, capsys, "1\n\nq\n")
    assert code == 0
    assert "缺少文件：GPT 模型、SoVITS 模型、参考音频" in out
    assert "按回车键返回菜单" in out and "✗" in err
    assert out.index("按回车键返回菜单") < out.rindex(PROMPT)  # back at the menu afterwards


def test_end_of_input_at_a_pause_exits_cleanly(isolated_home, tmp_path, monkeypatch, capsys):
    write_profile(isolated_home, "nahida", nahida_yaml(tmp_path / "不存在的整合包"))
    code, out, _ = drive(monkeypatch, capsys, "1\n")
    assert code == 0 and "按回车键返回菜单" in out


def test_a_broken_settings_file_pauses_before_closing(isolated_home, monkeypatch, capsys):
    (isolated_home / "settings.yaml").write_text("gsv_root: [unclosed\n", encoding="utf-8")
    code, out, err = drive(monkeypatch, capsys, "\n")
    assert code != 0 and "按回车键关闭窗口" in out and "settings" in err


# --- a pack dropped onto the exe -------------------------------------------------------------


def test_a_pack_dropped_onto_the_exe_pauses_in_its_own_window(set_up, hutao_pack, monkeypatch, capsys):
    app = sys.modules["launcher.cli.app"]
    prompts = []
    monkeypatch.setattr(firstrun, "owns_console", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": prompts.append(prompt) or "")
    monkeypatch.setattr(sys, "argv", ["sovits-launch.exe", str(hutao_pack)])
    with pytest.raises(SystemExit) as exit_:
        app.main()
    assert exit_.value.code == 0 and prompts == ["按回车键关闭窗口……"]
    assert "已导入 1 个角色" in capsys.readouterr().out


def test_a_verb_run_from_a_console_does_not_pause(set_up, monkeypatch, capsys):
    app = sys.modules["launcher.cli.app"]
    monkeypatch.setattr(firstrun, "owns_console", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("paused"))
    monkeypatch.setattr(sys, "argv", ["sovits-launch.exe", "list"])
    with pytest.raises(SystemExit) as exit_:
        app.main()
    assert exit_.value.code == 0


# --- live: pick a profile, the stand-in server runs, Ctrl+C returns to the menu -----------


class _Output:
    """A child's output as it comes, prompts included (they end without a newline)."""

    def __init__(self, proc):
        self._bytes = b""
        self._thread = threading.Thread(target=self._pump, args=(proc,), daemon=True)
        self._thread.start()

    @property
    def text(self) -> str:
        return self._bytes.decode("utf-8", "replace")

    def _pump(self, proc):
        for chunk in iter(lambda: proc.stdout.read1(4096), b""):
            self._bytes += chunk

    def wait_for(self, needle, timeout=30.0):
        wait_for(lambda: needle in self.text, timeout, what=f"{needle!r} in:\n{self.text}")


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="Ctrl+C is sent as SIGINT to the process group")
def test_pick_a_profile_to_start_then_ctrl_c_returns_to_the_menu(tmp_path, isolated_home, monkeypatch):
    from launcher.gsv import client as gsv_api
    from launcher.demo.fake_package import build_standin_package, free_port
    from launcher.paths import layout
    from launcher.server.registry import Registry

    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包 (v2)")
    port = free_port()
    profile = standin_yaml(pkg, port)
    write_profile(isolated_home, "nahida", profile)
    proc = subprocess.Popen(
        [sys.executable, "-m", "launcher"],
        cwd=str(tmp_path),
        env={**os.environ, "SOVITS_LAUNCH_MENU": "1", "PYTHONIOENCODING": "utf-8"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a console window is
    )
    out = _Output(proc)
    try:
        out.wait_for(PROMPT)
        proc.stdin.write("１\n".encode("utf-8"))
        proc.stdin.flush()
        out.wait_for("已就绪")
        assert gsv_api.probe_ready("127.0.0.1", port, timeout=2)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl+C in the window reaches the whole group
        out.wait_for("已中止（Ctrl+C），回到菜单")
        wait_for(lambda: not gsv_api.probe_ready("127.0.0.1", port, timeout=0.5), what="the server to stop")
        # The port closes before the stop finishes and forgets the server: wait for both.
        wait_for(lambda: Registry(layout().registry_file).servers() == [], what=f"the record removed:\n{out.text}")
        proc.stdin.write(b"q\n")
        proc.stdin.flush()
        assert proc.wait(timeout=20) == 0, out.text
        assert out.text.count(PROMPT) == 2 and "按回车键" not in out.text  # Ctrl+C is no failure: no pause
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.mark.skipif(os.name == "nt", reason="needs a POSIX pseudo-terminal")
def test_a_real_terminal_opens_the_menu(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k != "SOVITS_LAUNCH_MENU"}
    child = pexpect.spawn(sys.executable, ["-m", "launcher"], cwd=str(tmp_path), env=env, encoding="utf-8", timeout=20)
    try:
        child.expect(PROMPT)
        child.sendline("ｑ")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0


# --- the running server's actions: status, stop, say, xiaozhi --------------------------------


def test_the_menu_offers_status_stop_say_and_xiaozhi(set_up, monkeypatch, capsys):
    code, out, _ = drive(monkeypatch, capsys, "q\n")
    assert code == 0
    for letter, words in (("z", "status"), ("k", "stop"), ("y", "say --play"), ("x", "xiaozhi")):
        assert any(line.startswith(f"  {letter}  ") and f"（{words}）" in line for line in out.splitlines()), letter
    assert "api_v2.py" in out  # the API named as `list` names it


@pytest.mark.parametrize("typed", ["k", "y", "停止", "试听"])
def test_stop_and_say_without_a_server_say_so(set_up, typed, monkeypatch, capsys):
    code, out, _ = drive(monkeypatch, capsys, f"{typed}\nq\n")
    assert code == 0 and "没有正在运行的服务器" in out


def test_status_shows_and_waits_to_be_read(set_up, monkeypatch, capsys):
    code, out, _ = drive(monkeypatch, capsys, "z\n\nq\n")
    assert code == 0 and "没有正在运行的服务器" in out and "按回车键返回菜单" in out


def test_xiaozhi_asks_for_its_folder_once_then_writes_the_block(set_up, tmp_path, monkeypatch, capsys):
    from helpers.xiaozhi_tree import data_file, make_xiaozhi

    xdir = make_xiaozhi(tmp_path / "xiaozhi-server")
    code, out, err = drive(monkeypatch, capsys, f"x\n{xdir}\n1\nq\n")
    assert code == 0, out + err
    assert load_settings().xiaozhi_dir == str(xdir)
    assert "GPT_SOVITS_V2" in data_file(xdir).read_text(encoding="utf-8")
    code, out, _ = drive(monkeypatch, capsys, "x\n1\nq\n")  # remembered: no folder question
    assert code == 0 and "把 xiaozhi-server 文件夹" not in out


@pytest.mark.slow
def test_say_plays_a_test_sentence_then_stop_ends_the_server(tmp_path, isolated_home, monkeypatch, capsys):
    from launcher import play
    from launcher.gsv import client as gsv_api
    from launcher.demo.fake_package import build_standin_package, free_port

    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")
    monkeypatch.chdir(tmp_path)
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包")
    port = free_port()
    write_profile(isolated_home, "nahida", standin_yaml(pkg, port))
    assert run(["start", "nahida", "-d"]) == 0
    heard = []
    monkeypatch.setattr(play, "play_wav", lambda path: heard.append(path))
    try:
        code, out, err = drive(monkeypatch, capsys, "y\nk\nq\n")
        assert code == 0, out + err
        assert heard == [tmp_path / "nahida-say.wav"] and heard[0].read_bytes()[:4] == b"RIFF"
        assert f"端口 {port} 已释放" in out
        assert not gsv_api.probe_ready("127.0.0.1", port, timeout=0.5)
    finally:
        run(["stop", "--all"])


def test_picking_a_character_that_is_running_says_so_without_the_in_this_window_hint(
        tmp_path, isolated_home, monkeypatch, capsys):
    """The hint "runs in this window; Ctrl+C stops it" is for a new server only."""
    from launcher.demo.fake_package import build_standin_package, free_port

    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.3")
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包")
    write_profile(isolated_home, "nahida", standin_yaml(pkg, free_port()))
    assert run(["start", "nahida", "-d", "--no-warmup"]) == 0
    try:
        code, out, err = drive(monkeypatch, capsys, "1\nq\n")
        assert code == 0, out + err
        assert "已经在运行" in out and "服务器在这个窗口里运行" not in out
    finally:
        run(["stop", "--all"])
