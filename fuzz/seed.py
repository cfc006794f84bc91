#!/usr/bin/env python3
"""Seeds the fuzz corpora from the fixture rounds (run from fuzz/; corpora are not committed).

Each fixture becomes two seeds: raw (mode byte 0x00 + the file) and, for zip packages, the
part list (mode byte 0x01 + name NUL content NUL ...) that the targets pack into a stored zip.
"""
import os
import sys
import zipfile

FIXTURES = sys.argv[1:] or ["../../shared/fixtures/foreign-2024Q1", "../tests/fixtures/doc"]
TARGETS = {
    "sheet": (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"),
    "docx": (".docx",),
    "ingest_validate": (".xlsx", ".xls", ".ods", ".docx"),
    "doc": (".doc", ".wps"),
    "scrub": (".doc", ".wps", ".xls"),
}
MAX_SEED = 256 * 1024


def parts(path):
    try:
        with zipfile.ZipFile(path) as z:
            out = bytearray(b"\x01")
            for info in z.infolist():
                if info.is_dir() or info.filename.startswith(("xl/media", "word/media")):
                    continue
                out += info.filename.encode() + b"\0" + z.read(info).replace(b"\0", b" ") + b"\0"
            return bytes(out)
    except Exception:
        return None


def files():
    for root in FIXTURES:
        for base, _, names in os.walk(root):
            for name in sorted(names):
                yield os.path.join(base, name)


def main():
    for target, exts in TARGETS.items():
        out_dir = os.path.join("corpus", target)
        os.makedirs(out_dir, exist_ok=True)
        for i, path in enumerate(files()):
            if not path.lower().endswith(exts):
                continue
            raw = b"\x00" + open(path, "rb").read()
            seeds = [raw, parts(path)]
            for j, seed in enumerate(s for s in seeds if s):
                if len(seed) <= MAX_SEED:
                    with open(os.path.join(out_dir, f"seed-{i:04}-{j}"), "wb") as f:
                        f.write(seed)


if __name__ == "__main__":
    main()
