"""Every setting is documented: a comment above it in settings.py and a row in the README."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT


def _settings() -> list[tuple[str, str, int]]:
    source = (ROOT / "src/vigil/settings.py").read_text()
    tree = ast.parse(source)
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name.isupper():
                env = re.search(r'"(VIGIL_[A-Z_]+)"', ast.get_source_segment(source, node) or "")
                found.append((name, env.group(1) if env else "", node.lineno))
    return found


def test_every_setting_has_a_comment_and_an_environment_variable() -> None:
    lines = (ROOT / "src/vigil/settings.py").read_text().splitlines()
    for name, env, lineno in _settings():
        assert env, f"{name} is not read from a VIGIL_* variable"
        assert lines[lineno - 2].lstrip().startswith("#"), f"{name} has no comment above it"


def test_every_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [env for _, env, _ in _settings() if f"`{env}`" not in readme]
    assert not missing, f"undocumented in README.md: {missing}"
