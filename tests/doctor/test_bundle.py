"""The diagnostics bundle: what it holds, and that the home folder and user name never leak."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from helpers.doctor_fixtures import make_package, nahida, remember
from launcher.doctor import report as doctor
from launcher.doctor.bundle import Masker, write_bundle
from launcher.cli import run
from launcher.paths import layout


@pytest.fixture(autouse=True)
def plenty_of_disk(monkeypatch):
    monkeypatch.setattr(doctor, "free_bytes", lambda path: 50 * 1024**3)


# --- masking ---------------------------------------------------------------------------------

WIN = Masker(home="C:\\Users\\张三", users=["张三"])


@pytest.mark.parametrize(
    "text,expected",
    [
        ("C:\\Users\\张三\\AppData\\Local\\sovits-launch", "<HOME>\\AppData\\Local\\sovits-launch"),
        ("c:\\users\\张三\\Desktop", "<HOME>\\Desktop"),  # Windows paths are case-insensitive
        ("C:/Users/张三/Desktop/纳西妲.yaml", "<HOME>/Desktop/纳西妲.yaml"),
        ('{"log": "C:\\\\Users\\\\张三\\\\logs\\\\nahida-9880.log"}', '{"log": "<HOME>\\\\logs\\\\nahida-9880.log"}'),
        ("TEMP=C:\\Users\\ADMINI~1\\AppData\\Local\\Temp", "TEMP=C:\\Users\\<USER>\\AppData\\Local\\Temp"),
        ("D:\\Users\\李四\\x", "D:\\Users\\<USER>\\x"),
        ("用户 张三 启动了服务器", "用户 <USER> 启动了服务器"),
        ("D:\\GPT-SoVITS-v2pro-20250604\\api_v2.py", "D:\\GPT-SoVITS-v2pro-20250604\\api_v2.py"),
    ],
)
def test_windows_masking(text, expected):
    assert WIN(text) == expected


def test_posix_masking_and_word_boundaries():
    m = Masker(home="/home/alice", users=["alice", "a"])
    assert m("/home/alice/.local/state/sovits-launch/logs") == "<HOME>/.local/state/sovits-launch/logs"
    assert m("started by alice; malice stays; Alice too") == "started by <USER>; malice stays; <USER> too"
    assert m("a cat") == "a cat"  # a one-letter user name is not masked
    assert m("/home/bob/x") == "/home/<USER>/x"


def test_default_masker_covers_this_machine():
    m = Masker()
    home = str(Path.home())
    assert home not in m(f"path={home}/x")


# --- the zip ---------------------------------------------------------------------------------


def _fill_home(tmp_path: Path, home: Path):
    pkg = make_package(tmp_path / "pkg")
    remember(home, pkg.root, xiaozhi_dir=str(tmp_path / "xz"))
    nahida(home, pkg)
    logs = layout().logs
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "nahida-9880.log").write_text(
        "# sovits-launch cwd=/home/alice/GPT-SoVITS\n" + "".join(f"line {i}\n" for i in range(100000)), encoding="utf-8"
    )
    (logs / "nahida-9880.log.1").write_text("previous run by alice\n", encoding="utf-8")
    layout().registry_file.write_text(json.dumps({"version": 1, "servers": []}), encoding="utf-8")
    return pkg


def test_bundle_contents_and_masking(tmp_path, isolated_home):
    _fill_home(tmp_path, isolated_home)
    report = doctor.run_doctor(layout(), doctor_settings(), options=doctor.Options(probe=False)).to_dict()
    masker = Masker(home=str(isolated_home), users=["alice"])
    path = write_bundle(tmp_path / "out", layout=layout(), report=report, masker=masker)
    assert path.parent == tmp_path / "out" and path.suffix == ".zip"  # a new folder
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        texts = {n: z.read(n).decode("utf-8") for n in names}
    assert {"system.json", "doctor.json", "settings.yaml", "profiles/nahida.yaml", "servers.json",
            "logs/nahida-9880.log", "logs/nahida-9880.log.1", "README.txt"} <= names
    system = json.loads(texts["system.json"])
    assert set(system) >= {"launcher", "os", "python", "executable", "created"}
    assert json.loads(texts["doctor.json"])["sections"][0]["kind"] == "package"
    for name, text in texts.items():
        assert str(isolated_home) not in text, name
        assert "alice" not in text, name
    assert "<HOME>" in texts["settings.yaml"] or "<HOME>" in texts["doctor.json"]
    log = texts["logs/nahida-9880.log"]
    assert log.endswith("line 99999\n") and "earlier lines left out" in log
    assert len(log.encode()) < 300 * 1024


def test_bundle_into_a_folder_gets_a_timestamped_name(tmp_path, isolated_home):
    (tmp_path / "out").mkdir()
    path = write_bundle(tmp_path / "out", layout=layout())
    assert path.parent == tmp_path / "out"
    assert path.name.startswith("sovits-launch-diagnostics-") and path.suffix == ".zip"
    assert not list((tmp_path / "out").glob("*.tmp"))


def doctor_settings():
    from launcher.paths import load_settings

    return load_settings()


# --- the CLI ---------------------------------------------------------------------------------


def test_doctor_bundle_to_the_current_folder(tmp_path, isolated_home, monkeypatch, capsys):
    _fill_home(tmp_path, isolated_home)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    code = run(["doctor", "--no-probe", "--bundle"])
    out = capsys.readouterr().out
    zips = list(work.glob("sovits-launch-diagnostics-*.zip"))
    assert len(zips) == 1
    assert "诊断包已保存" in out
    assert code == 2  # the xiaozhi folder is missing: the bundle is still written
    with zipfile.ZipFile(zips[0]) as z:
        doctor_json = json.loads(z.read("doctor.json"))
    xz = next(s for s in doctor_json["sections"] if s["kind"] == "xiaozhi")
    assert xz["checks"][0]["message"].startswith("找不到 xiaozhi-server 文件夹")


def test_doctor_bundle_to_a_named_file_with_json(tmp_path, isolated_home, capsys):
    _fill_home(tmp_path, isolated_home)
    target = tmp_path / "我的 诊断包.zip"
    run(["doctor", "--no-probe", "--json", "--bundle", "-o", str(target)])
    payload = json.loads(capsys.readouterr().out)
    assert payload["data"]["bundle"] == str(target)
    assert zipfile.is_zipfile(target)
