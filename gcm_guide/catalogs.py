"""The translation catalogs of the interface strings: gettext PO files made from data/ui/en.yaml with Babel.

    python -m gcm_guide.catalogs update    # after editing en.yaml: new strings into every catalog
    python -m gcm_guide.catalogs check     # what is left to translate, and translations that are wrong
    python -m gcm_guide.catalogs stats     # translated / total per language
    python -m gcm_guide.catalogs extract   # only the template, data/locale/messages.pot

Each entry's context (msgctxt) is the dotted key and its msgid the English text; a count-dependent string is a
plural entry whose forms follow the language's CLDR plural rule (its Plural-Forms header). A translation whose
English has changed since becomes fuzzy and is not shown until a translator checks it; a key removed from
en.yaml becomes obsolete (kept at the end of the file, marked #~, for reuse).
"""

from __future__ import annotations

import argparse
import copy
import gettext
import io
import string
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import denormalize, read_po, write_po

from gcm_guide import i18n
from gcm_guide.content import DATA_DIR, DEFAULT_LANGUAGE

PROJECT = "GCM Kick-off Guide"
VERSION = "1.0"
TRANSLATED = tuple(language for language in i18n.LANGUAGES if language != DEFAULT_LANGUAGE)
TEMPLATE_HEADER = """\
# Interface strings of the GCM Kick-off Guide: the template every language's catalog is made from.
# Generated from data/ui/en.yaml by `python -m gcm_guide.catalogs update`; do not edit it by hand."""
CATALOG_HEADER = """\
# Interface strings of the GCM Kick-off Guide in {name}.
# Translate each msgstr, keeping every {{placeholder}} as it is; the context (msgctxt) says where the
# string is used. `python -m gcm_guide.catalogs update` brings in new English strings;
# `python -m gcm_guide.catalogs check` lists what is left to do.
# Count-dependent strings: {forms}"""
UPDATE = "python -m gcm_guide.catalogs update"
WIDTH = 0  # no wrapping: one line per string (multi-line strings keep their own lines), so diffs stay small


def template_path(locale_dir: Path = i18n.LOCALE_DIR) -> Path:
    return locale_dir / f"{i18n.DOMAIN}.pot"


