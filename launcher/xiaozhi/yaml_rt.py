"""ruamel.yaml set up to round-trip a file xiaozhi reads with PyYAML: what it writes,
PyYAML reads back as the same values, and what PyYAML reads, it reads too."""

from __future__ import annotations

import re


def rt_yaml(indent: tuple = (2, 4, 2)):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Representer = _representer()
    yaml.Constructor = _constructor()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long prompt_text or path
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


_REPRESENTER = None
_CONSTRUCTOR = None


def _constructor():
    """ruamel's round-trip constructor, reading as text what its resolver takes for a float
    but is none: ruamel resolves `._` as a float and then fails on float("."), where
    PyYAML (xiaozhi) reads the text "._"."""
    global _CONSTRUCTOR
    if _CONSTRUCTOR is None:
        from ruamel.yaml.constructor import RoundTripConstructor

        class Constructor(RoundTripConstructor):
            def construct_yaml_float(self, node):
                try:
                    return super().construct_yaml_float(node)
                except ValueError:
                    return self.construct_yaml_str(node)

        Constructor.add_constructor("tag:yaml.org,2002:float", Constructor.construct_yaml_float)
        _CONSTRUCTOR = Constructor
    return _CONSTRUCTOR
# PyYAML's (YAML 1.1) float: a dot is required, and an exponent needs its sign.
_YAML11_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"""
    r"""|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"""
)


def _representer():
    """ruamel's round-trip representer, with floats PyYAML reads back as the same number.

    ruamel re-formats a loaded float from its digits and can lose the last one
    (3.816275151998157e+16 -> ...156e+16), and writes a new 1e16 as `1e+16`,
    which PyYAML reads as a string.
    """
    global _REPRESENTER
    if _REPRESENTER is None:
        from ruamel.yaml.representer import RoundTripRepresenter
        from ruamel.yaml.scalarfloat import ScalarFloat

        class Representer(RoundTripRepresenter):
            pass

        def represent(self, data):
            base = RoundTripRepresenter.represent_scalar_float if isinstance(data, ScalarFloat) else (
                RoundTripRepresenter.represent_float
            )
            node = base(self, data)
            text = str(node.value)
            try:
                exact = float(text.replace("_", "")) == float(data)
            except ValueError:  # .inf, .nan
                exact = True
            # A loaded float keeps its own text when it is exact: PyYAML then reads what it read
            # before. A float we add must be one PyYAML reads as a float.
            if exact and (isinstance(data, ScalarFloat) or _YAML11_FLOAT.match(text)):
                return node
            text = repr(float(data))
            if "e" in text and "." not in text:
                text = text.replace("e", ".0e", 1)
            return self.represent_scalar("tag:yaml.org,2002:float", text)

        Representer.add_representer(ScalarFloat, represent)
        Representer.add_representer(float, represent)
        _REPRESENTER = Representer
    return _REPRESENTER
