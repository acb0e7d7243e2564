"""Every word a person can meet exists in the nine languages: each msgid makemessages extracts
from the code is translated (present, not fuzzy, not empty) in the eight catalogues beside French,
and every message template of notifications/fr/ exists in each language. The check itself is
shown to catch a string added to a public template without its translations."""

import re

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

from tests.catalogues import (
    OTHER_LANGUAGES,
    PACKAGE,
    copy_sources,
    extracted,
    message_folders,
    untranslated,
)

LOCALE_DIR = settings.LOCALE_PATHS[0]
NEW_SENTENCE = "Une phrase toute neuve, ajoutée sans sa traduction."


def test_the_eight_languages_beside_french_are_whole(tmp_path):
    report = untranslated(copy_sources(PACKAGE, tmp_path / "guichet"), LOCALE_DIR, tmp_path)

    incomplete = {language: problems for language, problems in report.items() if problems}
    assert not incomplete, "\n".join(
        f"{language}: {len(problems)} to do, e.g. {problems[:5]}"
        for language, problems in incomplete.items()
    )


def whole_catalogues(package, locale_dir, workdir):
    """Catalogues and message templates for every language, each msgid « translated » by
    itself: what a finished translation looks like to the check."""
    catalogue = extracted(package, workdir)
    for entry in catalogue:
        entry.msgstr = entry.msgid
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    for language in OTHER_LANGUAGES:
        folder = locale_dir / to_locale(language) / "LC_MESSAGES"
        folder.mkdir(parents=True)
        catalogue.save(str(folder / "django.po"))
        for root in message_folders(package):
            (root / language).mkdir(exist_ok=True)
            for template in (root / "fr").glob("*.txt"):
                (root / language / template.name).write_text(template.read_text())


@pytest.fixture(scope="module")
def whole_copy(tmp_path_factory):
    """A copy of the package whose eight catalogues are whole, made once (makemessages is slow)."""
    root = tmp_path_factory.mktemp("whole")
    package = copy_sources(PACKAGE, root / "guichet")
    (root / "work").mkdir()
    whole_catalogues(package, root / "locale", root / "work")
    return package, root / "locale"


def test_whole_catalogues_pass_the_check(whole_copy, tmp_path):
    package, locale_dir = whole_copy

    assert untranslated(package, locale_dir, tmp_path) == {
        language: [] for language in OTHER_LANGUAGES
    }


def test_a_string_added_to_a_public_template_without_translation_is_reported(whole_copy, tmp_path):
    package, locale_dir = whole_copy
    template = package / "templates" / "home.html"
    original = template.read_text()
    template.write_text(
        original.replace("{% endblock", f'<p>{{% translate "{NEW_SENTENCE}" %}}</p>{{% endblock', 1)
    )
    try:
        report = untranslated(package, locale_dir, tmp_path)
    finally:
        template.write_text(original)

    assert report == {language: [f"missing: {NEW_SENTENCE!r}"] for language in OTHER_LANGUAGES}


def test_a_fuzzy_or_empty_entry_and_a_missing_message_are_reported(whole_copy, tmp_path):
    package, locale_dir = whole_copy
    path = locale_dir / "ar" / "LC_MESSAGES" / "django.po"
    original = path.read_text()
    catalogue = polib.pofile(str(path))
    fuzzy, empty = [entry for entry in catalogue if entry.msgid and not entry.msgid_plural][:2]
    fuzzy.flags.append("fuzzy")
    empty.msgstr = ""
    catalogue.save(str(path))
    messages = package / "notifications" / "templates" / "notifications"
    (messages / "es" / "offer_made.txt").unlink()
    try:
        report = untranslated(package, locale_dir, tmp_path)
    finally:
        path.write_text(original)
        (messages / "es" / "offer_made.txt").write_text(
            (messages / "fr" / "offer_made.txt").read_text()
        )

    assert report["ar"] == [f"fuzzy: {fuzzy.msgid!r}", f"empty: {empty.msgid!r}"]
    assert report["es"] == [
        "no message template: notifications/templates/notifications/fr/offer_made.txt in es"
    ]
    assert report["en"] == []


def test_agents_pages_stay_french_and_need_no_translation(whole_copy, tmp_path):
    package, locale_dir = whole_copy
    template = package / "backoffice" / "templates" / "backoffice" / "agenda.html"
    original = template.read_text()
    template.write_text(original + f'{{% translate "{NEW_SENTENCE}" %}}')
    try:
        report = untranslated(package, locale_dir, tmp_path)
    finally:
        template.write_text(original)

    assert report == {language: [] for language in OTHER_LANGUAGES}


# What a translation must carry over from its msgid as it is: named and positional placeholders,
# HTML tags with their attributes, template-like {names} and entities.
TOKENS = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|<[a-z][^>]*>|</[a-z]+>|\{[a-z_]+\}|&[a-z]+;")


def lost_tokens(entry: polib.POEntry) -> list[str]:
    """The translations of `entry` that drop, add or change a placeholder or a tag. A plural form
    may leave out the count (« one document »), never bring one of its own."""
    if entry.msgid_plural:
        allowed = set(TOKENS.findall(entry.msgid)) | set(TOKENS.findall(entry.msgid_plural))
        return [
            text for text in entry.msgstr_plural.values() if set(TOKENS.findall(text)) - allowed
        ]
    wanted = sorted(TOKENS.findall(entry.msgid))
    return [entry.msgstr] if entry.msgstr and sorted(TOKENS.findall(entry.msgstr)) != wanted else []


def test_translations_keep_every_placeholder_and_tag_of_the_french():
    broken = {}
    for language in OTHER_LANGUAGES:
        path = LOCALE_DIR / to_locale(language) / "LC_MESSAGES" / "django.po"
        for entry in polib.pofile(str(path)):
            if lost := lost_tokens(entry):
                broken[(language, entry.msgid[:60])] = lost
    assert not broken, broken


def test_a_translation_that_loses_a_link_is_reported():
    entry = polib.POEntry(
        msgid='Voir <a href="%(url)s">la page</a>.', msgstr="See the page (%(url)s)."
    )
    assert lost_tokens(entry) == ["See the page (%(url)s)."]
    entry.msgstr = 'See <a href="%(url)s">the page</a>.'
    assert lost_tokens(entry) == []
