"""The command line's words: ``observatory/locales/<lang>/cli.json`` in the core domain of :mod:`observatory.i18n`.

Every sentence the CLI prints (summaries, notes, the ``error:`` framing) is a catalogue key, so the CLI
speaks the reader's language like the dashboard and the reports do. The language is chosen once per
invocation: the global ``--lang`` option, else ``$OBSERVATORY_LANG``, else the POSIX locale (``LC_ALL``,
then ``LC_MESSAGES``, then ``LANG``, as C's ``setlocale`` reads them) when it starts with ``fr``, else English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from observatory import i18n

LANG_ENV = "OBSERVATORY_LANG"
CLI_DEFAULT_LANG = "en"   # a shell with no French locale is read in English
LOCALE_VARS: tuple[str, ...] = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX precedence, strongest first

_chosen: str | None = None  # set by the root command's --lang (or its absence) at every invocation


def lang_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """``$OBSERVATORY_LANG`` when it names a catalogue language, else the first set POSIX locale variable."""
    env = os.environ if environ is None else environ
    wanted = env.get(LANG_ENV, "").strip().lower()[:2]
    if wanted in i18n.LANGS:
        return wanted
    for name in LOCALE_VARS:
        value = env.get(name, "").strip()
        if value:  # the first set variable decides, even when it is C or English
            return "fr" if value.lower().startswith("fr") else CLI_DEFAULT_LANG
    return CLI_DEFAULT_LANG


def use_lang(lang: str | None) -> str:
    """Fix the language of this invocation (``None``: from the environment); returns it."""
    global _chosen
    _chosen = i18n.check_language(lang) if lang is not None else lang_from_environment()
    return _chosen


def current_lang() -> str:
    return _chosen if _chosen is not None else lang_from_environment()


def say(key: str, /, **fmt: object) -> str:
    """The sentence for ``key`` in the CLI's language, French spacing applied to the catalogue's words only
    (a path or a value given as a parameter is printed as it is)."""
    lang = current_lang()
    template = i18n.typography(i18n.CORE.catalogue(lang)[key], lang)
    return template.format(**fmt) if fmt else template
