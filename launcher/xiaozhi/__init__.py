"""xiaozhi-esp32-server: its config files (round-trip YAML edits, merge rules, 智控台 mode), the exact request its GPT-SoVITS providers send, and wiring a running server into it.

Modules: `files` (the xiaozhi folder, reading its config as xiaozhi merges it),
`yaml_edit` (comment-keeping YAML edits) over `yaml_lines` (the
original lines kept around them), `block` (the TTS block for one
server), `provider` (the request xiaozhi's providers send, and the answer),
`config` (plan, apply and undo the data/.config.yaml edit), `integrate`
(launch plans and running servers -> blocks, and `say`). Where xiaozhi runs:
`deploy` (source or Docker folder, the compose service), `docker` (the docker
command), `image` (the image's shipped config, or the carried
`image_defaults.yaml`), `network` (advertised host and bind address per Docker
product), `processes` (a source install's app.py and Python), `check` (xiaozhi's
own code synthesizes; `xiaozhi_side.py` is the script sent to it), `restart`,
`pointing` (where xiaozhi's TTS URL points).

May import: `launcher.server.plan`, `launcher.server.stopping` (ending a restarted app.py), `launcher.profiles.schema`, `launcher.gsv` and the base modules.
"""
