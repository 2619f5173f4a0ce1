"""The stand-in GPT-SoVITS servers (faithful to upstream's `api.py`/`api_v2.py`), the fake 整合包 they run in, and the `demo` verb's flow.

May import: `launcher.server` (plan, process, watch, stopping), `launcher.xiaozhi.config`, `launcher.gsv`, `launcher.profiles.schema` and the base modules. The stand-in servers themselves import nothing from the launcher: they run as `api.py`/`api_v2.py` inside a fake package.
"""
