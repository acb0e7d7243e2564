"""Every row lock names the rows it takes (`select_for_update(of=…)`).

Without `of`, PostgreSQL locks every table the query joins: a select_related, or a model's
default ordering by a related field, silently locks the préfecture or the service too. That
made an offer decision and a préfecture's batch wait on each other (a deadlock seen in CI), and
a lock on the préfecture's row in a long transaction also holds back every intake there.
"""

import ast
import pathlib

GUICHET = pathlib.Path(__file__).resolve().parents[2] / "guichet"


def locks_without_of(root: pathlib.Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "select_for_update"
                and not any(keyword.arg == "of" for keyword in node.keywords)
            ):
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def test_every_row_lock_names_the_rows_it_takes():
    assert locks_without_of(GUICHET) == []


def test_a_lock_without_of_is_found(tmp_path):
    (tmp_path / "bad.py").write_text("Request.objects.select_for_update().get(pk=1)\n")
    assert locks_without_of(tmp_path) == [f"{tmp_path.name}/bad.py:1"]
