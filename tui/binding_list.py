"""Every Binding declared in tui/, read from the classes' BINDINGS (Textual's public
Binding.make_bindings): the help pages use it for the keys a page has moved, the tests to keep
tui/keymap.BINDING_IDS and README's list of ids true."""

from __future__ import annotations

import pkgutil
from collections.abc import Iterator
from importlib import import_module

from textual.binding import Binding

import tui


def class_bindings(cls: type) -> Iterator[Binding]:
    """The Bindings `cls` and its bases declare (a subclass's first)."""
    for klass in cls.__mro__:
        declared = klass.__dict__.get("BINDINGS")
        if declared:
            yield from Binding.make_bindings(declared)


def tui_classes() -> Iterator[type]:
    """Every class defined in a module of the tui package (commands and cli excluded: no
    Textual there)."""
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        if info.name.startswith(("tui.commands", "tui.cli")):
            continue
        module = import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                yield value


def declared_bindings() -> Iterator[tuple[type, Binding]]:
    """(class, binding) for each Binding a tui class declares itself."""
    for cls in tui_classes():
        declared = cls.__dict__.get("BINDINGS")
        if declared:
            for binding in Binding.make_bindings(declared):
                yield cls, binding
