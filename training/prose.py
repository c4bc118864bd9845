"""Plain English prose for free-text training: the World English Bible (public domain) from the
Debian package sword-text-web, one paragraph of about twelve verses per line."""
import os
import re
import shutil
import subprocess

_UNI = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": " - ", "\u2013": "-",
        "\u00a0": " ", "\u2026": "...", "\u00e9": "e", "\u00e8": "e", "\u00ef": "i", "\u00eb": "e"}


def extract_prose(path):
    """Plain text of the WEB module (engWEB2015eb) via diatheke's OSIS output.

    The plain-text filter of diatheke drops the space where a footnote was, so we read
    the OSIS markup, keep the <w> word elements and strip tags ourselves. On a machine without
    diatheke (a GPU box), the text extracted earlier at `path` is used as is.
    """
    if shutil.which("diatheke") is None and os.path.exists(path):
        return open(path, encoding="utf-8").read().rstrip("\n").split("\n")
    osis = subprocess.run(["diatheke", "-b", "engWEB2015eb", "-f", "OSIS", "-k", "Gen-Rev"],
                          check=True, capture_output=True, text=True).stdout
    verse_re = re.compile(r"(?:[1-4] )?[A-Z][A-Za-z]+(?: [A-Za-z]+)*(?: \([A-Za-z]+\))? \d+:\d+: ")
    paras, cur = [], []
    for line in osis.split("\n"):
        m = verse_re.search(line)
        if not m:
            continue
        t = line[m.end():]
        t = re.sub(r"<title[^>]*>.*?</title>", " ", t)
        t = re.sub(r"<note[^>]*>.*?</note>", " ", t)
        t = t.replace("</w><w>", "</w> <w>")
        t = re.sub(r"<[^>]+>", "", t)
        for k, v in _UNI.items():
            t = t.replace(k, v)
        t = re.sub(r"\s+", " ", t).strip()
        if not t or any(ord(ch) > 126 for ch in t):
            continue
        cur.append(t)
        if len(cur) >= 12:
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(paras) + "\n")
    return paras
