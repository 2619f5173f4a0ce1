"""No user string reaches a shell: the server's argv carries the profile's texts and
paths unchanged, one element each; nothing in the launcher starts a process through a
shell; the command line shown by `--dry-run` reads back as the same argv in cmd.exe and
in a POSIX shell.
"""

from __future__ import annotations

import ast
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launcher.server import cmdline
from launcher.paths import Settings, layout
from launcher.profiles.schema import parse_profile
from launcher.server.plan import plan_start
from launcher.server.process import spawn

from helpers import make_package, nahida_yaml, run_cli, write_profile

LAUNCHER = Path(__file__).resolve().parents[2] / "launcher"
HOSTILE_CHARS = "\"'&|<>^%!()`$;*?[]{}~#=,- \t\n\\纳西妲「」…，。"
hostile_text = st.text(
    alphabet=st.one_of(st.sampled_from(HOSTILE_CHARS), st.characters(blacklist_categories=("Cs", "Cc"))),
    min_size=1,
    max_size=40,
)
# File names: anything Linux allows except '/', and no '\\' (a profile's backslashes are
# Windows separators by design, see Profile.resolve).
hostile_name = st.text(
    alphabet=st.one_of(st.sampled_from(HOSTILE_CHARS.replace("\\", "")), st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\")),
    min_size=1,
    max_size=30,
).filter(lambda s: s not in (".", "..") and len(s.encode("utf-8")) < 200)


@pytest.fixture(scope="module")
def pkg():
    folder = Path(tempfile.mkdtemp(prefix="argv-"))
    yield make_package(folder / "GPT-SoVITS 整合包 & (v2) 100%!")
    shutil.rmtree(folder, ignore_errors=True)


def _hostile_files(pkg, name: str) -> tuple[Path, Path, Path]:
    folder = pkg.root / "hostile" / name
    folder.mkdir(parents=True, exist_ok=True)
    gpt, sovits, ref = folder / (name + ".ckpt"), folder / (name + ".pth"), folder / (name + ".wav")
    for src, dst in ((pkg.gpt, gpt), (pkg.sovits, sovits), (pkg.ref, ref)):
        shutil.copyfile(src, dst)
    return gpt, sovits, ref


def _plan(pkg, **fields):
    text = yaml.safe_dump({"name": "nahida", "root": str(pkg.root), **fields}, allow_unicode=True)
    profile = parse_profile(text, Path("/p/nahida.yaml"))
    return profile, plan_start(profile, layout=layout(), settings=Settings())


def _value(argv: list[str], flag: str) -> str:
    """What upstream's argparse reads for `flag`: `flag value` or `flag=value`."""
    for i, arg in enumerate(argv):
        if arg == flag:
            return argv[i + 1]
        if arg.startswith(flag + "="):
            return arg[len(flag) + 1 :]
    raise AssertionError(f"{flag} not in {argv}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_name, prompt=hostile_text, device=hostile_text, cut=hostile_text, host=hostile_text.filter(str.strip))
def test_v1_argv_carries_every_string_unchanged(pkg, name, prompt, device, cut, host):
    gpt, sovits, ref = _hostile_files(pkg, name)
    profile, plan = _plan(pkg, api="v1", gpt=str(gpt), sovits=str(sovits), ref_audio=str(ref), prompt_text=prompt,
                          device=device, host=host, params={"cut_punc": cut})
    argv = plan.argv
    assert argv[:2] == [str(pkg.root / "runtime" / "bin" / "python"), "api.py"] or os.name == "nt"
    assert (_value(argv, "-s"), _value(argv, "-g"), _value(argv, "-dr")) == (str(sovits), str(gpt), str(ref))
    assert (_value(argv, "-dt"), _value(argv, "-d"), _value(argv, "-cp"), _value(argv, "-a")) == (prompt, device, cut, host)
    # Every element is either a flag of ours or one of the profile's values, whole.
    values = {str(sovits), str(gpt), str(ref), prompt, device, cut, host, "zh", "9880"}
    for arg in argv[2:]:
        assert arg in values or arg in ("-s", "-g", "-dr", "-dt", "-dl", "-d", "-a", "-p", "-cp") or "=" in arg, arg
    argparse_reads(argv[2:], {"-dt": prompt, "-d": device, "-cp": cut, "-s": str(sovits)})


def argparse_reads(args: list[str], expected: dict[str, str]) -> None:
    """Upstream api.py's own argparse reads the values back (a text starting with '-' too)."""
    import argparse

    parser = argparse.ArgumentParser(exit_on_error=False) if sys.version_info >= (3, 9) else argparse.ArgumentParser()
    for flag in ("-s", "-g", "-dr", "-dt", "-dl", "-d", "-a", "-cp"):
        parser.add_argument(flag, type=str, default="")
    parser.add_argument("-p", type=int)
    parser.add_argument("-hp", action="store_true")
    parser.add_argument("-fp", action="store_true")
    ns = vars(parser.parse_args(args))
    for flag, value in expected.items():
        assert ns[flag.lstrip("-")] == value, (flag, args)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_name, device=hostile_text)
def test_v2_yaml_and_argv_carry_hostile_paths_unchanged(pkg, name, device):
    gpt, sovits, ref = _hostile_files(pkg, name)
    _, plan = _plan(pkg, api="v2", gpt=str(gpt), sovits=str(sovits), ref_audio=str(ref), device=device)
    assert plan.argv[1:] == ["api_v2.py", "-a", "127.0.0.1", "-p", "9880", "-c", str(plan.infer_yaml)]
    custom = yaml.safe_load(plan.infer_yaml_text)["custom"]
    assert (custom["t2s_weights_path"], custom["vits_weights_path"], custom["device"]) == (str(gpt), str(sovits), device)


@pytest.mark.parametrize("prompt", ["-开头是连字符", "--help", "-", "-dt", "-1"])
def test_a_text_starting_with_a_dash_is_not_taken_for_an_option(pkg, prompt):
    _, plan = _plan(pkg, api="v1", gpt=str(pkg.gpt), sovits=str(pkg.sovits), ref_audio=str(pkg.ref), prompt_text=prompt)
    argparse_reads(plan.argv[2:], {"-dt": prompt})


def test_spawn_passes_a_list_and_never_a_shell(pkg, monkeypatch):
    _, plan = _plan(pkg, api="v1", gpt=str(pkg.gpt), sovits=str(pkg.sovits), ref_audio=str(pkg.ref),
                    prompt_text='你好" & del /q * | echo %PATH% ^ !x! <a >b', port=free_port())
    seen = {}

    class Stop(Exception):
        pass

    def popen(args, **kw):
        seen.update(args=args, **kw)
        raise Stop

    monkeypatch.setattr(subprocess, "Popen", popen)
    with pytest.raises(Stop):
        spawn(plan, layout=layout())
    assert seen["args"] == plan.argv and isinstance(seen["args"], list)
    assert not seen.get("shell") and "executable" not in seen


def free_port():
    from launcher.demo.fake_package import free_port as fp

    return fp()


def test_no_module_starts_a_process_through_a_shell():
    """Static: no shell=True, no os.system / os.popen / subprocess.getoutput, and every
    subprocess call gets a list (never a string built from user text)."""
    problems = []
    for path in sorted(LAUNCHER.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            where = f"{path.name}:{node.lineno}"
            if name in ("os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput", "os.startfile"):
                problems.append(f"{where} {name}")
            for kw in node.keywords:
                if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                    problems.append(f"{where} shell=")
            if name in ("subprocess.Popen", "subprocess.run", "subprocess.call", "subprocess.check_output", "subprocess.check_call"):
                first = node.args[0] if node.args else None
                if isinstance(first, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                    problems.append(f"{where} {name} with a string")
    assert problems == []


# --- the line --dry-run shows --------------------------------------------------------------------


def crt_split(line: str) -> list[str]:
    """How the Microsoft C runtime (CommandLineToArgvW rules) splits a command line."""
    args, i, n = [], 0, len(line)
    while True:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            return args
        cur, quoted = [], False
        while i < n and (quoted or line[i] not in " \t"):
            ch = line[i]
            if ch == "\\":
                j = i
                while j < n and line[j] == "\\":
                    j += 1
                if j < n and line[j] == '"':
                    cur.append("\\" * ((j - i) // 2))
                    if (j - i) % 2:
                        cur.append('"')
                        j += 1
                    i = j
                else:
                    cur.append(line[i:j])
                    i = j
            elif ch == '"':
                if quoted and i + 1 < n and line[i + 1] == '"':
                    cur.append('"')
                    i += 2
                else:
                    quoted = not quoted
                    i += 1
            else:
                cur.append(ch)
                i += 1
        args.append("".join(cur))


def cmd_reads(line: str) -> str:
    """What cmd.exe hands the program: carets removed; fails on anything cmd would act on
    (a command separator or redirection, a %variable%, a line break)."""
    out, quoted, i = [], False, 0
    while i < len(line):
        ch = line[i]
        assert ch not in "\r\n", "a line break ends the command in cmd"
        if quoted:
            assert ch not in "%!", f"cmd would expand {ch} inside quotes: {line!r}"
            quoted = ch != '"'
            out.append(ch)
        elif ch == "^":
            out.append(line[i + 1])
            i += 1
        else:
            assert ch not in "&|<>%!", f"unescaped {ch!r} at {i} in {line!r}"
            quoted = ch == '"'
            out.append(ch)
        i += 1
    return "".join(out)


one_line_text = st.text(
    alphabet=st.one_of(st.sampled_from(HOSTILE_CHARS.replace("\n", "")), st.characters(blacklist_categories=("Cs", "Cc"))),
    max_size=30,
)


@settings(max_examples=300)
@given(st.lists(one_line_text, min_size=1, max_size=6))
def test_dry_run_line_reads_back_in_cmd(args):
    argv = [r"D:\GPT-SoVITS 整合包 (v2)\runtime\python.exe", "api.py", *args]
    line = cmdline.for_cmd(argv)
    assert crt_split(cmd_reads(line)) == argv


@settings(max_examples=300)
@given(st.lists(hostile_text | st.just(""), min_size=1, max_size=6))
def test_dry_run_line_reads_back_in_a_posix_shell(args):
    argv = ["/opt/GPT-SoVITS 整合包/runtime/bin/python", "api.py", *args]
    assert shlex.split(cmdline.for_posix(argv)) == argv


def test_dry_run_line_examples():
    assert cmdline.for_cmd([r"C:\Program Files\py.exe", "api.py", "-dt", "你好"]) == r'"C:\Program Files\py.exe" api.py -dt 你好'
    assert cmdline.for_cmd(["py", "-dt", "a&b", "x y"]) == 'py -dt "a&b" "x y"'
    assert cmdline.for_cmd(["py", 'say "hi" & %PATH%']) == r'py ^"say \^"hi\^" ^& ^%PATH^%^"'
    assert cmdline.for_cmd(["py", "C:\\dir\\"]) == "py C:\\dir\\"
    assert cmdline.for_cmd(["py", "C:\\my dir\\"]) == 'py "C:\\my dir\\\\"'


def test_cli_dry_run_shows_a_hostile_text_quoted(pkg, isolated_home, capsys):
    text = "你好 & del /q *.pth | echo $(rm -rf ~)"
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root, api="v1", prompt_text=text))
    code, out, err = run_cli(capsys, "nahida", "--dry-run")
    assert code == 0, err
    line = next(l for l in out.splitlines() if "api.py" in l)
    assert shlex.split(line)[shlex.split(line).index("-dt") + 1] == text


# --- a real start ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_hostile_texts_arrive_at_the_server_intact(tmp_path, isolated_home, monkeypatch, capsys):
    """api.py started for real (the stand-in records its argv): quotes, cmd and shell
    characters, a line break, and a text starting with '-' arrive as they were written."""
    from launcher.demo.fake_package import build_standin_package

    log = tmp_path / "requests.jsonl"
    monkeypatch.setenv("STANDIN_LOAD_SECONDS", "0.2")
    monkeypatch.setenv("STANDIN_REQUEST_LOG", str(log))
    pkg = build_standin_package(tmp_path / "GPT-SoVITS 整合包 & (v2) 100%!")
    prompt = '-初次见面" & echo pwned > x.txt | %PATH% ^ !x! $(id) `id`\n第二行'
    port = free_port()
    write_profile(isolated_home, "nahida", nahida_yaml(
        pkg.root, api="v1", gpt=str(pkg.gpt), sovits=str(pkg.sovits), ref_audio=str(pkg.ref_audio),
        prompt_text=prompt, port=port, device="cpu", params={"cut_punc": "-，。&|"}))
    code, _, err = run_cli(capsys, "nahida", "--detach", *([] if pkg.python else ["--python", sys.executable]))
    try:
        assert code == 0, err
        starts = [json.loads(l) for l in log.read_text(encoding="utf-8").splitlines() if '"start"' in l]
        argv = [a for a in starts[0]["argv"]]
        assert _value(argv, "-dt") == prompt and _value(argv, "-cp") == "-，。&|"
        assert not (pkg.root / "x.txt").exists()
    finally:
        run_cli(capsys, "stop", "--all")


def test_a_nul_character_in_a_profile_text_is_a_keyed_error(pkg, isolated_home, capsys):
    write_profile(isolated_home, "nahida", nahida_yaml(pkg.root, api="v1", prompt_text="你好\x00世界"))
    code, _, err = run_cli(capsys, "nahida", "--dry-run")
    assert code == 2, err
    assert "prompt_text" in err
