#!/usr/bin/env python3
"""pre-commit hook: refuse files that contain key-like secrets (Anthropic, Deepgram-style,
private keys, AWS keys, our own API keys). Exits 1 and names the file and line."""

from __future__ import annotations

import re
import sys
from pathlib import Path

PATTERNS = {
    "Anthropic key": re.compile(r"sk-ant-[A-Za-z0-9_-]{20,}"),
    "Sales Coach API key": re.compile(r"\bsck_[A-Za-z0-9_-]{40,}"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "assigned secret": re.compile(
        r"(?i)\b(DEEPGRAM_API_KEY|ANTHROPIC_API_KEY|SECRET_KEY|JWT_SECRET_KEY)\s*=\s*['\"]?"
        r"(?!change-me)[A-Za-z0-9_\-]{24,}"
    ),
}


def findings(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return []
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        found += [f"{path}:{number}: {name}" for name, rx in PATTERNS.items() if rx.search(line)]
    return found


def main(paths: list[str]) -> int:
    problems = [f for p in paths for f in findings(Path(p))]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
