"""URLs are reversed, never written: no template or Python module spells out a path of Terrain.

A written path breaks silently when a URL changes or Terrain is served under a
prefix (``FORCE_SCRIPT_NAME``); ``{% url %}`` / ``reverse`` follow both.
The first segments of every route are read from the URL resolver, so a new
app is covered without a word here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings
from django.urls import get_resolver

import terrain

ROOT = Path(terrain.__file__).parent


def _first_segments() -> set[str]:
    segments = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            head = route.split("/", 1)[0]
            if head and "<" not in head and not head.startswith("^"):
                segments.add(head)

    walk(get_resolver().url_patterns, "")
    return segments


def _written_path(text: str, segments: set[str]) -> bool:
    match = re.match(r"/([\w-]+)/", text)
    return bool(match) and match.group(1) in segments and not text.startswith(settings.STATIC_URL)


def test_templates_reverse_their_links():
    segments = _first_segments()
    assert {"atelier", "compte", "cooperatives"} <= segments
    attribute = re.compile(r"""\b(?:href|action|src|hx-[a-z]+|data-[a-z-]+)\s*=\s*["']([^"']*)["']""")
    written = [
        f"{path.relative_to(settings.BASE_DIR)}: {value}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for value in attribute.findall(path.read_text())
        if _written_path(value, segments)
    ]
    assert written == []


def _literals(tree: ast.AST):
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    # The literal parts of an f-string are constants too: f"{settings.SITE_URL}/atelier/{code}/".
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_python_reverses_its_links():
    segments = _first_segments()
    written = [
        f"{path.relative_to(ROOT.parent)}:{line}: {text}"
        for path in ROOT.rglob("*.py")
        if not {"tests", "migrations"} & set(path.parts)
        for line, text in _literals(ast.parse(path.read_text()))
        if _written_path(text, segments)
    ]
    assert written == []
