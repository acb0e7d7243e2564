"""Whether every word a person can meet is translated: what makemessages extracts from the code
(but for the agents' and associations' pages, which stay in French), checked against each
language's catalogue (guichet/locale/<locale>/LC_MESSAGES/django.po), and every message template
of a notifications/fr/ folder against each language's folder.

`untranslated` works on any copy of the package, so a test can add a string to a copy and see
it reported (tests/project/test_catalogues.py).
"""

import os
import shutil
from collections.abc import Iterable
from contextlib import chdir
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils.translation import to_locale

PACKAGE = Path(settings.BASE_DIR)
# What makemessages reads for the « django » domain: Python, templates, message texts.
SOURCES = (".py", ".html", ".txt")
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# The code of pages only for agents and association members, in French whatever the browser asks
# (settings.GUICHET_FRENCH_ONLY_PATHS): a msgid found only there needs no translation.
FRENCH_ONLY = (
    "backoffice/",
    "associations/",
    "documents/views/agent.py",
    "documents/views/member.py",
    "documents/templates/documents/agents/",
)


def message_folders(package: Path) -> list[Path]:
    """Every app's templates/notifications/ folder (notifications, registry…)."""
    return sorted(folder.parent for folder in package.glob("*/templates/notifications/fr"))


def copy_sources(package: Path, into: Path) -> Path:
    """The package's source files (no catalogue, no compiled file), copied into `into`."""

    def ignored(folder, names):
        return [
            name
            for name in names
            if name in ("locale", "__pycache__")
            or (os.path.isfile(os.path.join(folder, name)) and not name.endswith(SOURCES))
        ]

    shutil.copytree(package, into, ignore=ignored)
    return into


def extracted(sources: Path, workdir: Path) -> polib.POFile:
    """The catalogue makemessages makes from `sources` (a copy of the package), in `workdir`."""
    locale_dir = workdir / "extracted"
    locale_dir.mkdir()
    with override_settings(LOCALE_PATHS=[locale_dir]), chdir(sources):
        call_command("makemessages", locale=["en"], verbosity=0, no_obsolete=True)
    return polib.pofile(str(locale_dir / "en" / "LC_MESSAGES" / "django.po"))


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def problems_of(catalogue_path: Path, wanted: Iterable[polib.POEntry]) -> list[str]:
    """What is wrong in one language's catalogue: each wanted msgid missing, fuzzy or empty."""
    if not catalogue_path.exists():
        return [f"no catalogue at {catalogue_path}"]
    entries = {_key(entry): entry for entry in polib.pofile(str(catalogue_path)) if entry.msgid}
    problems = []
    for want in wanted:
        entry = entries.get(_key(want))
        if entry is None or entry.obsolete:
            problems.append(f"missing: {want.msgid!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {want.msgid!r}")
        elif not entry.translated():
            problems.append(f"empty: {want.msgid!r}")
    return problems


def for_the_public(entry: polib.POEntry) -> bool:
    """Whether a msgid shows anywhere but on agents' and associations' pages."""
    return any(
        not Path(path).as_posix().startswith(FRENCH_ONLY) for path, _line in entry.occurrences
    )


def missing_notifications(package: Path, language: str) -> list[str]:
    """Message templates of a notifications/fr/ folder with no counterpart in `language`'s
    (named by its code or its locale, as notifications.services.template_names looks for
    them)."""
    missing = []
    for root in message_folders(package):
        folders = [root / language, root / to_locale(language)]
        missing += [
            f"no message template: {template.relative_to(package)} in {language}"
            for template in sorted((root / settings.LANGUAGE_CODE).glob("*.txt"))
            if not any((folder / template.name).exists() for folder in folders)
        ]
    return missing


def untranslated(package: Path, locale_dir: Path, workdir: Path) -> dict[str, list[str]]:
    """language -> what is missing for it, for every language but French; empty when whole."""
    wanted = [
        entry for entry in extracted(package, workdir) if entry.msgid and for_the_public(entry)
    ]
    report = {}
    for language in OTHER_LANGUAGES:
        catalogue = locale_dir / to_locale(language) / "LC_MESSAGES" / "django.po"
        report[language] = problems_of(catalogue, wanted) + missing_notifications(package, language)
    return report
