"""Every third-party module the code imports is declared in setup.cfg (directly or through a
declared package's own requirements), so a fresh virtual environment runs the suite.

The declared names are read from setup.cfg itself, not from the installed metadata, which
can be stale; the closure follows the installed packages' ``Requires-Dist``.
"""
import ast
import configparser
import importlib.metadata as metadata
import pathlib
import sys

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = pathlib.Path(__file__).resolve().parent.parent
OURS = {"queue_server", "display", "printer", "templates", "tests", "bench"}  # bench: own extra


def imported_modules(folder):
    """Top-level names of the absolute imports in every .py file under ``folder``."""
    found = {}
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return {name: where for name, where in found.items()
            if name not in sys.stdlib_module_names and name not in OURS}


def declared(*extras):
    """The requirements setup.cfg declares: install_requires plus the given extras."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = cfg["options"]["install_requires"].splitlines()
    for extra in extras:
        lines += cfg["options.extras_require"][extra].splitlines()
    return [Requirement(line) for line in lines if line.strip()]


def closure(requirements):
    """Canonical names of the requirements and, recursively, of what they require here."""
    seen, todo = set(), [(req, "") for req in requirements]
    while todo:
        req, extra = todo.pop()
        if req.marker and not req.marker.evaluate({"extra": extra}):
            continue
        key = (canonicalize_name(req.name), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        try:
            requires = metadata.requires(req.name) or []
        except metadata.PackageNotFoundError:
            continue  # declared but not installed: pip install -e .[test] would fail loudly
        for line in requires:
            sub = Requirement(line)
            for wanted in req.extras or {""}:
                todo.append((sub, wanted))
    return {name for name, _ in seen}


def providers(module):
    return {canonicalize_name(d) for d in metadata.packages_distributions().get(module, [])}


#: Printer drivers behind guarded imports, installed only with their own extras.
OPTIONAL = {"usb", "cups", "serial"}


def undeclared(folder, requirements):
    """``{module: first file importing it}`` for imports no requirement here provides."""
    names = closure(requirements)
    return {module: where for module, where in imported_modules(folder).items()
            if module not in OPTIONAL and not providers(module) & names}


@pytest.mark.parametrize("folder, extras", [
    ("queue_server", ("redis", "postgres")),  # redis and psycopg2: the scale-out extras
    ("display", ()), ("printer", ()), ("tests", ("test",)),
])
def test_every_import_is_declared(folder, extras):
    missing = undeclared(folder, declared(*extras))
    assert not missing, (f"imported under {folder}/ but declared nowhere in setup.cfg "
                         f"(install_requires{''.join(' + ' + e for e in extras)}): {missing}")


def test_the_check_sees_an_undeclared_import():
    """Without the test extra, the suite's own tools are reported, as a fresh venv would fail."""
    missing = undeclared("tests", declared())
    assert {"pytest", "openapi_spec_validator", "schemathesis"} <= set(missing)
