"""The agents' journal is written through one constructor per action (backoffice/journal.py)."""

import ast
import inspect
import pathlib

from guichet.backoffice import journal
from guichet.backoffice.enums import JournalAction

GUICHET = pathlib.Path(journal.__file__).resolve().parent.parent
WRITERS = {"create", "bulk_create", "get_or_create", "update_or_create"}


def test_every_action_has_its_constructor():
    source = ast.parse(inspect.getsource(journal))
    written = {
        node.attr
        for function in source.body
        if isinstance(function, ast.FunctionDef) and function.name.startswith("log_")
        for node in ast.walk(function)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "JournalAction"
    }
    assert written == {action.name for action in JournalAction}


def journal_writes(root: pathlib.Path) -> list[str]:
    """Places outside journal.py that write journal lines without a constructor."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or path.name == "journal.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            called = ast.unparse(node.func)
            if (
                called in ("JournalEntry", "_write", "journal._write")
                or called.startswith("JournalEntry.objects.")
                and called.rsplit(".", 1)[-1] in WRITERS
            ):
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def test_only_the_constructors_write_journal_lines():
    assert journal_writes(GUICHET) == []


def test_a_line_written_by_hand_is_found(tmp_path):
    (tmp_path / "views.py").write_text(
        "JournalEntry.objects.create(user=u, action='signed_in', detail={'prefectur': 1})\n"
    )
    assert journal_writes(tmp_path) == [f"{tmp_path.name}/views.py:1"]
