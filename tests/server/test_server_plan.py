"""The exact upstream command line, env and files, built before anything runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import yaml

from launcher.errors import BadInput, MissingFile
from launcher.paths import Settings, layout
from launcher.profiles.schema import parse_profile
from launcher.server.plan import child_env, plan_start

from helpers import make_package, nahida_yaml

HOSTILE = "GPT-SoVITS 整合包 (v2) 100% & ^ 版!"


@pytest.fixture
def pkg(tmp_path):
    return make_package(tmp_path / HOSTILE)


def _plan(pkg, **overrides):
    plan_kwargs = {k: overrides.pop(k) for k in ("api", "host", "port", "python") if k in overrides}
    profile = parse_profile(nahida_yaml(pkg.root, **overrides), Path("/profiles/nahida.yaml"))
    return plan_start(profile, layout=layout(), settings=Settings(), **plan_kwargs)


def test_v1_argv_is_upstreams_with_every_path_intact(pkg):
    plan = _plan(pkg, api="v1", device="cuda:1", half=True, params={"cut_punc": "，。"})
    python = str(pkg.root / "runtime" / ("python.exe" if os.name == "nt" else "bin/python"))
    assert plan.argv == [
        python,
        "api.py",
        "-s", str(pkg.sovits),
        "-g", str(pkg.gpt),
        "-dr", str(pkg.ref),
        "-dt", "初次见面，我已经关注你很久了。",
        "-dl", "zh",
        "-d", "cuda:1",
        "-a", "127.0.0.1",
        "-p", "9880",
        "-hp",
        "-cp", "，。",
    ]
    assert plan.root == pkg.root.resolve()
    assert plan.url.endswith(":9880/")


def test_v1_full_precision_flag_and_port_override(pkg):
    plan = _plan(pkg, api="v1", half=False, port=9890)
    assert plan.argv[-3:] == ["-p", "9890", "-fp"]


def test_v2_argv_uses_our_own_tts_infer_yaml(pkg):
    plan = _plan(pkg, api="v2", device="cpu")
    assert plan.argv[1:] == ["api_v2.py", "-a", "127.0.0.1", "-p", "9880", "-c", str(plan.infer_yaml)]
    assert plan.infer_yaml == layout().infer_configs / "nahida.yaml"
    custom = yaml.safe_load(plan.infer_yaml_text)["custom"]
    assert custom["t2s_weights_path"] == str(pkg.gpt)
    assert custom["vits_weights_path"] == str(pkg.sovits)
    assert (custom["version"], custom["device"], custom["is_half"]) == ("v2", "cpu", False)
    assert not plan.infer_yaml.exists()  # planning writes nothing


def test_v2pro_header_sets_the_yaml_version(tmp_path):
    pkg = make_package(tmp_path / "pkg", head=b"05")
    plan = _plan(pkg)
    assert yaml.safe_load(plan.infer_yaml_text)["custom"]["version"] == "v2Pro"


def test_child_env_is_utf8_unbuffered_with_runtime_first(tmp_path):
    pkg = make_package(tmp_path / "pkg")
    env = child_env(pkg.root, {"PATH": "/usr/bin", "PYTHONHOME": "/x", "PYTHONPATH": "/y"})
    assert env["PYTHONIOENCODING"] == "utf-8" and env["PYTHONUNBUFFERED"] == "1"
    assert env["PATH"].split(os.pathsep)[0] == str(pkg.root / "runtime")
    assert "PYTHONHOME" not in env and "PYTHONPATH" not in env


@pytest.mark.parametrize("field", ["gpt", "sovits", "ref_audio"])
def test_missing_files_name_the_field_path_and_profile(pkg, field):
    with pytest.raises(MissingFile) as e:
        _plan(pkg, **{field: "不存在/的 文件.bin"})
    assert e.value.key == "profile.path_missing"
    assert e.value.params["field"] == field
    assert e.value.params["path"] == str(pkg.root.resolve() / "不存在" / "的 文件.bin")
    assert e.value.params["profile"] == str(Path("/profiles/nahida.yaml"))


@pytest.mark.parametrize("seconds", [2.9, 10.1])
def test_reference_out_of_range_refused_for_v2_warned_for_v1(tmp_path, seconds):
    pkg = make_package(tmp_path / "pkg", ref_seconds=seconds)
    with pytest.raises(BadInput) as e:
        _plan(pkg, api="v2")
    assert e.value.key == "audio.out_of_range"
    plan = _plan(pkg, api="v1")
    assert [n.key for n in plan.notices] == ["audio.out_of_range_v1"]


@pytest.mark.parametrize("seconds", [3.0, 10.0])
def test_reference_bounds_are_inclusive(tmp_path, seconds):
    pkg = make_package(tmp_path / "pkg", ref_seconds=seconds)
    assert _plan(pkg).ref_seconds == pytest.approx(seconds, abs=0.01)


def test_lora_without_base_is_refused(tmp_path):
    pkg = make_package(tmp_path / "pkg", head=b"03")
    with pytest.raises(MissingFile) as e:
        _plan(pkg)
    assert e.value.key == "weights.lora_base_missing"


def test_network_bind_warns(pkg):
    plan = _plan(pkg, host="0.0.0.0")
    assert "start.network_bind" in [n.key for n in plan.notices]
    assert plan.argv[plan.argv.index("-a") + 1] == "0.0.0.0"


def test_no_reference_is_a_notice_and_v1_gets_no_default_reference(pkg):
    plan = _plan(pkg, api="v1", ref_audio=None)
    assert "-dr" not in plan.argv
    assert "start.no_reference" in [n.key for n in plan.notices]


def test_root_not_a_package(tmp_path):
    (tmp_path / "empty").mkdir()
    profile = parse_profile(nahida_yaml(tmp_path / "empty"), Path("/p/nahida.yaml"))
    with pytest.raises(BadInput) as e:
        plan_start(profile, layout=layout(), settings=Settings())
    assert e.value.key == "package.not_gsv"


def test_no_root_known(tmp_path):
    profile = parse_profile(nahida_yaml(None), Path("/p/nahida.yaml"))
    with pytest.raises(BadInput) as e:
        plan_start(profile, layout=layout(), settings=Settings())
    assert e.value.key == "start.no_root"


def test_missing_runtime_interpreter(tmp_path):
    pkg = make_package(tmp_path / "pkg")
    import shutil

    shutil.rmtree(pkg.root / "runtime")
    with pytest.raises(MissingFile) as e:
        _plan(pkg)
    assert e.value.key == "package.no_runtime"
    assert _plan(pkg, python=sys.executable).argv[0] == sys.executable


def test_failures_after_ready_are_explained_once_each(tmp_path, pkg):
    """In the foreground the server keeps running after e.g. a CUDA OOM in one request:
    the launcher explains it (once per kind) while streaming the log."""
    import subprocess

    from launcher.server.registry import ServerRecord
    from launcher.server.watch import LogReader, Server, follow

    plan = _plan(pkg)
    plan.log_path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "INFO:     127.0.0.1:5000 - \"POST /tts HTTP/1.1\" 200 OK",
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB",
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.00 GiB",
        "Warning: CUDA is not available, set device to CPU.",
    ]
    plan.log_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    record = ServerRecord(profile="nahida", api="v2", host="127.0.0.1", port=plan.port, pid=proc.pid,
                          create_time=0.0, log=str(plan.log_path), root=str(plan.root))
    server = Server(plan=plan, record=record, process=proc, log=LogReader(plan.log_path), detached=False)
    seen = []
    code = follow(server, on_line=lambda line: None, on_failure=seen.append)
    assert code == 0
    assert [n.key for n in seen] == ["failure.cuda_oom", "failure.cuda_fallback"]
    assert seen[0].params["profile"] == "纳西妲" and "2.00 GiB" in seen[0].params["line"]
