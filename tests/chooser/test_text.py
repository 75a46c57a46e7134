"""The chooser's catalogue: same keys in both languages, every key the code names exists, no French in Python."""

from __future__ import annotations

import re
from pathlib import Path

from observatory.chooser import text

CODE = Path(text.__file__).resolve().parent
KEY = re.compile(r'"((?:reason|fact|variant)\.[a-z_]+(?:\.[a-z_]+)?)"')
FSTRING_KEY = re.compile(r'f"reason\.\{name\}\.([a-z_]+)"')


def test_both_languages_have_the_same_keys():
    assert set(text.catalogue("en")) == set(text.catalogue("fr"))


def test_every_key_named_in_the_code_exists():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in CODE.rglob("*.py"))
    keys = set(KEY.findall(sources))
    for suffix in FSTRING_KEY.findall(sources):  # feature_coverage builds reason.<criterion>.<suffix>
        keys |= {f"reason.processes.{suffix}", f"reason.integration.{suffix}"}
    assert len(keys) > 40
    missing = sorted(k for k in keys if k not in text.catalogue("en"))
    assert missing == []


def test_no_french_prose_in_the_chooser_code():
    accented = re.compile(r"[éèêàùçôî]")
    offenders = [p.name for p in CODE.rglob("*.py") if accented.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_parameters_are_worded_per_language():
    fr = text.say("reason.budget.within", "fr", price_eur=5000.0, budget_eur=20000.0, provider="P")
    assert "5 000 €" in fr.replace("\u202f", " ").replace("\xa0", " ") and "20 000 €" in fr.replace("\u202f", " ").replace(
        "\xa0", " ")
    assert "€5,000" in text.say("reason.budget.within", "en", price_eur=5000.0, budget_eur=20000.0, provider="P")
    assert text.say("fact.language_share", "fr", language="de", share_pct=80).startswith("allemand")
