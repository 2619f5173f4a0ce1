"""Windows double-click support: generated `.bat` files and what the first-run menu offers.

May import: `launcher.profiles.schema`, `launcher.gsv` and the base modules.
"""
