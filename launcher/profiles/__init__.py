"""Character profiles: the YAML schema (load, validate, save) and `init` (finding characters in a package, pairing weights).

May import: `launcher.gsv` and the base modules.
"""
