"""click's own sentences (usage errors: unknown option, missing argument, bad value)
in the user's language, from the one catalog.

click marks these texts for gettext (`from gettext import gettext as _` in each of
its modules) but ships no Chinese. We give those modules our lookup instead: a text
this table knows comes from the catalog's ``click.*`` keys in the current language; any
other text, and every text in English, stays click's own. The table lists the wording
of both click lines we support (8.1 on the 整合包-era Python 3.9, 8.2+ since), which
differ in a few sentences; the catalog holds one text per meaning.
"""

from __future__ import annotations

import importlib
import re

from launcher import messages as msg

# click's text (exactly as in its source) -> catalog key.
TEXTS = {
    "Invalid value for {param_hint}: {message}": "click.invalid_value_for",
    "Invalid value: {message}": "click.invalid_value",
    "Missing argument": "click.missing_argument",
    "Missing option": "click.missing_option",
    "Missing parameter": "click.missing_parameter",
    "Missing parameter: {param_name}": "click.missing_parameter_named",
    "Missing {param_type}": "click.missing_type",
    "Missing command.": "click.missing_command",
    "No such option: {name}": "click.no_such_option",  # click 8.1
    "No such option {name!r}.": "click.no_such_option",
    "No such command {name!r}.": "click.no_such_command",
    "Did you mean {possibility}?": "click.did_you_mean",
    "(Did you mean one of: {possibilities}?)": "click.did_you_mean_one_of",
    "(Possible options: {possibilities})": "click.possible_options",  # click 8.1
    "Got unexpected extra argument ({args})": "click.extra_arguments",
    "Got unexpected extra arguments ({args})": "click.extra_arguments",
    "Could not open file {filename!r}: {message}": "click.could_not_open",
    "Option {name!r} requires an argument.": "click.option_needs_value",
    "Option {name!r} requires {nargs} arguments.": "click.option_needs_values",
    "Option {name!r} does not take a value.": "click.option_takes_no_value",
    "Argument {name!r} takes {nargs} values.": "click.argument_takes_values",
    "{value!r} is not a valid {number_type}.": "click.not_a_number",
    "{value} is not in the range {range}.": "click.not_in_range",
    "{value!r} is not one of {choices}.": "click.not_one_of",
    "{value!r} is not {choice}.": "click.not_the_choice",
    "{value!r} is not a valid boolean.": "click.not_a_boolean",  # click 8.1
    "{value!r} is not a valid boolean. Recognized values: {states}": "click.not_a_boolean_states",
    "Choose from:\n\t{choices}": "click.choose_from",
    "{name} {filename!r} does not exist.": "click.path_missing",
    "{name} {filename!r} is a directory.": "click.path_is_directory",
    "{name} {filename!r} is a file.": "click.path_is_file",
    "{name} {filename!r} is not readable.": "click.path_not_readable",
    "{name} {filename!r} is not writable.": "click.path_not_writable",
    "{name} {filename!r} is not executable.": "click.path_not_executable",
    "file": "click.word.file",
    "directory": "click.word.directory",
    "path": "click.word.path",
}

# Words click fills into those sentences without passing them through gettext:
# a type's name ("integer") and a parameter's kind ("argument").
WORDS = {
    "integer": "click.word.integer",
    "float": "click.word.float",
    "integer range": "click.word.integer_range",
    "float range": "click.word.float_range",
    "argument": "click.word.argument",
    "option": "click.word.option",
    "parameter": "click.word.parameter",
}

_SENTENCE_END = re.compile(r"(?<=')\.(?=\s|$)")  # after a quoted name: click's, not the user's
_MODULES = ("click.core", "click.exceptions", "click.parser", "click.types", "click.termui")


class _Sentence(str):
    """A translated sentence; when click fills it, its English words are translated too."""

    def format(self, *args, **params):  # noqa: A003 - str.format, as click calls it
        for field in ("number_type", "param_type"):
            word = params.get(field)
            if isinstance(word, str) and word in WORDS:
                params[field] = msg.t(WORDS[word])
        return str.format(self, *args, **params)


def gettext(text: str) -> str:
    key = TEXTS.get(text)
    if key is None or msg.language() == msg.EN:
        return text
    return _Sentence(msg.template(key))


def ngettext(singular: str, plural: str, count: int) -> str:
    if TEXTS.get(singular) and msg.language() != msg.EN:
        return gettext(singular)  # Chinese has no plural form
    return singular if count == 1 else plural


def install() -> None:
    """Point click's gettext names at ours (idempotent; modules click lacks are skipped)."""
    for name in _MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


def finish(text: str) -> str:
    """click puts its own '.' after a missing parameter's name, outside any text we
    translate ("缺少参数 '角色'."): in Chinese it becomes '。'."""
    if msg.language() == msg.EN or text.isascii():
        return text
    return _SENTENCE_END.sub("。", text).replace("。 ", "。")
