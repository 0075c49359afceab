"""Fill es.po from the glossaries in scripts/i18n/*.tsv (English<TAB>Spanish)
and report the entries still untranslated. Exit 1 when any is left, so that
lint catches a string without its Spanish."""
import glob
import os
import sys

import polib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PO = os.path.join(ROOT, "cartera_seguimiento", "i18n", "es.po")
POT = os.path.join(ROOT, "cartera_seguimiento", "i18n", "cartera_seguimiento.pot")


def load_glossary():
    terms = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "scripts", "i18n", "*.tsv"))):
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                try:
                    english, spanish = line.split("\t")
                except ValueError:
                    sys.exit("%s:%d: expected English<TAB>Spanish" % (path, number))
                terms[english.replace("\\n", "\n")] = spanish.replace("\\n", "\n")
    return terms


def main(check_only=False):

    terms = load_glossary()
    pot = polib.pofile(POT)
    po = polib.pofile(PO)
    po_ids = {entry.msgid for entry in po}
    for entry in pot:
        if entry.msgid not in po_ids:
            po.append(polib.POEntry(msgid=entry.msgid, msgstr="",
                                    occurrences=entry.occurrences,
                                    comment=entry.comment))
    pot_ids = {entry.msgid for entry in pot}
    for entry in list(po):
        if entry.msgid not in pot_ids:
            po.remove(entry)
    missing = []
    for entry in po:
        if entry.msgid in terms:
            entry.msgstr = terms[entry.msgid]
        if not entry.msgstr:
            missing.append(entry.msgid)
    if not check_only:
        po.save(PO)
    for msgid in missing:
        print("untranslated: %r" % msgid)
    print("es.po: %d entries, %d untranslated" % (len(po), len(missing)))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(check_only="--check" in sys.argv))
