"""Community voice packs: recognising a pack (folder or zip), safe zip extraction, and importing it into a package as a profile.

May import: `launcher.profiles.schema`, `launcher.gsv` and the base modules.
"""
