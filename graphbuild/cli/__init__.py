"""Command-line interface: each command parses, makes one library call, formats the result. The commands
live in three modules by what they do; importing them registers them on ``main``."""

from __future__ import annotations

from graphbuild.cli import output_commands, query_commands, store_commands  # noqa: F401 - registers the commands
from graphbuild.cli.common import _table, main

__all__ = ["_table", "main"]
