"""Load a build script from data/ (not a package) as a module, for the tests of the corpus build."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

DATA = Path(__file__).resolve().parents[1] / "data"


def load(name: str) -> ModuleType:
    """data/<name>.py as the module `name` (the scripts import each other from their folder)."""
    sys.path.insert(0, str(DATA))
    try:
        spec = importlib.util.spec_from_file_location(name, DATA / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(DATA))
