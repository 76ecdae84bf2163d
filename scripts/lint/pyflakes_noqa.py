"""make lint's Python check: pyflakes over the given paths, honouring noqa.

Run it with the interpreter that has Debian's python3-pyflakes
(/usr/bin/python3); there is no PyPI here, so pyflakes cannot come from pip.
pyflakes itself cannot silence a line. The emulator marks its imports that
exist for their side effect (registering CloudFormation handlers) with
flake8's `# noqa: F401`; this applies such comments: a bare `# noqa` drops
every message on its line, `# noqa: F401,...` only messages of those codes.
Exits 1 when any message (or a file that does not parse) is left.
"""
import re
import sys

from pyflakes import api, messages, reporter

# flake8's codes for the pyflakes messages a noqa comment may name.
CODES = {
    "F401": messages.UnusedImport,
    "F811": messages.RedefinedWhileUnused,
    "F841": messages.UnusedVariable,
}
NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z][0-9]+(?:\s*,\s*[A-Z][0-9]+)*))?", re.IGNORECASE)


def silenced(message, lines):
    """Whether the source line of message carries a noqa that covers it."""
    line = lines[message.lineno - 1] if 0 < message.lineno <= len(lines) else ""
    m = NOQA.search(line)
    if m is None:
        return False
    if m.group("codes") is None:
        return True
    return any(isinstance(message, CODES.get(c.strip().upper(), ())) for c in m.group("codes").split(","))


class Reporter(reporter.Reporter):
    """Prints what is left after noqa and counts it."""

    def __init__(self):
        super().__init__(sys.stdout, sys.stderr)
        self.problems = 0
        self._lines = {}

    def flake(self, message):
        if message.filename not in self._lines:
            with open(message.filename, encoding="utf-8") as f:
                self._lines[message.filename] = f.read().splitlines()
        if silenced(message, self._lines[message.filename]):
            return
        self.problems += 1
        super().flake(message)

    def syntaxError(self, *args, **kwargs):
        self.problems += 1
        super().syntaxError(*args, **kwargs)

    def unexpectedError(self, *args, **kwargs):
        self.problems += 1
        super().unexpectedError(*args, **kwargs)


def main(paths):
    if not paths:
        sys.exit("usage: pyflakes_noqa.py PATH...")
    rep = Reporter()
    api.checkRecursive(paths, rep)
    return 1 if rep.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
