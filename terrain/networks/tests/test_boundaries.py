"""The connector layer sits below the apps: ``terrain/networks/`` imports none of them.

A connector that reads an app's models (the newsletter's subscribers, the workshop's
publications) belongs to that app, which registers it (see ``registry.register``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import terrain.networks

ALLOWED = ("terrain.lib", "terrain.networks")
ROOT = Path(terrain.networks.__file__).parent


def _package_of(path: Path) -> str:
    parts = path.relative_to(ROOT.parent.parent).with_suffix("").parts
    return ".".join(parts if path.name == "__init__.py" else parts[:-1]).removesuffix(".__init__")


def _imports(source: str, *, package: str) -> list[tuple[int, str]]:
    """(line, module) of every import in ``source``, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the module's own package
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{node.module}" if node.module else parent
            found.append((node.lineno, base))
    return found


def _is_allowed(module: str) -> bool:
    if module != "terrain" and not module.startswith("terrain."):
        return True  # the standard library, Django, the networks' own libraries
    return any(module == allowed or module.startswith(allowed + ".") for allowed in ALLOWED)


def test_networks_import_no_app_above_them():
    wrong = [
        f"{path.relative_to(ROOT.parent.parent)}:{line} imports {module}"
        for path in sorted(ROOT.rglob("*.py"))
        for line, module in _imports(path.read_text(), package=_package_of(path))
        if not _is_allowed(module)
    ]
    assert wrong == [], "terrain/networks may import only terrain.lib and itself:\n" + "\n".join(wrong)


def test_the_scan_finds_an_app_imported_anywhere():
    """The check itself: an import inside a function, or a relative one, is seen too."""
    source = "import os\nfrom . import base\n\ndef f():\n    from terrain.newsletter.models import Subscriber\n"
    modules = [module for _line, module in _imports(source, package="terrain.networks.rss")]
    assert modules == ["os", "terrain.networks.rss", "terrain.newsletter.models"]
    assert [m for m in modules if not _is_allowed(m)] == ["terrain.newsletter.models"]
    assert not _is_allowed("terrain") and not _is_allowed("terrain.atelier")
    assert _is_allowed("terrain.lib.text") and _is_allowed("terrain.networks.base") and _is_allowed("django.conf")
    assert _package_of(ROOT / "x" / "connector.py") == "terrain.networks.x"
    assert _package_of(ROOT / "x" / "__init__.py") == "terrain.networks.x"
