"""The agents are plain Python: no Django ORM, no app models, importable and usable without Django."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import conversations.agents as agents_package

AGENTS_DIR = Path(agents_package.__file__).parent
ROOT = AGENTS_DIR.parent.parent
APPS = ("accounts", "conversations", "audio", "archive", "happy_partner")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append("." * node.level + node.module)
    return names


def test_no_module_imports_django_or_models():
    modules = sorted(AGENTS_DIR.glob("*.py"))
    assert len(modules) > 10
    for module in modules:
        for name in _imports(module):
            assert not name.startswith("django"), f"{module.name} imports {name}"
            assert ".models" not in name and not name.endswith("models"), f"{module.name} imports {name}"
            if name.startswith(APPS):  # absolute imports of the project: only the provider message type
                assert name == "conversations.providers.base", f"{module.name} imports {name}"


def test_using_the_agents_loads_no_orm():
    """In a fresh interpreter, without Django configured: route, respond, rank and build_messages run, and
    neither django.db nor any app's models module is ever imported."""
    script = """
import json, sys
from conversations.agents import build_messages, rank, respond, route, warm_up
from conversations.agents.types import AgentContext, MemoryView, ProfileView
child = ProfileView(1, "小明", 8, "7-8", 2, "zh-hans")
memories = (MemoryView(1, "preference", "喜欢恐龙", 0.5),)
for text in ("3加5等于几", "我很难过", "讲个故事", "你是机器人吗", "我喜欢恐龙"):
    ctx = AgentContext(text=text, profile=child, memories=memories)
    respond(ctx, route(ctx))
rank("恐龙", memories)
before = sorted(m for m in sys.modules if m.startswith("django"))
build_messages(ctx, route(ctx))
loaded = sorted(sys.modules)
print(json.dumps({"before": before, "loaded": loaded}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["before"] == []  # the builtin engine runs with no Django at all
    loaded = report["loaded"]
    assert not [m for m in loaded if m == "django.db" or m.startswith("django.db.")]
    assert not [m for m in loaded if m.split(".")[0] in APPS and m.split(".")[-1] == "models"]
    assert not [m for m in loaded if ".models." in m and m.split(".")[0] in APPS]
