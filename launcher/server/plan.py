"""Planning a start: everything checked, nothing started.

`plan_start` checks what it can before anything runs (files, reference length,
weights version, languages; the checks themselves live in `preflight`, shared
with `doctor`) and builds the exact upstream argv, the child's environment and,
for api_v2.py, the text of our own tts_infer.yaml. `process.spawn` runs the plan.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from launcher.errors import BadInput, Notice
from launcher.gsv import client as gsv_api
from launcher.paths import Layout, Settings
from launcher.profiles.schema import Profile

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass
class LaunchPlan:
    profile: Profile
    api: str
    root: Path
    python: Path
    script: Path
    host: str
    port: int
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    gpt_path: Path | None = None
    sovits_path: Path | None = None
    ref_path: Path | None = None
    prompt_lang_api: str | None = None  # prompt_lang in the form this API accepts
    infer_yaml: Path | None = None
    infer_yaml_text: str | None = None
    sovits_version: str | None = None
    ref_seconds: float | None = None
    notices: list[Notice] = field(default_factory=list)
    capabilities: object | None = None  # gsv.capabilities.Capabilities of the package

    @property
    def url(self) -> str:
        return gsv_api.tts_url(self.host, self.port, self.api)

    @property
    def settings(self) -> dict:
        """What the server runs with besides the weights and the reference, as upstream
        will use it: a hot switch can change only the weights and the reference."""
        device, half = self.profile.device, self.profile.half
        if self.api == "v2":  # our tts_infer.yaml always names both (render_tts_infer_yaml)
            device = device or "cuda"
            half = bool(half) if half is not None else device != "cpu"
        # v1: None = api.py's own default (config.py), which is the same for every start.
        return {"device": device, "half": half}


def resolve_root(profile: Profile, settings: Settings, root: Path | str | None) -> Path:
    chosen = root or profile.root or settings.gsv_root
    if not chosen:
        raise BadInput("start.no_root", profile=profile.name)
    return Path(chosen).expanduser().resolve()


def log_path(layout: Layout, port: int) -> Path:
    """A server's log is named after its port: a switch of character keeps the server,
    and so its log; `logs <profile>` finds it through the registry or the profile's port."""
    return layout.logs / f"port-{port}.log"


def plan_start(
    profile: Profile,
    *,
    layout: Layout,
    settings: Settings,
    api: str | None = None,
    host: str | None = None,
    port: int | None = None,
    python: Path | str | None = None,
    root: Path | str | None = None,
) -> LaunchPlan:
    """Everything checked, nothing started: the exact command, env and files."""
    from launcher.gsv import capabilities, package
    from launcher.server import preflight

    forced = api
    api = api or profile.api
    host = host or profile.host
    port = profile.port if port is None else port  # `or` would turn --port 0 into the profile's port
    if not 1 <= int(port) <= 65535:
        raise BadInput("start.bad_port", value=port)
    root_path = resolve_root(profile, settings, root)
    python_path = Path(python) if python else (Path(settings.python) if settings.python else None)
    info = package.inspect_root(root_path, python_path)
    script = package.require_api_script(info, api)
    notices: list[Notice] = []

    # The checks live in preflight, shared with `doctor`.
    gpt = preflight.require_file(profile, "gpt", profile.gpt, root_path)
    sovits = preflight.require_file(profile, "sovits", profile.sovits, root_path)
    preflight.whole_archive(sovits)
    version = package.sovits_version(sovits)
    # What this release's servers load, read from its code: refuse (or pick the other API) now.
    caps = capabilities.read(root_path)
    api, served = preflight.serving_api(caps, version.version, preferred=api, forced=forced, profile=profile.name)
    notices += served
    script = package.require_api_script(info, api)
    preflight.lora_base(root_path, version)
    notices += preflight.pair(gpt, preflight.gpt_weights(gpt), sovits, version, preflight.sovits_meta(sovits))
    reference = preflight.reference(profile, root_path, api, info.ffprobe)
    ref, ref_seconds = reference.path, reference.seconds
    notices += reference.notices
    prompt_lang, _ = preflight.api_languages(profile, api, version.version)

    if host not in LOOPBACK_HOSTS:
        notices.append(Notice("start.network_bind", host=host, port=port))

    assert info.python is not None  # inspect_root raises when there is none
    argv = [str(info.python), script.name]
    infer_yaml = infer_text = None
    if api == "v1":
        argv += ["-s", str(sovits), "-g", str(gpt)]
        if ref is not None and profile.prompt_text:
            # api.py drops the default reference unless all three are given.
            argv += ["-dr", str(ref), *_option("-dt", profile.prompt_text), "-dl", prompt_lang]
        elif ref is not None:
            notices.append(Notice("start.v1_no_prompt_text", profile=profile.name))
        if profile.device:
            argv += _option("-d", profile.device)
        argv += [*_option("-a", host), "-p", str(port)]
        if profile.half is True:
            argv.append("-hp")
        elif profile.half is False:
            argv.append("-fp")
        if profile.params.get("cut_punc"):
            argv += _option("-cp", str(profile.params["cut_punc"]))
    else:
        infer_yaml = layout.infer_configs / f"{profile.name}.yaml"
        infer_text = render_tts_infer_yaml(
            profile, gpt, sovits, version.version, top_level=capabilities.yaml_top_level(caps, version.version)
        )
        argv += [*_option("-a", host), "-p", str(port), "-c", str(infer_yaml)]

    env = child_env(root_path)
    _fits_a_command_line(argv, env, profile, script.name)
    return LaunchPlan(
        profile=profile,
        api=api,
        root=root_path,
        python=info.python,
        script=script,
        host=host,
        port=int(port),
        argv=argv,
        env=env,
        log_path=log_path(layout, int(port)),
        gpt_path=gpt,
        sovits_path=sovits,
        ref_path=ref,
        prompt_lang_api=prompt_lang,
        infer_yaml=infer_yaml,
        infer_yaml_text=infer_text,
        sovits_version=version.version,
        ref_seconds=ref_seconds,
        notices=notices,
        capabilities=caps,
    )


