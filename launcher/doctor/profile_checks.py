"""The per-profile part of `doctor`: the checks a start makes (from `preflight`), plus
the GPU, port and network checks, each turned into a `CheckResult`."""

from __future__ import annotations

from pathlib import Path

from launcher import audio
from launcher.server import preflight
from launcher.doctor.checks import FAIL, WARN, CheckResult, PackageState, Section, fail, from_error, from_notice, ok, warn
from launcher.errors import LauncherError, PortBusy
from launcher.paths import Layout
from launcher.profiles.schema import Profile

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def profile_section(profile: Profile, pkg: PackageState | None, layout: Layout, running: list) -> Section:
    section = Section("profile", profile.name)
    add = section.checks.append
    add(ok("profile.file", "doctor.profile_ok", path=str(profile.path or profile.name), title=profile.title))
    if pkg is None:
        add(fail("profile.root", "start.no_root", profile=profile.name))
        return section
    if pkg.error is not None and pkg.info is None and pkg.error.key not in ("package.no_runtime", "package.python_missing"):
        add(from_error("profile.root", pkg.error))
        return section
    root = pkg.root
    add(_api_script(profile, root))
    gpt, gpt_meta = _gpt(profile, root, add)
    sovits, version, meta = _sovits(profile, root, add)
    if gpt_meta is not None and version is not None:
        add(_pair(gpt, gpt_meta, sovits, version, meta))
    add(_reference(profile, root, pkg.ffprobe))
    if profile.emotions:
        add(_emotions(profile, root, pkg.ffprobe))
    add(_languages(profile, version.version if version else None))
    if pkg.probe is not None and getattr(pkg.probe, "ok", False) and pkg.probe.torch:
        add(device_check(profile, pkg.probe))
    if version is not None:
        steps = steps_check(profile, version.version, pkg.probe)
        if steps is not None:
            add(steps)
    add(port_check(profile, layout, running))
    if profile.host not in LOOPBACK_HOSTS:
        add(warn("profile.host", "start.network_bind", host=profile.host, port=profile.port))
    return section


def _api_script(profile: Profile, root: Path) -> CheckResult:
    script = "api.py" if profile.api == "v1" else "api_v2.py"
    if (root / script).is_file():
        return ok("profile.api", "doctor.api_ok", script=script, api=profile.api)
    return fail("profile.api", "package.no_api_script", script=script, root=str(root))


def _gpt(profile: Profile, root: Path, add):
    try:
        gpt = preflight.require_file(profile, "gpt", profile.gpt, root)
        meta = preflight.gpt_weights(gpt)
    except LauncherError as exc:
        add(from_error("profile.gpt", exc))
        return None, None
    if meta.gpt_symbols:
        add(ok("profile.gpt", "doctor.gpt_ok", path=str(gpt), family=meta.gpt_symbols))
    else:  # a readable checkpoint whose phoneme set its header does not tell
        add(ok("profile.gpt", "doctor.gpt_ok_plain", path=str(gpt)))
    return gpt, meta


def _sovits(profile: Profile, root: Path, add):
    try:
        sovits = preflight.require_file(profile, "sovits", profile.sovits, root)
        version = preflight.sovits_weights(sovits, root)
    except LauncherError as exc:
        add(from_error("profile.sovits", exc))
        return None, None, None
    meta = preflight.sovits_meta(sovits)
    label = version.version + (" LoRA" if version.lora else "")
    rank = preflight.lora_rank(sovits, meta) if version.lora else None
    if rank:
        label += f" rank {rank}"
    try:
        served = preflight.supported_by_package(root, version.version, profile.api)
        preflight.version_assets(root, version.version)
    except LauncherError as exc:
        add(from_error("profile.sovits", exc))
        return sovits, version, meta
    add(ok("profile.sovits", "doctor.sovits_ok", path=str(sovits), version=label))
    if served:  # the profile's API cannot load it on this release; a start takes the other one
        add(from_notice("profile.release", served[0]))
    return sovits, version, meta


def _pair(gpt, gpt_meta, sovits, version, meta) -> CheckResult:
    try:
        notices = preflight.pair(gpt, gpt_meta, sovits, version, meta)
    except LauncherError as exc:
        return from_error("profile.pair", exc)
    if notices:
        return from_notice("profile.pair", notices[0])
    return ok("profile.pair", "doctor.pair_ok", family=preflight.sovits_symbols(version, meta))


def _reference(profile: Profile, root: Path, ffprobe) -> CheckResult:
    try:
        ref = preflight.reference(profile, root, profile.api, ffprobe)
    except LauncherError as exc:
        return from_error("profile.reference", exc)
    if ref.notices:
        return from_notice("profile.reference", ref.notices[0])
    return ok("profile.reference", "doctor.ref_ok", path=str(ref.path), seconds=audio.seconds_text(ref.seconds))


