"""Every command's --help shows an example that the command itself accepts, and the README's
command list names exactly the commands there are."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from keepitlocal.cli import main

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def _walk(command: click.Command, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...],
                                                                           click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _walk(sub, (*path, name))


COMMANDS = list(_walk(main, ("keepitlocal",)))
LEAVES = {" ".join(p) for p, c in COMMANDS if not isinstance(c, click.Group)}


def _example(help_text: str) -> list[str]:
    match = re.search(r"^\s*Example:\s*(keepitlocal\b.*?)(?:\n\s*\n|\Z)", help_text, re.S | re.M)
    assert match, "no 'Example: keepitlocal ...' paragraph"
    return shlex.split(" ".join(match.group(1).split()))


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_help_has_an_example_the_command_accepts(path, command):
    words = _example(command.get_help(click.Context(command, info_name=" ".join(path))))
    assert tuple(words[: len(path)]) == path, f"the example runs {words}, not {path}"
    if getattr(command, "ignore_unknown_options", False) or command.context_settings.get(
            "ignore_unknown_options"):
        return  # `manage` hands its arguments to Django
    # the example parses: every option it uses exists and takes what it is given (files it
    # names are made, empty, so that options which must name an existing file accept them)
    with CliRunner().isolated_filesystem():
        for word in words:
            if re.fullmatch(r"[\w.-]+\.(csv|xlsx|json|zip)", word):
                Path(word).touch()
        target: click.Command = main
        args = words[1:]
        context = main.make_context("keepitlocal", list(args), resilient_parsing=True)
        while isinstance(target, click.Group) and args and args[0] in target.commands:
            target = target.commands[args[0]]
            args = args[1:]
            context = target.make_context(target.name, list(args), parent=context)
    assert target is command or isinstance(command, click.Group)


def test_the_readme_lists_every_command_and_only_real_ones():
    block = README.split("## The command line", 1)[1].split("```", 2)[1]
    listed = set()
    for line in block.splitlines():
        words = line.split()
        if words and words[0] == "keepitlocal":
            name = " ".join(words[:3]) if len(words) > 2 and not words[2].startswith(
                ("-", "[")) and " ".join(words[:3]) in LEAVES else " ".join(words[:2])
            listed.add(name)
    assert listed - LEAVES == set(), "the README lists commands that do not exist"
    assert LEAVES - listed == set(), "commands missing from the README's command list"
