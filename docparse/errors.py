"""Errors docparse raises. Each message is one line, naming the file, node or plugin."""

from __future__ import annotations

__all__ = ["DocparseError", "InputError", "FormatError", "PluginError", "UsageError"]


class DocparseError(Exception):
    """Base of docparse's own errors. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class InputError(DocparseError):
    """An input cannot be read: missing, a directory, empty, binary, undecodable, too large."""

    exit_code = 1


def unreadable(label: str, exc: OSError) -> InputError:
    """The one-line error for a file that cannot be opened or read (``label``: its name)."""
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{label}: no such file")
    if isinstance(exc, PermissionError):
        return InputError(f"{label}: permission denied")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{label}: is a directory, not a file")
    return InputError(f"{label}: cannot read ({exc.strerror or exc})")


class FormatError(DocparseError, ValueError):
    """JSON that is not a valid ``docparse/1`` document."""

    exit_code = 1


class PluginError(DocparseError):
    """A plugin that cannot be loaded, ordered or run. ``plugin`` names it."""

    exit_code = 3

    def __init__(self, message: str, plugin: str | None = None) -> None:
        super().__init__(message)
        self.plugin = plugin


class UsageError(DocparseError):
    """The command was called wrongly."""

    exit_code = 2
