"""The agents' journal is written through one constructor per action (backoffice/journal.py)."""

import ast
import inspect

from guichet.backoffice import journal
from guichet.backoffice.enums import JournalAction
from tests.source import GUICHET, calls, writes_rows_of


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


def hand_written_line(call: ast.Call) -> bool:
    return ast.unparse(call.func) in ("_write", "journal._write") or writes_rows_of(
        "JournalEntry", call
    )


def journal_writes(root) -> list[str]:
    """Places outside journal.py that write journal lines without a constructor."""
    return calls(root, hand_written_line, skip=["journal.py"])


def test_only_the_constructors_write_journal_lines():
    assert journal_writes(GUICHET) == []


def test_a_line_written_by_hand_is_found(tmp_path):
    (tmp_path / "views.py").write_text(
        "JournalEntry.objects.create(user=u, action='signed_in', detail={'prefectur': 1})\n"
    )
    assert journal_writes(tmp_path) == [f"{tmp_path.name}/views.py:1"]