def _emotions(profile: Profile, root: Path, ffprobe) -> CheckResult:
    """Every extra reference passes the same rule as the main one (xiaozhi may pick any)."""
    for name, emotion in profile.emotions.items():
        try:
            ref = preflight.reference(profile, root, profile.api, ffprobe, value=emotion.ref_audio, field_name=f"emotions.{name}.ref_audio")
        except LauncherError as exc:
            result = from_error("profile.emotions", exc)
            result.params["emotion"] = name
            return result
        if ref.notices:
            result = from_notice("profile.emotions", ref.notices[0])
            result.params["emotion"] = name
            return result
    return ok("profile.emotions", "doctor.emotions_ok", count=len(profile.emotions))


def _languages(profile: Profile, version: str | None) -> CheckResult:
    try:
        prompt, text = preflight.api_languages(profile, profile.api, version)
    except LauncherError as exc:
        return from_error("profile.languages", exc)
    return ok("profile.languages", "doctor.lang_ok", prompt=prompt, text=text)


def device_check(profile: Profile, result) -> CheckResult:
    """`device`/`half` against what the runtime's torch can do (probe.ProbeResult)."""
    from launcher.gsv.probe import effective_half

    device = profile.device
    api = profile.api
    half = effective_half(profile.half, device, api)
    if device == "cpu":
        if half:  # api.py -hp on the CPU: torch has no fp16 kernels there
            return fail("profile.device", "doctor.half_on_cpu", profile=profile.name)
        return ok("profile.device", "doctor.device_cpu")
    if device is None and api == "v1":
        return ok("profile.device", "doctor.device_auto")  # api.py picks GPU/CPU and precision itself
    shown = device or "cuda"
    if not result.cuda_available:
        # api_v2.py falls back to the CPU (TTS_Config); api.py -d cuda fails to load.
        if api == "v1":
            return fail("profile.device", "doctor.device_no_cuda", device=shown, torch=result.torch)
        return warn("profile.device", "doctor.device_cpu_fallback", device=shown, torch=result.torch)
    gpu = result.device(shown)
    if gpu is None:
        return fail("profile.device", "doctor.device_missing", device=shown, count=len(result.devices))
    params = {"device": shown, "gpu": gpu.name}
    if half and not gpu.fp16:
        return fail("profile.device", "doctor.half_unsupported", **params)
    if not gpu.usable:
        return warn("profile.device", "doctor.gpu_weak", memory=f"{gpu.memory_bytes / 1024**3:.1f} GB", **params)
    return ok("profile.device", "doctor.device_ok", precision="fp16" if half else "fp32", **params)


# Steps a v3/v4 model is worth on the CPU: 32 (upstream's default) takes minutes a sentence.
CPU_SAMPLE_STEPS = 8


def steps_check(profile: Profile, version: str, probe) -> CheckResult | None:
    """A v3/v4 character on the CPU with upstream's 32 sampling steps: warn and suggest fewer.

    The CPU is certain when the profile says `device: cpu`, or when the runtime's torch
    has no usable CUDA (api_v2.py then falls back to the CPU). None: nothing to say.
    """
    if version not in ("v3", "v4"):
        return None
    no_cuda = probe is not None and getattr(probe, "ok", False) and probe.torch and not probe.cuda_available
    if profile.device != "cpu" and not no_cuda:
        return None
    steps = profile.params.get("sample_steps", 32)
    if not isinstance(steps, int) or steps <= CPU_SAMPLE_STEPS:
        return ok("profile.steps", "doctor.steps_cpu_ok", steps=steps, version=version)
    return warn("profile.steps", "doctor.steps_on_cpu", steps=steps, version=version, suggest=CPU_SAMPLE_STEPS,
                profile=profile.name)


def port_check(profile: Profile, layout: Layout, running: list) -> CheckResult:
    """Free, or already serving this profile (ok); another of our servers (warn: `stop` it);
    a foreign process or a Windows excluded range (fail)."""
    from launcher.server.registry import Registry
    from launcher.server.process import check_port_free

    for rec in running:
        if rec.port == profile.port:
            if rec.profile == profile.name:
                return ok("profile.port", "doctor.port_running", port=rec.port, pid=rec.pid)
            return warn("profile.port", "port.ours", port=rec.port, profile=rec.profile, pid=rec.pid)
    try:
        check_port_free(profile.host, profile.port, Registry(layout.registry_file))
    except PortBusy as exc:
        if exc.key == "port.busy" and any(s in str(exc.params.get("cmdline", "")) for s in ("api.py", "api_v2.py")):
            # A GPT-SoVITS server started by hand (or by upstream's own .bat): `stop --port` ends it.
            return fail("profile.port", "doctor.port_gsv_unmanaged", **exc.params)
        return from_error("profile.port", exc, WARN if exc.key == "port.ours" else FAIL)
    return ok("profile.port", "doctor.port_free", port=profile.port)


__all__ = ["profile_section", "device_check", "port_check", "FAIL"]
