"""The layers import only downwards: engine ← service ← api / web, views ← web, documents;
read from the source, so that an import hidden inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# package → the app packages it must never import
FORBIDDEN = {
    "app.views": ("app.web", "app.api", "app.service", "app.documents", "app.main"),
    "app.service": ("app.web", "app.views", "app.api", "app.documents", "app.main"),
    "app.documents": ("app.web", "app.api", "app.service", "app.main"),
    "app.api": ("app.web", "app.views", "app.main"),
    "app.web": ("app.api", "app.main"),
    "app.notebook": ("app.web", "app.api", "app.service", "app.main", "fastapi", "starlette"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module `path` imports, relative imports resolved."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            out.add(module)
            out |= {f"{module}.{alias.name}" for alias in node.names}
    return out


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package.replace(".", "/")).rglob("*.py"))


@pytest.mark.parametrize("package", list(FORBIDDEN))
def test_a_layer_never_imports_the_layers_above_it(package):
    files = sources(package)
    assert files, package
    for path in files:
        for name in imports(path):
            bad = [f for f in FORBIDDEN[package] if name == f or name.startswith(f + ".")]
            assert not bad, f"{path.relative_to(ROOT)} imports {name}"


def test_the_engine_never_imports_the_app():
    for path in sources("engine"):
        assert not any(n == "app" or n.startswith("app.") for n in imports(path)), path


def test_the_boundary_check_sees_an_import():
    """The check itself: a module that imports a layer above it is caught."""
    here = imports(Path(__file__))
    assert "pytest" in here and "pathlib.Path" in here
    views = imports(ROOT / "app/views/lab.py")
    assert "app.views.diagram" in views and "app.views.model.NetworkModel" in views
    relative = imports(ROOT / "app/views/equations/neuron.py")
    assert "app.views.equations.mathml.Chain" in relative
