"""The apps' layers (docs/architecture.md): each app imports only apps of the layers below it,
and the pure cores import nothing from Django. The rule lives in pyproject.toml
([tool.importlinter]); import-linter reads every import, those inside functions included."""

import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).parent / "lint-imports"


def lint(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "pyproject.toml", "--no-cache", "--no-logo"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def test_the_apps_keep_their_layers_and_the_cores_stay_pure():
    done = lint(PROJECT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def copy_of_the_code(tmp_path: Path) -> Path:
    shutil.copy(PROJECT / "pyproject.toml", tmp_path)
    shutil.copytree(
        PROJECT / "guichet",
        tmp_path / "guichet",
        ignore=lambda _folder, names: [
            name for name in names if not name.endswith(".py") and "." in name
        ],
    )
    return tmp_path


def test_an_import_cycle_put_back_is_refused(tmp_path):
    """booking importing the registry again (the permit check) is an upward import: refused."""
    project = copy_of_the_code(tmp_path)
    services = project / "guichet" / "booking" / "services.py"
    services.write_text(
        services.read_text() + "\n\ndef needs_review(request):\n"
        "    from guichet.registry.checks import permit_needs_review\n\n"
        "    return permit_needs_review(request)\n"
    )

    done = lint(project)

    assert done.returncode == 1
    assert "Each app imports only the apps of the layers below it BROKEN" in done.stdout
    assert "guichet.booking.services -> guichet.registry.checks" in done.stdout


def test_django_in_the_engine_is_refused(tmp_path):
    project = copy_of_the_code(tmp_path)
    engine = project / "guichet" / "allocation" / "engine.py"
    engine.write_text("from django.utils import timezone  # noqa\n" + engine.read_text())

    done = lint(project)

    assert done.returncode == 1
    assert "The pure cores import nothing from Django BROKEN" in done.stdout
