"""xiaozhi-esp32-server: its config files (round-trip YAML edits, merge rules, 智控台 mode), the exact request its GPT-SoVITS providers send, and wiring a running server into it.

May import: `launcher.server.plan`, `launcher.profiles.schema`, `launcher.gsv` and the base modules.
"""