def catalog_path(language: str, locale_dir: Path = i18n.LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


# --- Placeholders ----------------------------------------------------------------------------------------------
_FORMATTER = string.Formatter()


def placeholders(text: str) -> set[str]:
    """The names of the {placeholders} in a template ("{count} of {total}" → {"count", "total"}); raises
    ValueError for a template that str.format cannot read (an unclosed brace)."""
    names = set()
    for _literal, field, _spec, _conversion in _FORMATTER.parse(text):
        if field is not None:
            names.add(field.split(".", 1)[0].split("[", 1)[0])
    return names


def _braced(names: Iterable[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(names)) or "none"


# --- The template ------------------------------------------------------------------------------------------------
def _english(key: str) -> str | tuple[str, str]:
    source = i18n.strings()
    if key in i18n.plural_keys():
        return source[f"{key}.one"], source[f"{key}.other"]
    return source[key]


def source_keys() -> list[str]:
    """Every key of en.yaml as one catalog entry each (the two forms of a count-dependent string as one)."""
    plural = i18n.plural_keys()
    forms = {f"{key}.{form}" for key in plural for form in ("one", "other")}
    return sorted({key for key in i18n.strings() if key not in forms} | plural)


def _comments(english: str | tuple[str, str]) -> list[str]:
    texts = english if isinstance(english, tuple) else (english,)
    names = set().union(*(placeholders(text) for text in texts))
    comments = []
    if names:
        comments.append(f"Placeholders: {_braced(names)} (keep them exactly as they are)")
    if isinstance(english, tuple):
        comments.append("Count-dependent: one msgstr per form of the Plural-Forms header")
    return comments


def build_template(keys: Sequence[str] | None = None, creation_date: datetime | str | None = None) -> Catalog:
    """The template made from en.yaml (or only `keys` of it), sorted by key."""
    template = Catalog(
        domain=i18n.DOMAIN,
        header_comment=TEMPLATE_HEADER,
        project=PROJECT,
        version=VERSION,
        msgid_bugs_address="",
        creation_date=creation_date,
        fuzzy=False,
    )
    for key in sorted(source_keys() if keys is None else keys):
        english = _english(key)
        flags = ["python-brace-format"] if any("{" in text for text in _as_tuple(english)) else []
        template.add(english, context=key, auto_comments=_comments(english), flags=flags)
    return template


def _as_tuple(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """A message's id or string as a tuple of its forms (babel gives a str, a tuple or list of plural forms, or
    None for a string not set)."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


# --- Reading and writing -----------------------------------------------------------------------------------------
def read_catalog(path: Path, language: str | None = None) -> Catalog:
    return parse_catalog(path.read_bytes(), language)


def parse_catalog(data: bytes, language: str | None = None) -> Catalog:
    """A PO file's catalog, with each fuzzy entry's previous English (`#| msgid`), which Babel's reader
    would otherwise take for a translator's comment."""
    kept: list[str] = []
    previous: dict[str, list[str]] = {}
    block: list[str] = []
    for line in data.decode("utf-8").splitlines(keepends=True):
        if line.startswith("#|"):
            block.append(line[2:].strip())
            continue
        if block and line.startswith("msgctxt "):
            previous[denormalize(line[len("msgctxt ") :].strip())] = _previous_ids(block)
        if not line.startswith("#"):
            block = []
        kept.append(line)
    catalog = read_po(io.StringIO("".join(kept)), locale=language, domain=i18n.DOMAIN)
    for message in list(catalog)[1:]:
        if message.context in previous:
            message.previous_id = previous[message.context]
    return catalog


def _previous_ids(lines: list[str]) -> list[str]:
    ids: list[list[str]] = []
    for line in lines:
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgid", "msgid_plural"):
            ids.append([rest.strip()])
        elif ids and line.startswith('"'):
            ids[-1].append(line)
        elif ids:
            # Babel's writer wraps a long `#| msgid "…"` like prose, breaking the quoted string at a space.
            ids[-1][-1] += " " + line
    return [denormalize("\n".join(parts)) for parts in ids]


def serialise(catalog: Catalog) -> bytes:
    output = io.BytesIO()
    write_po(output, catalog, width=WIDTH, include_previous=True)
    return output.getvalue()


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def extract(locale_dir: Path = i18n.LOCALE_DIR) -> bool:
    """Write the template from en.yaml; True if it changed (its creation date moves only then)."""
    path = template_path(locale_dir)
    kept_date = read_catalog(path).creation_date if path.is_file() else None
    data = serialise(build_template(creation_date=kept_date))
    if path.is_file() and path.read_bytes() == data:
        return False
    return _write_if_changed(path, serialise(build_template()))


# --- Merging the template into a language's catalog --------------------------------------------------------------
def translated(message: Message) -> bool:
    """Whether every form of the message has a translation (fuzzy or not)."""
    return all(_as_tuple(message.string)) if message.string else False


def new_catalog(language: str, template: Catalog) -> Catalog:
    return Catalog(
        locale=language,
        domain=i18n.DOMAIN,
        header_comment=CATALOG_HEADER.format(name=Locale.parse(language).english_name, forms=_forms_hint(language)),
        project=PROJECT,
        version=VERSION,
        msgid_bugs_address="",
        creation_date=template.creation_date,
        revision_date=template.creation_date,
        language_team=Locale.parse(language).english_name,
        fuzzy=False,
    )


def merge(catalog: Catalog, template: Catalog) -> None:
    """Bring `catalog` in line with `template`, matching entries by key (msgctxt), as msgmerge does: new keys
    come in untranslated, a key whose English changed keeps its translation marked fuzzy (with the old
    English as `#| msgid`), and a removed key's translation becomes obsolete."""
    template = copy.deepcopy(template)  # Catalog.update adopts the template's message objects
    before = {message.context: message for message in list(catalog)[1:]}
    catalog.update(template, no_fuzzy_matching=True)
    obsolete = {message.context: key for key, message in catalog.obsolete.items()}
    for message in list(catalog)[1:]:
        old = before.get(message.context)
        if old is None:
            continue
        if old.id == message.id:  # unchanged: a fuzzy flag waits for a translator, with its old English
            if message.fuzzy and old.previous_id and not message.previous_id:
                message.previous_id = old.previous_id
            continue
        if translated(old) and message.pluralizable == old.pluralizable:
            message.string = old.string
            message.flags.add("fuzzy")
            message.previous_id = list(_as_tuple(old.id))
            catalog.obsolete.pop(obsolete.pop(message.context), None)
    for key, message in list(catalog.obsolete.items()):
        if not translated(message):  # nothing there to reuse
            del catalog.obsolete[key]
    for message in list(catalog)[1:]:
        if message.pluralizable and not translated(message):
            forms = _as_tuple(message.string)
            message.string = tuple(forms[i] if i < len(forms) else "" for i in range(catalog.num_plurals))


def update(locale_dir: Path = i18n.LOCALE_DIR, languages: Sequence[str] = TRANSLATED) -> dict[Path, bool]:
    """Refresh the template from en.yaml, then merge it into every language's catalog (creating missing ones).
    Returns each file and whether it changed."""
    changed = {template_path(locale_dir): extract(locale_dir)}
    template = read_catalog(template_path(locale_dir))
    for language in languages:
        path = catalog_path(language, locale_dir)
        catalog = read_catalog(path, language) if path.is_file() else new_catalog(language, template)
        merge(catalog, template)
        changed[path] = _write_if_changed(path, serialise(catalog))
    return changed


# --- Checking ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    key: str
    kind: str  # "missing", "outdated", "fuzzy" or "placeholders"
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind:<13}{self.key}" + (f": {self.detail}" if self.detail else "")


def _forms_hint(language: str) -> str:
    samples = _plural_samples(Catalog(locale=language))
    return "; ".join(
        f"msgstr[{index}] for {', '.join(f'{n:,}' for n in counts[:3])}{', …' if len(counts) > 3 else ''}"
        for index, counts in sorted(samples.items())
    )


def _plural_samples(catalog: Catalog) -> dict[int, list[int]]:
    """For each plural form, the counts (of 0–199 and a few millions) that use it."""
    rule = gettext.c2py(catalog.plural_expr)
    samples: dict[int, list[int]] = {}
    for count in [*range(200), 1_000_000, 2_000_000]:
        samples.setdefault(rule(count), []).append(count)
    return samples


def _placeholder_problem(message: Message, english: tuple[str, ...], samples: dict[int, list[int]]) -> str | None:
    try:
        wanted = [placeholders(text) for text in english]
        forms = [placeholders(text) for text in _as_tuple(message.string)]
    except ValueError as exc:
        return f"not a valid template ({exc})"
    if not message.pluralizable:
        if forms[0] != wanted[0]:
            return f"has {_braced(forms[0])} where the English has {_braced(wanted[0])}"
        return None
    everywhere, anywhere = set.intersection(*wanted), set.union(*wanted)
    for index, names in enumerate(forms):
        if not everywhere <= names <= anywhere:
            return (
                f"form {index} has {_braced(names)}; the forms may use {_braced(anywhere)}"
                f" and need {_braced(everywhere)}"
            )
        if "count" in anywhere and "count" not in names and len(samples.get(index, [])) > 1:
            shown = ", ".join(str(n) for n in samples[index][:3])
            return f"form {index} is used for several counts ({shown}, …) so it needs {{count}}"
    return None


def check_catalog(catalog: Catalog, template: Catalog) -> list[Finding]:
    """What is wrong or left to do in one language's catalog, by key, in the template's order."""
    messages = {message.context: message for message in list(catalog)[1:]}
    samples = _plural_samples(catalog)
    findings = []
    for entry in list(template)[1:]:
        key = entry.context or ""
        message = messages.get(key)
        if message is None:
            findings.append(Finding(key, "missing", f"not in the catalog yet: run `{UPDATE}`"))
        elif _as_tuple(message.id) != _as_tuple(entry.id):
            findings.append(Finding(key, "outdated", f"the English changed: run `{UPDATE}`"))
        elif not translated(message):
            findings.append(Finding(key, "missing"))
        elif message.fuzzy:
            findings.append(Finding(key, "fuzzy", "check it against the English, then remove the fuzzy flag"))
        elif problem := _placeholder_problem(message, _as_tuple(entry.id), samples):
            findings.append(Finding(key, "placeholders", problem))
    return findings


def counts(catalog: Catalog, template: Catalog) -> tuple[int, int, int]:
    """(translated and usable, fuzzy, total) for one language."""
    findings = check_catalog(catalog, template)
    total = len(list(template)) - 1
    fuzzy = sum(1 for finding in findings if finding.kind == "fuzzy")
    return total - len(findings), fuzzy, total


# --- Command line ------------------------------------------------------------------------------------------------
def _catalogs(languages: Sequence[str], locale_dir: Path) -> Iterable[tuple[str, Catalog | None]]:
    for language in languages:
        path = catalog_path(language, locale_dir)
        yield language, read_catalog(path, language) if path.is_file() else None


def _shown(path: Path) -> str:
    """A path as a developer types it: relative to the project when it is inside it."""
    try:
        return str(path.relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None, locale_dir: Path = i18n.LOCALE_DIR) -> int:
    parser = argparse.ArgumentParser(prog="python -m gcm_guide.catalogs", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("extract", "update", "check", "stats"))
    parser.add_argument("languages", nargs="*", metavar="LANG", help=f"default: {' '.join(TRANSLATED)}")
    arguments = parser.parse_args(argv)
    languages = arguments.languages or list(TRANSLATED)
    unknown = [language for language in languages if language not in TRANSLATED]
    if unknown:
        parser.error(f"no catalog for {', '.join(unknown)}: the languages are {', '.join(TRANSLATED)}")

    if arguments.command == "extract":
        print(f"{_shown(template_path(locale_dir))}: {'updated' if extract(locale_dir) else 'unchanged'}")
        return 0
    if arguments.command == "update":
        for path, changed in update(locale_dir, languages).items():
            print(f"{_shown(path)}: {'updated' if changed else 'unchanged'}")
        return 0

    template = build_template()
    failed = False
    for language, catalog in _catalogs(languages, locale_dir):
        if catalog is None:
            print(f"{language}: no catalog; run `python -m gcm_guide.catalogs update`")
            failed = True
            continue
        if arguments.command == "stats":
            done, fuzzy, total = counts(catalog, template)
            print(f"{language}: {done}/{total} translated ({done / total:.0%}), {fuzzy} fuzzy")
            continue
        findings = check_catalog(catalog, template)
        failed = failed or bool(findings)
        print(f"{language}: {len(findings) or 'no'} problem{'' if len(findings) == 1 else 's'}")
        for finding in findings:
            print(f"  {finding}")
    if arguments.command == "check" and failed:
        print(f"Translate in {_shown(catalog_path('<lang>', locale_dir))} (any PO editor), then check again.")
    return 1 if failed else 0


def _run(argv: Any = None) -> None:  # pragma: no cover - the command line
    sys.exit(main(argv))


if __name__ == "__main__":
    _run()
