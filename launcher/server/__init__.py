"""Running a server: planning a start (`plan`, with the checks in `preflight`), starting it (`process`), watching its log and readiness (`watch`), stopping it (`stopping`), the registry of running servers, switching characters, log files, and the inventory that `list`/`status` show.

`ownership` decides which processes may be ended or sent a request (a GPT-SoVITS
server, proven); `scan` finds servers by their processes when the registry cannot tell.

May import: `launcher.gsv`, `launcher.profiles.schema` and the base modules.
"""
