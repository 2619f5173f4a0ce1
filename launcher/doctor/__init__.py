"""`doctor`: check results, the package/runtime/profile checks, and the diagnostics bundle.

May import: `launcher.server.lifecycle`, `launcher.xiaozhi.config`, `launcher.profiles.schema`, `launcher.gsv` and the base modules.
"""
