"""A weight file cut off or broken is called incomplete / damaged, before any version or
pairing reasoning: the start (plan_start) and `doctor` say so instead of a wrong version,
a "mismatch" or a missing LoRA base."""

from __future__ import annotations

import io
import zipfile

import pytest

from helpers.doctor_fixtures import doctor_now, check, make_package, nahida, remember, write_gpt, write_sovits
from launcher.errors import BadInput, LauncherError
from launcher.gsv import ckpt
from launcher.server import preflight


@pytest.fixture
def pkg(tmp_path, isolated_home):
    p = make_package(tmp_path / "pkg")
    remember(isolated_home, p.root)
    return p


def _key(fn, *args) -> str:
    with pytest.raises(LauncherError) as e:
        fn(*args)
    return e.value.key


@pytest.mark.parametrize("head", [b"01", b"05", b"PK"])
def test_every_cut_of_a_sovits_file_is_incomplete_or_damaged(tmp_path, head):
    whole = write_sovits(tmp_path / "whole.pth", head).read_bytes()
    cut = tmp_path / "cut.pth"
    for length in range(4, len(whole)):
        cut.write_bytes(whole[:length])
        with pytest.raises(BadInput) as e:
            preflight.whole_archive(cut)
        assert e.value.key in ("weights.incomplete", "weights.damaged"), length
    cut.write_bytes(whole)
    preflight.whole_archive(cut)  # the whole file passes


def test_every_cut_of_a_gpt_file_is_incomplete_or_damaged(tmp_path):
    whole = write_gpt(tmp_path / "whole.ckpt").read_bytes()
    cut = tmp_path / "cut.ckpt"
    for length in range(4, len(whole)):
        cut.write_bytes(whole[:length])
        assert _key(preflight.gpt_weights, cut) in ("weights.incomplete", "weights.damaged"), length
    cut.write_bytes(whole)
    assert preflight.gpt_weights(cut).gpt_symbols == "v2"


def test_a_partly_copied_file_of_full_size_is_incomplete(tmp_path):
    # Copy tools that reserve the whole size first leave zeros where the copy stopped.
    data = bytearray(write_sovits(tmp_path / "x.pth").read_bytes())
    half = len(data) // 2
    data[half:] = bytes(len(data) - half)
    (tmp_path / "x.pth").write_bytes(bytes(data))
    with pytest.raises(BadInput) as e:
        preflight.whole_archive(tmp_path / "x.pth")
    assert e.value.key == "weights.incomplete"
    assert e.value.params["size"] == f"{len(data):,} bytes"


def test_zeros_in_the_middle_are_damage(tmp_path):
    p = write_sovits(tmp_path / "x.pth")
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as z:
        member = next(i for i in z.infolist() if i.filename.endswith("data/0"))
    data[member.header_offset : member.header_offset + 4] = b"\0\0\0\0"
    p.write_bytes(bytes(data))
    with pytest.raises(ckpt.CheckpointError) as e:
        ckpt.check_archive(p)
    assert (e.value.kind, "data/0" in e.value.reason) == ("damaged", True)


def test_a_zip_without_data_pkl_is_damaged(tmp_path):
    p = tmp_path / "x.ckpt"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("archive/version", "3\n")
    assert _key(preflight.gpt_weights, p) == "weights.damaged"


def test_a_tensor_whose_data_member_is_missing_is_damaged(tmp_path):
    good = write_gpt(tmp_path / "good.ckpt")
    p = tmp_path / "x.ckpt"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(p, "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith("data/0"):
                dst.writestr(info.filename, src.read(info.filename))
    with pytest.raises(ckpt.CheckpointError) as e:
        ckpt.read_meta(p)
    assert e.value.kind == "damaged" and "archive/data/0" in e.value.reason


def test_the_archive_prefix_of_newer_torch_is_followed(tmp_path):
    """torch 2 names the folder inside the zip after the file (`x/data.pkl`, `x/data/0`)."""
    from helpers.doctor_fixtures import _torch_zip
    from collections import OrderedDict

    p = _torch_zip(tmp_path / "x.ckpt", OrderedDict(config={"model": {"phoneme_vocab_size": 512}}), archive="x")
    assert ckpt.read_meta(p).gpt_symbols == "v1"


# --- before any version or pairing reasoning ------------------------------------------------


def _cut(path, keep: float = 0.6) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def test_a_cut_lora_is_incomplete_not_missing_its_base(pkg, isolated_home):
    """A v3 LoRA head without its base would say "base missing": the file is the problem."""
    write_sovits(pkg.sovits, b"03", rows=None, lora_rank=32)
    _cut(pkg.sovits)
    nahida(isolated_home, pkg)
    assert _key(preflight.sovits_weights, pkg.sovits, pkg.root) == "weights.incomplete"
    c = check(doctor_now(), "profile.sovits")
    assert (c.status, c.key) == ("fail", "weights.incomplete")


def test_a_cut_gpt_is_incomplete_not_a_mismatch(pkg, isolated_home):
    from launcher.paths import layout, load_settings
    from launcher.profiles.schema import find_profile
    from launcher.server.plan import plan_start

    write_gpt(pkg.gpt, vocab=512)  # v1 GPT + v2 SoVITS: a mismatch if it were whole
    _cut(pkg.gpt)
    nahida(isolated_home, pkg)
    profile = find_profile("nahida", layout().profiles)
    with pytest.raises(BadInput) as e:
        plan_start(profile, layout=layout(), settings=load_settings())
    assert e.value.key == "weights.incomplete"
    checks = {c.id: c for s in doctor_now().sections for c in s.checks}
    assert checks["profile.gpt"].key == "weights.incomplete"
    assert "profile.pair" not in checks  # no pairing verdict on a file that is not whole


def test_the_start_refuses_a_cut_sovits_before_judging_its_version(pkg, isolated_home, capsys):
    from helpers import run_cli

    _cut(pkg.sovits, 0.5)
    nahida(isolated_home, pkg)
    before = pkg.sovits.read_bytes()
    code, _, err = run_cli(capsys, "nahida", "--dry-run")
    assert code == 2
    assert "不完整" in err and "纳西妲_e10_s400.pth" in err
    assert pkg.sovits.read_bytes() == before


def test_messages_render(tmp_path):
    from launcher import messages

    p = tmp_path / "x.pth"
    p.write_bytes(io.BytesIO(b"01\x03\x04" + bytes(40)).getvalue())
    with pytest.raises(BadInput) as e:
        preflight.whole_archive(p)
    for lang in ("zh", "en"):
        messages.set_language(lang)
        text = messages.t(e.value.key, **e.value.params)
        assert str(p) in text and "44 bytes" in text
    messages.set_language(None)
