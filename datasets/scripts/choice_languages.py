"""Compute ``datasets/choice/tool_languages.csv``: which interface languages each tool ships, and how much of it.

For every repository in :data:`LAYOUTS`, the locale files are read from a git snapshot at the *pinned*
commit (``git ls-tree``/``git cat-file``, no work tree), so the same snapshots always give the same bytes.
``share_translated`` = keys with a non-empty translation in that language / keys of the source language
(gettext: msgids of the template when the repository ships one, else of all its catalogues; the msgid
language is the source and counts 1.0). Plural forms (Rails ``one``/``other``, i18next
``_one``/``_plural``) count as one key, so a language with other plural rules is not penalised; a fuzzy or
empty gettext entry is not translated, nor is a text identical to the source text (the fallback that
translation platforms export for missing strings; texts of four characters or less, or without letters,
are exempt); a key that exists only in a translation is ignored.

Usage::

    python datasets/scripts/choice_languages.py --snapshots DIR [--checked-on YYYY-MM-DD] [--out CSV]

``DIR`` holds one snapshot per repository, named ``owner+name`` (a bare git dir, or a folder with ``repo``
or ``repo/.git`` inside). ``--at-head`` reads each snapshot's HEAD instead of the pinned commit and prints
the commits to pin. Repositories too large to snapshot are read from ``--files DIR`` (see
``read_file_drop``): files saved one by one, with a ``MANIFEST.json`` naming the repository and commit.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from observatory.checks_choice import language_tag_problem

PLURAL_KEYS = {"zero", "one", "two", "few", "many", "other"}
I18NEXT_PLURAL = re.compile(r"_(zero|one|two|few|many|other|plural)$")
COLUMNS = ["tool_id", "language_code", "share_translated", "source_url", "source_commit", "checked_on"]


@dataclass(frozen=True)
class Layout:
    """Where one tool keeps its locale files and how to read them."""

    tool_id: str
    repo: str  # owner/name on GitHub
    commit: str  # pinned commit read
    fmt: str  # key of READERS
    pattern: str  # regex on the path; group ``lang`` = locale, optional group ``domain`` splits key spaces
    source: str  # source-language locale as written in the paths
    base: str  # folder the rows' source_url points to
    template: str | None = None  # gettext template path (its msgids are the source keys)
    aliases: dict[str, str] = field(default_factory=dict)  # locale as written -> BCP 47 tag


# One entry per repository read. Commits are the snapshot HEADs read on checked_on.
LAYOUTS: list[Layout] = [
    Layout("democracyos", "DemocracyOS/democracyos", "ad8627d2b6ccfcbe41941ff6f6bb3f65dbca0a11", "json",
           r"^lib/translations/lib/(?P<lang>[A-Za-z_]+)\.json$", "en", "lib/translations/lib"),
    Layout("adhocracy-plus", "liqd/adhocracy-plus", "05b4dc35a7ac82007e025bd919afb408f0eab085", "po",
           r"^locale-source/locale/(?P<lang>[A-Za-z_]+)/LC_MESSAGES/(?P<domain>django|djangojs)\.po$", "en",
           "locale-source/locale"),
    Layout("meinberlin", "liqd/a4-meinberlin", "5b49e7137da1d896d589127ba784938dc8ae3e7e", "po",
           r"^locale/(?P<lang>[A-Za-z_]+)/LC_MESSAGES/(?P<domain>django|djangojs)\.po$", "en", "locale"),
    Layout("belenios", "glondu/belenios", "47e0c82a318067e2aea5e83a79d61fffdca4b513", "po",
           r"^po/(?P<domain>voter|admin)/(?P<lang>[A-Za-z_]+)\.po$", "en", "po",
           template=r"^po/(?P<domain>voter|admin)/messages\.pot$", aliases={"jpn_JP": "ja-JP"}),
    Layout("fixmystreet", "mysociety/fixmystreet", "84d7c80c5d9abd0d330325742c6b9eedc30b19fd", "po",
           r"^locale/(?P<lang>[A-Za-z_]+)\.UTF-8/LC_MESSAGES/(?P<domain>FixMyStreet)\.po$", "en", "locale",
           template=r"^locale/(?P<domain>FixMyStreet)\.po$"),
    Layout("agora-voting", "agoravoting/agora-ciudadana", "a7701035ea77d7a91baa9b5c2d0c05d91d1b4262", "po",
           r"^agora_site/locale/(?P<lang>[A-Za-z_]+)/LC_MESSAGES/(?P<domain>django|djsgettext)\.po$", "en",
           "agora_site/locale"),
    Layout("all-our-ideas", "allourideas/allourideas.org", "3b586bd3fe23b6a341554bc72ef8a39e2f21a672", "rails_yaml",
           r"^config/locales/(?P<domain>allourideas)/(?P<lang>[A-Za-z_-]+)\.yml$", "en", "config/locales/allourideas"),
    Layout("e-petitions", "alphagov/e-petitions", "c87c8b6037429f8feb9180f7306e6a21399c1659", "rails_yaml",
           r"^config/locales/(?:(?P<domain>[a-z_]+)\.)?(?P<lang>[a-z]{2}-[A-Z]{2})\.yml$", "en-GB", "config/locales"),
    Layout("rahvaalgatus", "rahvaalgatus/rahvaalgatus", "bba27e7f29508e42612c0d394a08f5011d5a3b9c", "json",
           r"^lib/i18n/(?P<lang>[a-z]{2})\.json$", "et", "lib/i18n"),
    Layout("zeus", "grnet/zeus", "3a8cef354206913154dcc4e3920420525a269637", "po",
           r"^(?P<domain>helios|zeus|zeus/static/booth|zeus_forum|server_ui|heliosauth|account_administration)"
           r"/locale/(?P<lang>[a-z]{2})/LC_MESSAGES/django(?:js)?\.po$", "en", "zeus/locale"),
    Layout("openslides", "OpenSlides/OpenSlides", "1402e0968ee580d41c0bbe3618451991afffa4d5", "po",
           r"^i18n/(?P<lang>[a-z]{2})\.po$", "en", "i18n", template=r"^i18n/template-en\.pot$"),
    Layout("your-priorities", "CitizensFoundation/your-priorities-app", "79927e28f96a956b418c9f1cf112c8b3620592bc",
           "json", r"^webApps/client/locales/(?P<lang>[A-Za-z_-]+)/translation\.json$", "en",
           "webApps/client/locales"),
    Layout("cobudget", "cobudget/cobudget", "fc667f08ca21df02d332fc719d5aac40441c99bc", "json",
           r"^ui/lang/(?P<lang>[A-Za-z_-]+)\.json$", "en", "ui/lang"),
    Layout("mapseed", "mapseed/platform", "2b1f844756e16b70076992e6b7262eea8ecb1faa", "json",
           r"^src/locales/(?P<lang>[A-Za-z_]+)/(?P<domain>[A-Za-z]+)\.json$", "en", "src/locales"),
    Layout("airesis", "coorasse/Airesis", "a8b370492da6492c35d625325b72edc5a95eaf2a", "rails_yaml",
           r"^config/locales/(?:(?P<domain>[a-z_]+)\.)?(?P<lang>[a-z]{2}-[A-Z]{2})\.yml$", "en-EU", "config/locales",
           aliases={"en-EU": "en"}),
    Layout("antragsgruen", "CatoTH/antragsgruen", "409f3efb3f84e619d0fca7748e62d59146ac384b", "php_array",
           r"^messages/(?P<lang>[a-z]{2})/(?P<domain>[a-z_]+)\.php$", "de", "messages",
           aliases={"me": "cnr"}),
    Layout("kuorum", "Kuorum/kuorum", "c1959bd8fb4a63e1f8e3dd0b38047e6c30136e93", "properties",
           r"^grails-app/i18n/messages(?:_(?P<lang>[a-z]{2}(?:_[A-Z]{2})?))?\.properties$", "en", "grails-app/i18n"),
    Layout("assembl", "assembl/assembl", "3b421649de1dfe772038d0751a75300079ceeb55", "po",
           r"^assembl/locale/(?P<domain>assembl-v2)/(?P<lang>[A-Za-z_]+)\.po$", "en", "assembl/locale",
           template=r"^assembl/locale/(?P<domain>assembl-v2)\.pot$"),
    Layout("adhocracy", "liqd/adhocracy", "a143e7101f788f56c78e00bd30b2fe2e15bf3552", "po",
           r"^src/adhocracy/i18n/(?P<lang>[A-Za-z_]+)/LC_MESSAGES/(?P<domain>adhocracy)\.po$", "en",
           "src/adhocracy/i18n", template=r"^src/adhocracy/i18n/(?P<domain>adhocracy)\.pot$"),
    Layout("shareabouts", "openplans/shareabouts", "73f304968fb5859decee25dbbcce02aff81351d7", "po",
           r"^src/conf/locale/(?P<lang>[A-Za-z_]+)/LC_MESSAGES/(?P<domain>django)\.po$", "en", "src/conf/locale"),
    Layout("madison", "opengovfoundation/madison", "a510f15f82a0aa543b0087c4b72e2e0809b92875", "php_array",
           r"^resources/lang/(?P<lang>[a-z]{2})/(?P<domain>[a-z_]+)\.php$", "en", "resources/lang"),
    Layout("sovereign", "DemocracyEarth/sovereign", "7cc6de14dd708592a2034bdd57b393f50650747b", "json",
           r"^src/lang/(?P<lang>[a-z]{2})\.json$", "en", "src/lang"),
    Layout("polis", "compdemocracy/polis", "08e03eb15598259520b80c27ae266eded530718a", "js_assign",
           r"^client-participation/js/strings/(?P<lang>[A-Za-z_]+)\.js$", "en_us", "client-participation/js/strings",
           aliases={"gr": "el", "es_la": "es-419", "en_us": "en-US"}),
    Layout("sequent", "sequentech/step", "e2fd70ab07486abe7046aa8e3831536e82984c59", "ts_object",
           r"^packages/(?P<domain>admin-portal|voting-portal|ballot-verifier)/src/translations/(?P<lang>[a-z]{2,3})\.ts$",
           "en", "packages/voting-portal/src/translations", aliases={"cat": "ca"}),
    Layout("mark-a-spot", "markaspot/mark-a-spot", "76a25eebd16abef518df006f9023c7b9d7c1030d", "po",
           r"^translations/(?P<lang>[a-z]{2})\.po$", "en", "translations"),
    Layout("dipas", "citysciencelab/dipas-unitac", "e4f232229e194f151fd34b7118d0dfacd5363b1d", "po",
           r"^drupal/modules/custom/(?P<domain>[a-z_]+)/files/translations/[a-z_]+\.(?P<lang>[a-z]{2})\.po$", "en",
           "drupal/modules/custom/dipas/files/translations"),
    Layout("openstad", "openstad/openstad-headless", "fe31b9ab10a4043bd3938b0bb50ff83f14574146", "json",
           r"^apps/cms-server/config/locales/(?P<lang>[a-z]{2})\.json$", "nl", "apps/cms-server/config/locales"),
    Layout("kansalaisaloite", "solita/kansalaisaloite", "205b6ba4f93660edeb54daa00c1338119d20ad6f", "properties",
           r"^src/main/webapp/WEB-INF/messages(?:_(?P<lang>[a-z]{2}))?\.properties$", "fi", "src/main/webapp/WEB-INF"),
    Layout("participa", "podemos-info/participa", "ba54d4ceecf865892dcf5cf6ce45303eac9507d7", "rails_yaml",
           r"^config/locales/(?P<domain>[a-z_.]+)\.(?P<lang>[a-z]{2})\.yml$", "es", "config/locales"),
    Layout("communecter", "pixelhumain/communecter", "0fde1aaf70bc24725ae95371386903d67524bc37", "php_array",
           r"^messages/(?P<lang>[a-z]{2})/(?P<domain>[a-z_]+)\.php$", "fr", "messages"),
    Layout("budapest-participatory-budget", "fphgov/participatory-frontend-os", "2753f86805101364d82f7eb554419e47362e3fc7",
           "json", r"^public/assets/translations/(?P<lang>[a-z]{2})\.json$", "hu", "public/assets/translations"),
    Layout("lutece-participatory-budget", "lutece-secteur-public/particip-plugin-participatorybudget",
           "ae9bb597aef2f80cf63232bf3ba10abf882dff15", "properties",
           r"^src/java/fr/paris/lutece/plugins/participatorybudget/resources/participatorybudget_messages"
           r"(?:_(?P<lang>[a-z]{2}))?\.properties$", "en", "src/java/fr/paris/lutece/plugins/participatorybudget/resources"),
    # Satellite repositories: the interface of these tools lives outside the repository the catalogue cites.
    Layout("ushahidi", "ushahidi/platform-client-mzima", "3a8aab1dc8567d058794178651d2752e5c26356c", "json",
           r"^apps/web-mzima-client/src/assets/locales/(?P<lang>[A-Za-z_-]+)\.json$", "en",
           "apps/web-mzima-client/src/assets/locales"),
    Layout("citizenos", "citizenos/citizenos-fe", "36e44a5c22651586b39b72d5b2a6c971b0236cb5", "json",
           r"^src/assets/i18n/(?!aa\.)(?P<lang>[A-Za-z_-]+)\.json$", "en", "src/assets/i18n"),  # aa: Crowdin pseudo-locale
    Layout("vocdoni", "vocdoni/ui-scaffold", "bdfcddc60077715eeab6520254e9825de80da268", "json",
           r"^src/i18n/locales/(?P<lang>[a-z]{2})\.json$", "en", "src/i18n/locales"),
]


# --------------------------------------------------------------------------- readers: bytes -> {key: translated}

def _text(node: object) -> str:
    if node is None:
        return ""
    if isinstance(node, str):
        return node.strip()
    return json.dumps(node, ensure_ascii=False, sort_keys=True) if node != [] else ""


def _flatten(node: object, prefix: tuple[str, ...], out: dict[str, str],
             collapse: Callable[[tuple[str, ...]], tuple[str, ...]]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(value, (*prefix, str(key)), out, collapse)
        return
    key = ".".join(collapse(prefix))
    out[key] = "\n".join(filter(None, (out.get(key, ""), _text(node))))  # plural forms joined


def _collapse_rails(path: tuple[str, ...]) -> tuple[str, ...]:
    return path[:-1] if len(path) > 1 and path[-1] in PLURAL_KEYS else path


def _collapse_i18next(path: tuple[str, ...]) -> tuple[str, ...]:
    return (*path[:-1], I18NEXT_PLURAL.sub("", path[-1])) if path else path


def read_json(data: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    _flatten(json.loads(data.decode("utf-8-sig")), (), out, _collapse_i18next)
    return out


def read_rails_yaml(data: bytes) -> dict[str, str]:
    """A Rails locale file: one top-level key (the locale), then nested keys."""
    doc = yaml.safe_load(data.decode("utf-8-sig")) or {}
    out: dict[str, str] = {}
    for body in doc.values() if isinstance(doc, dict) else []:
        _flatten(body, (), out, _collapse_rails)
    return out


def read_po(data: bytes) -> dict[str, str]:
    """msgid (with context) -> msgstr, empty when fuzzy or a plural form is missing. Obsolete (#~) entries
    are not read."""
    import polib

    out: dict[str, str] = {}
    for entry in polib.pofile(data.decode("utf-8", errors="replace")):
        if not entry.msgid or entry.obsolete:
            continue
        strings = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        key = f"{entry.msgctxt or ''}\x04{entry.msgid}"
        done = "fuzzy" not in entry.flags and bool(strings) and all(s.strip() for s in strings)
        out[key] = "\n".join(s.strip() for s in strings) if done else ""
    return out


PROPERTIES_LINE = re.compile(r"^\s*([^#!\s][^=:\s]*)\s*[=:]\s*(.*)$")


def read_properties(data: bytes) -> dict[str, str]:
    """Java .properties: ``key = value`` lines, ``\\`` continues a line, ``#``/``!`` comment."""
    out: dict[str, str] = {}
    lines = data.decode("utf-8", errors="replace").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + lines[i].lstrip()
        match = PROPERTIES_LINE.match(line)
        if match:
            out[match.group(1)] = match.group(2).strip()
        i += 1
    return out


PHP_STRING = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")"""
PHP_PAIR = re.compile(PHP_STRING + r"\s*=>\s*" + PHP_STRING)


def read_php_array(data: bytes) -> dict[str, str]:
    """Laravel/Yii message files (``return ['key' => 'text', ...]``): string-to-string pairs, by pattern."""
    text = data.decode("utf-8", errors="replace")
    out: dict[str, str] = {}
    for match in PHP_PAIR.finditer(text):
        key = match.group(1) if match.group(1) is not None else match.group(2)
        value = match.group(3) if match.group(3) is not None else match.group(4)
        out[key] = value.strip()
    return out


JS_ASSIGN = re.compile(r"""^s\.(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""", re.M)


def read_js_assign(data: bytes) -> dict[str, str]:
    """Polis' string tables: one ``s.key = "text";`` per line."""
    out: dict[str, str] = {}
    for match in JS_ASSIGN.finditer(data.decode("utf-8", errors="replace")):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        out[match.group(1)] = value.strip()
    return out


TS_OPEN = re.compile(r"""^\s*["']?([\w.-]+)["']?\s*:\s*\{\s*$""")
TS_CLOSE = re.compile(r"^\s*\}[,;]?\s*$")
TS_LEAF = re.compile(r"""^\s*["']?([\w.-]+)["']?\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`]*)`)?\s*,?\s*$""")
TS_VALUE = re.compile(r"""^\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`]*)`)\s*,?\s*$""")


def read_ts_object(data: bytes) -> dict[str, str]:
    """A TypeScript module exporting one nested object literal of strings (one key per line, as
    prettier writes it; a value may sit on the line after its key)."""
    out: dict[str, str] = {}
    stack: list[str] = []
    pending: str | None = None
    for line in data.decode("utf-8", errors="replace").splitlines():
        if pending is not None:
            value = TS_VALUE.match(line)
            if value:
                out[".".join((*stack, pending))] = "".join(g or "" for g in value.groups()).strip()
            pending = None
            continue
        if TS_OPEN.match(line):
            stack.append(TS_OPEN.match(line).group(1))
        elif TS_CLOSE.match(line):
            if stack:
                stack.pop()
        elif leaf := TS_LEAF.match(line):
            if all(g is None for g in leaf.groups()[1:]):
                pending = leaf.group(1)
            else:
                out[".".join((*stack, leaf.group(1)))] = "".join(g or "" for g in leaf.groups()[1:]).strip()
    return out


READERS: dict[str, Callable[[bytes], dict[str, str]]] = {
    "js_assign": read_js_assign,
    "ts_object": read_ts_object,
    "json": read_json,
    "rails_yaml": read_rails_yaml,
    "po": read_po,
    "properties": read_properties,
    "php_array": read_php_array,
}


# --------------------------------------------------------------------------- language tags

def language_tag(locale: str, aliases: dict[str, str]) -> str:
    """``pt_BR`` -> ``pt-BR``, ``zh_Hans`` -> ``zh-Hans``, ``sr@latin`` -> ``sr-Latn``, ``ar_eg`` -> ``ar-EG``."""
    if locale in aliases:
        return aliases[locale]
    locale = locale.split(".")[0].replace("@latin", "_Latn")
    parts = re.split(r"[_-]", locale)
    out = [parts[0].lower()]
    for part in parts[1:]:
        if part.lower() == "latin":
            out.append("Latn")
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif part.isalpha():
            out.append(part.upper())
        else:
            out.append(part)
    return "-".join(out)


# --------------------------------------------------------------------------- computing shares

@dataclass
class FileSet:
    """Files of one repository at one commit: path -> bytes, read lazily."""

    paths: list[str]
    read: Callable[[str], bytes]


def is_copy_of_source(text: str, source_text: str) -> bool:
    """A "translation" equal to the source text is an untranslated fallback (translation platforms export
    missing strings that way), unless the text is too short or has no letters to need translating
    ("OK", "PDF", "%{count}")."""
    return text == source_text and len(source_text) > 4 and any(ch.isalpha() for ch in source_text)


def shares(layout: Layout, files: FileSet, warn: Callable[[str], None]) -> dict[str, float]:
    """BCP 47 tag -> share of source keys translated (the source language itself is 1.0)."""
    reader = READERS[layout.fmt]
    pattern = re.compile(layout.pattern)
    template = re.compile(layout.template) if layout.template else None
    by_lang: dict[str, dict[str, str]] = {}
    source_text: dict[str, str] = {}
    for path in sorted(files.paths):
        tmatch = template.match(path) if template else None
        match = pattern.match(path)
        if not (tmatch or match):
            continue
        try:
            entries = reader(files.read(path))
        except Exception as exc:  # noqa: BLE001 - a broken file is reported and skipped, never guessed
            warn(f"{layout.tool_id}: cannot read {path}: {type(exc).__name__}: {exc}")
            continue
        groups = (tmatch or match).groupdict()
        domain = groups.get("domain") or ""
        keyed = {f"{domain}/{k}": v for k, v in entries.items()}
        if tmatch or (template is None and layout.fmt == "po"):
            # gettext: the msgid is the source text; without a template every catalogue's msgids count
            source_text.update({k: k.split("\x04", 1)[1] for k in keyed})
            if tmatch:
                continue
        locale = groups["lang"] or layout.source
        if layout.fmt != "po" and locale == layout.source:
            source_text.update({k: v for k, v in keyed.items() if v})  # the source files define the keys
        lang = by_lang.setdefault(locale, {})
        for key, text in keyed.items():
            lang[key] = lang.get(key) or text
    if not source_text:
        warn(f"{layout.tool_id}: no source keys found at {layout.commit[:12]}")
        return {}
    out: dict[str, float] = {}
    for locale, entries in by_lang.items():
        tag = language_tag(locale, layout.aliases)
        problem = language_tag_problem(tag)
        if problem:
            warn(f"{layout.tool_id}: locale {locale!r} left out: {problem}")
            continue
        if locale == layout.source:
            share = 1.0
        else:
            done = sum(1 for k, src in source_text.items()
                       if entries.get(k) and not is_copy_of_source(entries[k], src))
            share = done / len(source_text)
        out[tag] = max(out.get(tag, 0.0), round(share, 4))
    out[language_tag(layout.source, layout.aliases)] = 1.0  # the language the keys are written in
    return out


# --------------------------------------------------------------------------- reading snapshots

def git_dir(snapshots: Path, repo: str) -> Path | None:
    folder = snapshots / repo.replace("/", "+")
    for candidate in (folder / "repo" / ".git", folder / "repo", folder / ".git", folder):
        if (candidate / "objects").is_dir():
            return candidate
    return None


def _git(gdir: Path, *args: str) -> bytes:
    return subprocess.run(["git", f"--git-dir={gdir}", *args], check=True, capture_output=True).stdout


def snapshot_files(gdir: Path, commit: str) -> FileSet:
    """Regular files (no symlinks, no submodules) of the tree at ``commit``."""
    listing = _git(gdir, "ls-tree", "-r", "-z", commit).decode("utf-8", errors="replace")
    blobs: dict[str, str] = {}
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob" and mode in {"100644", "100755"}:
            blobs[path] = sha
    return FileSet(sorted(blobs), lambda p: _git(gdir, "cat-file", "blob", blobs[p]))


def read_file_drop(folder: Path) -> tuple[dict, FileSet]:
    """Files saved one by one from a code index: ``MANIFEST.json`` = {"repo", "commit", "files": [...]}."""
    manifest = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
    return manifest, FileSet(sorted(manifest["files"]), lambda p: (folder / p).read_bytes())


def rows_for(layout: Layout, commit: str, table: dict[str, float], checked_on: str) -> list[dict[str, str]]:
    url = f"https://github.com/{layout.repo}/tree/{commit}/{layout.base}"
    return [
        {"tool_id": layout.tool_id, "language_code": tag, "share_translated": f"{share:.4f}",
         "source_url": url, "source_commit": commit, "checked_on": checked_on}
        for tag, share in sorted(table.items())
    ]


def compute(layouts: Iterable[Layout], snapshots: Path | None, drops: Path | None, checked_on: str,
            at_head: bool, warn: Callable[[str], None]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for layout in layouts:
        drop = drops / layout.tool_id if drops else None
        if drop is not None and (drop / "MANIFEST.json").is_file():
            manifest, files = read_file_drop(drop)
            commit = manifest["commit"]
        else:
            gdir = git_dir(snapshots, layout.repo) if snapshots else None
            if gdir is None:
                warn(f"{layout.tool_id}: no snapshot of {layout.repo}; its rows are left out")
                continue
            commit = _git(gdir, "rev-parse", "HEAD").decode().strip() if at_head else layout.commit
            if at_head and commit != layout.commit:
                warn(f"{layout.tool_id}: HEAD is {commit} (pinned {layout.commit}): pin it to keep these rows")
            files = snapshot_files(gdir, commit)
        rows.extend(rows_for(layout, commit, shares(layout, files, warn), checked_on))
    return sorted(rows, key=lambda r: (r["tool_id"], r["language_code"]))


def write_csv(rows: list[dict[str, str]], out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snapshots", type=Path, help="folder of owner+name git snapshots")
    parser.add_argument("--files", type=Path, help="folder of <tool_id>/MANIFEST.json file drops")
    parser.add_argument("--checked-on", default=dt.date.today().isoformat())
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "choice" / "tool_languages.csv")
    parser.add_argument("--only", action="append", help="tool id (repeatable)")
    parser.add_argument("--at-head", action="store_true", help="read HEAD, not the pinned commits")
    args = parser.parse_args(argv)
    layouts = [x for x in LAYOUTS if not args.only or x.tool_id in args.only]
    rows = compute(layouts, args.snapshots, args.files, args.checked_on, args.at_head,
                   lambda m: print(m, file=sys.stderr))
    write_csv(rows, args.out)
    tools = sorted({r["tool_id"] for r in rows})
    print(f"{len(rows)} rows, {len(tools)} tools -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
