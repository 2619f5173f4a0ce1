"""Running a server: planning a start (pre-flight checks, argv), spawning and watching it, the registry of running servers, switching characters, stopping, log files, and the inventory that `list`/`status` show.

May import: `launcher.gsv`, `launcher.profiles.schema` and the base modules.
"""
