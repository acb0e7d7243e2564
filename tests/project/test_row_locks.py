"""Every row lock names the rows it takes (`select_for_update(of=…)`).

Without `of`, PostgreSQL locks every table the query joins: a select_related, or a model's
default ordering by a related field, silently locks the préfecture or the service too. That
made an offer decision and a préfecture's batch wait on each other (a deadlock seen in CI), and
a lock on the préfecture's row in a long transaction also holds back every intake there.
"""

import ast

from tests.source import GUICHET, calls


def lock_without_of(call: ast.Call) -> bool:
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "select_for_update"
        and not any(keyword.arg == "of" for keyword in call.keywords)
    )


def test_every_row_lock_names_the_rows_it_takes():
    assert calls(GUICHET, lock_without_of) == []


def test_a_lock_without_of_is_found(tmp_path):
    (tmp_path / "bad.py").write_text("Request.objects.select_for_update().get(pk=1)\n")
    assert calls(tmp_path, lock_without_of) == [f"{tmp_path.name}/bad.py:1"]
