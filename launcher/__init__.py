"""sovits-launch: start GPT-SoVITS API servers per character, watch them, wire xiaozhi."""

__version__ = "0.1.0"
