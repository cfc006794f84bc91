#!/bin/sh
# Rewrites the sample inbox's Word 97–2003 reports (the .doc/.wps files in this folder) from
# the generator's current .docx, then regenerates inbox/. Run it from anywhere after changing
# how the generator writes reports; tests/sample_inbox.rs says when it is needed (a .doc that
# no longer reads like its .docx). Needs LibreOffice (soffice) on PATH. The bytes written
# depend on its version: these were written by LibreOffice 7.4.7.2, which writes them again
# byte for byte from unchanged sources.
#
#   sh examples/generate/legacy/refresh.sh
#
# The generator writes each source as "<inbox name>.docx" (generate -- legacy-sources), so
# LibreOffice's "<inbox name>.doc" minus its last ".doc" is the inbox name again: .doc or .wps
# (WPS Writer saves Word 97 files under .wps; the content is the same format).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
command -v soffice >/dev/null 2>&1 || { echo "refresh.sh: soffice (LibreOffice) not found on PATH" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

cd "$repo"
cargo run --release --example generate -- legacy-sources "$work/docx"
# A private profile, so that a LibreOffice already open (or another conversion) does not interfere.
soffice "-env:UserInstallation=file://$work/profile" --headless --convert-to doc \
    --outdir "$work/doc" "$work"/docx/*.docx
sources=$(ls "$work"/docx/*.docx | wc -l)
made=$(ls "$work"/doc/*.doc 2>/dev/null | wc -l)
[ "$sources" -eq "$made" ] || { echo "refresh.sh: LibreOffice converted $made of $sources reports" >&2; exit 1; }
for converted in "$work"/doc/*.doc; do
    name=$(basename "$converted" .doc)
    cp "$converted" "$here/$name"
    echo "refreshed examples/generate/legacy/$name"
done
cargo run --release --example generate -- sample inbox