def _fits_a_command_line(argv: list[str], env: dict[str, str], profile: Profile, script: str) -> None:
    """api.py takes prompt_text as an argument: refuse one the system cannot pass (E2BIG / 32,767)."""
    from launcher.server import arglimits

    on_line = {"prompt_text": profile.prompt_text, "gpt": profile.gpt, "sovits": profile.sovits,
               "ref_audio": profile.ref_audio or ""}
    on_line = {k: v for k, v in on_line.items() if v and any(v in arg for arg in argv)}
    found = arglimits.check(argv, env, on_line)
    if found:
        raise arglimits.error(found, script)


def _option(flag: str, value: str) -> list[str]:
    """`-dt text` as two arguments; as one `-dt=-text` when the text starts with `-`,
    which upstream's argparse would otherwise take for an option (and exit)."""
    return [f"{flag}={value}"] if value.startswith("-") else [flag, value]


def render_tts_infer_yaml(profile: Profile, gpt: Path, sovits: Path, version: str, *, top_level: bool = False) -> str:
    """Our own tts_infer.yaml for api_v2.py -c: upstream rewrites the file it is given,
    so the user's GPT_SoVITS/configs/tts_infer.yaml is never handed over.

    The version goes where the release reads it: `custom.version` (main), and with
    `top_level` also a top-level `version` (releases up to 20250606v2pro read only that one,
    lower-cased: see capabilities.yaml_top_level)."""
    import yaml

    device = profile.device or "cuda"
    custom = {
        "bert_base_path": "GPT_SoVITS/pretrained_models/chinese-roberta-wwm-ext-large",
        "cnhuhbert_base_path": "GPT_SoVITS/pretrained_models/chinese-hubert-base",
        "device": device,
        # never fp16 on the CPU: releases up to 20250606v2pro keep it there and answer silence
        "is_half": (bool(profile.half) if profile.half is not None else True) and device != "cpu",
        "t2s_weights_path": str(gpt),
        "version": version,
        "vits_weights_path": str(sovits),
    }
    header = f"# Written by sovits-launch for profile '{profile.name}'; regenerated at every start.\n"
    data: dict = {"custom": custom}
    if top_level:
        data["version"] = version
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=True)


def child_env(root: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: UTF-8, unbuffered, the package's runtime first on PATH.

    PYTHONHOME/PYTHONPATH from a system Python would make the embedded runtime
    load the wrong standard library, so they are dropped.
    """
    env = dict(os.environ if base is None else base)
    for var in ("PYTHONHOME", "PYTHONPATH"):
        env.pop(var, None)
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUNBUFFERED"] = "1"
    runtime = root / "runtime"
    if runtime.is_dir():
        env["PATH"] = str(runtime) + os.pathsep + env.get("PATH", "")
    return env


def python_for_display(argv: list[str]) -> str:
    """The command line as a user would type it (for messages and dry runs)."""
    from launcher.server import cmdline

    return cmdline.for_cmd(argv) if os.name == "nt" else cmdline.for_posix(argv)


__all__ = [
    "LOOPBACK_HOSTS",
    "LaunchPlan",
    "child_env",
    "plan_start",
    "python_for_display",
    "render_tts_infer_yaml",
    "resolve_root",
]
