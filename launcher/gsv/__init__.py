"""Facts about a GPT-SoVITS package and its servers: the package on disk, weight files, `config.py` patching, the HTTP client, the runtime probe, upstream's known failure lines, language tags.

May import: the base modules (`launcher.errors`, `fsio`, `paths`, `audio`).
"""
