"""Every plural message is French in French, whatever domain holds it and however many.

At run time the domains are merged into one translator that takes the plural rule of the
first domain loaded. A catalog created with Babel's CLDR data for French (three forms)
gave the merged translator a rule that picked a form no catalog has, so every French
plural above one came out in English ("Erreur : The answers have 3 problems…").
"""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from docassemble_asylum.i18n import domains, language, locale_dir, ngettext


def plural_messages():
    for domain in domains():
        with (locale_dir() / "fr" / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
            catalog = read_po(handle, locale="fr", domain=domain)
        for message in catalog:
            if isinstance(message.id, tuple):
                yield domain, message


@pytest.mark.parametrize("lang,rule", [("fr", "(n > 1)"), ("en", "(n != 1)")])
def test_every_catalog_has_the_language_plural_rule(lang, rule):
    for domain in domains():
        header = (locale_dir() / lang / "LC_MESSAGES" / f"{domain}.po").read_text(encoding="utf-8")
        assert f"Plural-Forms: nplurals=2; plural={rule};" in header, domain


@pytest.mark.parametrize("count", [0, 1, 2, 3, 12])
def test_every_plural_message_is_french_in_french(count):
    messages = list(plural_messages())
    assert messages, "no plural message found"
    with language("fr"):
        for domain, message in messages:
            singular, plural = message.id
            expected = message.string[0 if count <= 1 else 1]
            assert ngettext(singular, plural, count) == expected, (domain, singular, count)
