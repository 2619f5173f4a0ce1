"""`doctor`: check results, the package/runtime/profile checks, and the diagnostics bundle.

May import: `launcher.server.plan`, `launcher.server.process`, `launcher.xiaozhi` (config, pointing, network), `launcher.profiles.schema`, `launcher.gsv` and the base modules.
"""
