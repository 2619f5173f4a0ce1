"""Hot switching on a running server: whether this release swaps the two versions well, and
whether the swap gave real speech (launcher.server.switch decides with these)."""

from __future__ import annotations

from launcher.errors import LauncherError, Notice
from launcher.gsv import client as gsv_api
from launcher.server.plan import LaunchPlan
from launcher.server.registry import ServerRecord

# One short sentence per language family, for the check after a switch.
VERIFY_TEXT = {"zh": "你好，很高兴见到你。", "en": "Hello, nice to meet you.", "ja": "こんにちは、はじめまして。",
               "ko": "안녕하세요, 반갑습니다.", "yue": "你好，好高兴见到你。"}


def running_version(record: ServerRecord) -> str | None:
    """The model version of the weights the server runs (from the file's head), None if unknown."""
    from launcher.gsv import package

    try:
        return package.sovits_version(record.sovits).version if record.sovits else None
    except LauncherError:
        return None


def advice(plan: LaunchPlan, record: ServerRecord, from_version: str | None) -> Notice | None:
    """None when this release swaps these two versions well; else why a restart is better."""
    from launcher.gsv import capabilities

    caps = plan.capabilities or capabilities.read(plan.root)
    ok, reason = capabilities.hot_switch_ok(
        caps, plan.api, from_version, plan.sovits_version or "?", same_reference=_same_reference(plan, record)
    )
    return None if ok else restart_notice(plan, reason, from_version)


def _same_reference(plan: LaunchPlan, record: ServerRecord) -> bool:
    """Whether the running profile used the same reference file (unknown counts as the same)."""
    from launcher.profiles.schema import load_profile

    if not record.profile_path or plan.ref_path is None:
        return True
    try:
        before = load_profile(record.profile_path)
    except LauncherError:
        return True
    return before.ref_audio is None or before.resolve(before.ref_audio, plan.root) == plan.ref_path


def restart_notice(plan: LaunchPlan, key: str, from_version: str | None, **extra) -> Notice:
    caps = plan.capabilities
    return Notice(key, name=plan.profile.title, release=getattr(caps, "release", None) or "?",
                  from_version=from_version or "?", to_version=plan.sovits_version or "?", **extra)


def verify(plan: LaunchPlan, record: ServerRecord) -> str | None:
    """One synthesis through the switched server; None when it is real speech, else what was wrong."""
    from launcher.gsv import answers, capabilities, languages

    profile = plan.profile
    base = languages.normalize(profile.text_lang).replace("all_", "").replace("auto_", "")
    text = VERIFY_TEXT.get(base, VERIFY_TEXT["zh"])
    caps = plan.capabilities or capabilities.read(plan.root)
    extra = capabilities.request_extras(caps, plan.api, profile.params, plan.sovits_version)
    try:
        answer = gsv_api.synthesize(
            plan.api, record.host, record.port, text=text, ref_audio=str(plan.ref_path or ""),
            prompt_text=profile.prompt_text, prompt_lang=plan.prompt_lang_api or profile.prompt_lang,
            text_lang=languages.for_api(profile.text_lang, plan.api, plan.sovits_version), extra=extra,
        )
        if answer.status != 200:
            return f"HTTP {answer.status}: {answer.body[:200].decode('utf-8', 'replace')}"
        super_sampling = bool(extra.get("super_sampling") or extra.get("if_sr"))
        answers.check(answer.body, answers.Expect.of(plan.sovits_version, text, super_sampling=super_sampling))
    except gsv_api.AnswerCut as exc:
        return f"HTTP {exc.status}, {len(exc.partial)} bytes, cut"
    except OSError as exc:
        return str(exc)
    except LauncherError as exc:
        facts = ", ".join(f"{k}={v}" for k, v in exc.params.items() if k in ("rate", "seconds", "level", "size"))
        return exc.key.split(".", 1)[-1] + (f" ({facts})" if facts else "")
    return None
