"""Community voice packs: recognising a pack (folder or zip), planning its import into a package as a profile, and carrying that plan out.

Modules, in the order an import uses them: `zipsafe` (safe zip extraction),
`walk` (the pack's files and character folders), `names` (ids and languages
from names), `references` (reference audio and transcripts), `scan` (the
pack as a whole), `choose` (which weights, references and languages),
`plan` (every file's place and the profile, checked before any write),
`apply` (all-or-nothing copies with backups).

May import: `launcher.profiles.schema`, `launcher.gsv` and the base modules.
"""
