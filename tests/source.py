"""Reading the project's code for rules no linter knows (row locks, who writes the history)."""

import ast
import pathlib
from collections.abc import Callable, Iterable

GUICHET = pathlib.Path(__file__).resolve().parent.parent / "guichet"
WRITES = {"create", "bulk_create", "get_or_create", "update_or_create"}


def calls(
    root: pathlib.Path, matches: Callable[[ast.Call], bool], skip: Iterable[str] = ()
) -> list[str]:
    """`path:line` of each call `matches` picks in the Python files below `root` (migrations
    and the files named in `skip` left out)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or path.name in skip:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and matches(node):
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def writes_rows_of(model: str, call: ast.Call) -> bool:
    """`Model(…)`, `Model.objects.create(…)` and the like, or a bulk `insert_rows(Model, …)`."""
    called = ast.unparse(call.func)
    return (
        called == model
        or called.startswith(f"{model}.objects.")
        and called.rsplit(".", 1)[-1] in WRITES
        or called == "insert_rows"
        and bool(call.args)
        and ast.unparse(call.args[0]) == model
    )
