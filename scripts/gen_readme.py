"""Generate cartera_seguimiento/README.rst from the fragments in its readme/
folder and its manifest, the way OCA's `oca-gen-addon-readme` does (that tool
ships in OCA's maintainer-tools, which is not on PyPI): title, badges, the
description, a table of contents, Installation, Configuration, Usage,
Development, Known issues / Roadmap, Changelog, Bug Tracker, then Credits
(authors from the manifest, contributors, other credits) and Maintainers.

    python scripts/gen_readme.py           # write README.rst
    python scripts/gen_readme.py --check   # exit 1 when it is not up to date

The result must be valid reStructuredText (docutils, warnings are errors).
"""
import ast
import io
import os
import re
import sys

from docutils.core import publish_string

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDON = "cartera_seguimiento"
ADDON_DIR = os.path.join(ROOT, ADDON)
README = os.path.join(ADDON_DIR, "README.rst")
BRANCH = "main"
# (fragment, section title); the sections of the body, in OCA's order.
SECTIONS = (
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
)
CREDITS = (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits"))
STATUS_BADGES = {
    "alpha": ("Alpha-red", "Alpha"),
    "beta": ("Beta-yellow", "Beta"),
    "production/stable": ("Production%2FStable-green", "Production/Stable"),
    "mature": ("Mature-brightgreen", "Mature"),
}
LICENSE_URLS = {
    "AGPL-3": "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "LGPL-3": "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
    "GPL-3": "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
}
IMAGE = re.compile(r"^(\s*\.\. (?:figure|image)::\s+)(\S+)\s*$")
DOCUTILS_SETTINGS = {
    "file_insertion_enabled": False, "raw_enabled": False,
    "halt_level": 2, "report_level": 2, "smart_quotes": True,
}


def read_manifest():
    with io.open(os.path.join(ADDON_DIR, "__manifest__.py"),
                 encoding="utf-8") as handle:
        return ast.literal_eval(handle.read())


def github(manifest):
    match = re.match(r"https://github\.com/([^/]+)/([^/]+?)/?$",
                     manifest.get("website", ""))
    if not match:
        sys.exit("gen_readme: the manifest's website is not a GitHub "
                 "repository: %r" % manifest.get("website"))
    return match.group(1), match.group(2)


def fragment(name, raw_url):
    path = os.path.join(ADDON_DIR, "readme", name + ".rst")
    if not os.path.exists(path):
        return None
    with io.open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return None
    # Images by a path relative to the addon (or to readme/) point at the
    # repository, so that the README shows them wherever it is read.
    for number, line in enumerate(lines):
        match = IMAGE.match(line)
        if match and not match.group(2).startswith(("http://", "https://")):
            target = match.group(2)
            while target.startswith("../"):
                target = target[3:]
            lines[number] = match.group(1) + raw_url + target
    return "\n".join(lines) + "\n"


def heading(title, char, overline=False):
    rule = char * len(title)
    return "%s%s\n%s\n" % (rule + "\n" if overline else "", title, rule)


def badges(manifest, org, repo):
    found = []
    status = manifest.get("development_status", "Beta").lower()
    if status in STATUS_BADGES:
        image, alt = STATUS_BADGES[status]
        found.append((
            "https://img.shields.io/badge/maturity-%s.png" % image,
            "https://odoo-community.org/page/development-status", alt))
    licence = manifest.get("license")
    if licence in LICENSE_URLS:
        found.append((
            "https://img.shields.io/badge/licence-%s-blue.png"
            % licence.replace("-", "--"), LICENSE_URLS[licence],
            "License: %s" % licence))
    shield = "%s%%2F%s" % (org.replace("-", "--").replace("_", "__"),
                           repo.replace("-", "--").replace("_", "__"))
    found.append((
        "https://img.shields.io/badge/github-%s-lightgray.png?logo=github"
        % shield,
        "https://github.com/%s/%s/tree/%s/%s" % (org, repo, BRANCH, ADDON),
        "%s/%s" % (org, repo)))
    out = []
    for number, (image, target, alt) in enumerate(found, 1):
        out.append(".. |badge%d| image:: %s\n    :target: %s\n    :alt: %s\n"
                   % (number, image, target, alt))
    out.append("\n" + " ".join("|badge%d|" % number for number in range(
        1, len(found) + 1)) + "\n")
    return "".join(out)


def generate():
    manifest = read_manifest()
    org, repo = github(manifest)
    raw_url = "https://raw.githubusercontent.com/%s/%s/%s/%s/" % (
        org, repo, BRANCH, ADDON)
    repo_url = "https://github.com/%s/%s" % (org, repo)
    parts = [
        heading(manifest["name"], "=", overline=True),
        "\n"
        ".. !! This file is generated by scripts/gen_readme.py from readme/*.rst\n"
        "   !! and __manifest__.py: edit those, then run `make readme`.\n"
        "\n",
        badges(manifest, org, repo),
    ]
    description = fragment("DESCRIPTION", raw_url)
    if description:
        parts.append("\n" + description)
    parts.append("\n**Table of contents**\n\n.. contents::\n   :local:\n")
    for name, title in SECTIONS:
        text = fragment(name, raw_url)
        if text:
            parts.append("\n" + heading(title, "=") + "\n" + text)
    parts.append(
        "\n" + heading("Bug Tracker", "=") + "\n"
        "Bugs are tracked on `GitHub Issues <%(url)s/issues>`_.\n"
        "In case of trouble, please check there if your issue has already "
        "been reported.\n"
        "If you spotted it first, help us by providing a detailed report "
        "(`new issue\n"
        "<%(url)s/issues/new?body=module:%%20%(addon)s%%0Aversion:%%20"
        "%(version)s%%0A%%0A**Steps%%20to%%20reproduce**%%0A-%%20...%%0A%%0A"
        "**Current%%20behavior**%%0A%%0A**Expected%%20behavior**>`_).\n"
        % {"url": repo_url, "addon": ADDON,
           "version": ".".join(manifest["version"].split(".")[:2])})
    parts.append("\n" + heading("Credits", "="))
    authors = [author.strip() for author in manifest.get(
        "author", "").split(",") if author.strip()]
    if authors:
        parts.append("\n" + heading("Authors", "~") + "\n" + "".join(
            "* %s\n" % author for author in authors))
    for name, title in CREDITS:
        text = fragment(name, raw_url)
        if text:
            parts.append("\n" + heading(title, "~") + "\n" + text)
    parts.append(
        "\n" + heading("Maintainers", "~") + "\n"
        "This module is part of the `%s/%s <%s/tree/%s/%s>`_ project on "
        "GitHub.\n\nYou are welcome to contribute.\n"
        % (org, repo, repo_url, BRANCH, ADDON))
    return "".join(parts)


def check_rst(text):
    publish_string(text, writer_name="html4css1",
                   settings_overrides=DOCUTILS_SETTINGS)


def main(argv):
    text = generate()
    check_rst(text)
    current = None
    if os.path.exists(README):
        with io.open(README, encoding="utf-8") as handle:
            current = handle.read()
    if "--check" in argv:
        if current != text:
            print("%s is not up to date with readme/ and the manifest: run "
                  "`make readme`" % os.path.relpath(README, ROOT))
            return 1
        return 0
    if current != text:
        with io.open(README, "w", encoding="utf-8") as handle:
            handle.write(text)
        print("wrote %s" % os.path.relpath(README, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
