#!/usr/bin/env bash
# Print an HTML report to PDF with headless Chromium, as a secretariat's "Print to PDF" would,
# and render each page to PNG to look at. Not a test: a tool to check printouts by eye.
#
#   scripts/print_report.sh REPORT.html [OUTDIR]      -> OUTDIR/report.pdf, OUTDIR/page-1.png …
#
# Needs chromium and poppler-utils (apt-get install -y chromium poppler-utils).
# --no-pdf-header-footer: Chromium's own header and footer (date, file URL) are off; the report
# prints its own running header and page numbers (@page margin boxes in report.html).
set -euo pipefail
html=$(realpath "$1")
out=${2:-$(mktemp -d)}
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" \
  --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "file://$html" 2>/dev/null
rm -f "$out"/page-*.png
pdftoppm -png -r 70 "$out/report.pdf" "$out/page"
pdfinfo "$out/report.pdf" | grep -E "^Pages"
ls "$out"/page-*.png
# Every page must carry its number, and no page may end on a heading (an orphaned heading is
# the last line above the page footer while its table starts on the next page).
python3 - "$html" "$out/report.pdf" <<'PY'
import html, re, subprocess, sys
source = open(sys.argv[1], encoding="utf-8").read()
headings = {
    " ".join(html.unescape(re.sub(r"<[^>]+>", "", h)).split())
    for h in re.findall(r"<(?:h[1-3]|figcaption)[^>]*>(.*?)</(?:h[1-3]|figcaption)>", source, re.S)
}
pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
    ["pdfinfo", sys.argv[2]], capture_output=True, text=True).stdout)[1])
problems = 0
for n in range(1, pages + 1):
    text = subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), sys.argv[2], "-"],
                          capture_output=True, text=True).stdout
    lines = [" ".join(l.split()) for l in text.splitlines() if l.strip()]
    numbered = any(re.search(rf"(Side|Page) {n} (af|of) {pages}$", l) for l in lines[-3:])
    body = [l for l in lines if not re.search(r"(Side|Page) \d+ (af|of) \d+$", l)]
    last = body[-1] if body else ""
    orphan = last in headings
    if not numbered or orphan:
        problems += 1
        print(f"page {n}: " + ("no page number; " if not numbered else "")
              + (f"ends on the heading {last!r}" if orphan else ""))
print(f"{pages} pages checked: " + ("all numbered, no orphaned heading" if not problems
                                   else f"{problems} with problems"))
sys.exit(1 if problems else 0)
PY
