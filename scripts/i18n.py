"""Compile and check VisitFlow's translations without GNU gettext (uses polib).

    python scripts/i18n.py compile   # write every locale/*/LC_MESSAGES/*.mo from its .po
    python scripts/i18n.py check     # fail on untranslated or fuzzy entries, stale .mo files

Fuzzy entries are left out of the .mo files, as msgfmt does, so Django falls back to
the source text for them until a translator confirms them.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"


def po_files(locale_dir: Path) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def compiled(po: polib.POFile) -> bytes:
    # polib's MO writer takes only translated entries: fuzzy, obsolete and empty ones
    # are skipped, and the header (with Plural-Forms) is always written.
    return po.to_binary()


def compile_all(locale_dir: Path) -> int:
    paths = po_files(locale_dir)
    if not paths:
        print(f"No .po files under {relative(locale_dir)}/.", file=sys.stderr)
        return 0
    for po_path in paths:
        mo_path = po_path.with_suffix(".mo")
        data = compiled(polib.pofile(str(po_path)))
        if mo_path.exists() and mo_path.read_bytes() == data:
            continue
        mo_path.write_bytes(data)
        print(f"compiled {relative(mo_path)}")
    return 0


def plural_count(po: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


def problems_in(po_path: Path) -> list[str]:
    po = polib.pofile(str(po_path))
    name = relative(po_path)
    found = []
    nplurals = plural_count(po)
    if po.metadata_is_fuzzy:
        # msgfmt drops a fuzzy header, and with it Plural-Forms: remove the "#, fuzzy"
        # above msgid "" once the file is translated.
        found.append(f"{name}:1: header is marked fuzzy")
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{name}:{entry.linenum}"
        if entry.fuzzy:
            found.append(f"{where}: fuzzy entry {entry.msgid!r}")
        if entry.previous_msgid_plural and not entry.previous_msgid:
            found.append(f"{where}: a lone '#| msgid_plural' line (msgmerge fails on it)")
        if entry.msgid_plural:
            # Only the forms the language has count (Chinese has one: msgstr[0]).
            empty = [i for i in range(nplurals) if not entry.msgstr_plural.get(i)]
            if empty:
                forms = ", ".join(str(index) for index in empty)
                found.append(f"{where}: empty plural msgstr[{forms}] for {entry.msgid!r}")
        elif not entry.msgstr:
            found.append(f"{where}: empty msgstr for {entry.msgid!r}")
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        found.append(f"{relative(mo_path)}: missing (run 'make compilemessages')")
    elif mo_path.read_bytes() != compiled(po):
        found.append(f"{relative(mo_path)}: out of date with its .po (run 'make compilemessages')")
    return found


def check_all(locale_dir: Path) -> int:
    paths = po_files(locale_dir)
    if not paths:
        print(f"No .po files under {relative(locale_dir)}/: nothing to check.", file=sys.stderr)
        return 1
    problems = []
    for po_path in paths:
        problems.extend(problems_in(po_path))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} translation problem(s) in {len(paths)} file(s).", file=sys.stderr)
        return 1
    print(f"Translations complete: {len(paths)} file(s) checked.")
    return 0


def fill_source_language(locale_dir: Path, language: str = "en") -> int:
    """English is the source language: its catalogue repeats each source string, so the
    check can still insist that no msgstr is empty (a string missing from zh_Hans shows)."""
    path = locale_dir / language / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    po.metadata_is_fuzzy = False
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        # "#|" lines of what a string used to be: a lone "#| msgid_plural" (left when
        # the singular did not change) makes the next msgmerge fail.
        entry.previous_msgid = None
        entry.previous_msgctxt = None
        entry.previous_msgid_plural = None
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
    po.save()
    print(f"filled {relative(path)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["compile", "check", "fill-en"])
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR)
    args = parser.parse_args(argv)
    if args.command == "compile":
        return compile_all(args.locale_dir)
    if args.command == "fill-en":
        return fill_source_language(args.locale_dir)
    return check_all(args.locale_dir)


if __name__ == "__main__":
    sys.exit(main())
