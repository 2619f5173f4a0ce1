"""Windows double-click support: generated `.bat` files and what the first-run menu offers.

Modules: `batfile` (escaping and the text of one `.bat`, writing it),
`batcheck` (the independent check of the final bytes), `batplan` (which
`.bat` a profile gets: via, root, folder), `firstrun` (the menu's choices).

May import: `launcher.server` (roots, the profile list), `launcher.profiles.schema`, `launcher.gsv` and the base modules.
"""
