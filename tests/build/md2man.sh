#!/usr/bin/env bash
# docs/md2man.py keeps every character of the Markdown and refuses what it cannot render:
# text that looks like HTML stays ("(<4.5)", which go-md2man drops), a line starting with a
# dot or quote is not taken for a request, backslashes and minus signs survive, tables become
# tbl, and nested lists, ### headings, raw HTML, unbalanced emphasis and unterminated code
# spans are errors naming file:line.
set -uo pipefail
: "${OOMLENS_SRC:?}"
fail() { echo "FAIL: $*"; exit 1; }
command -v man >/dev/null && command -v groff >/dev/null || { echo "SKIP: man-db/groff not installed"; exit 77; }
TMP=$(mktemp -d /tmp/oomlens-md2man.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
md2man() { python3 "$OOMLENS_SRC/docs/md2man.py" --name t --section 7 "$@"; }

cat >"$TMP/t.md" <<'MD'
# NAME

t - a test page

# DESCRIPTION

kernel printed none (<4.5), `a\b` and C:\dir, --json and `--spool-dir`,
.starts with a dot

'starts with a quote

*italic* and **bold** and \*not italic\*, 2 * 3, a_b_c, µs → ½.

| field | meaning |
|---|---|
| `x\|y` | a pipe in code |
| plain | (<4.5) again |

<!-- a comment
     over two lines -->

    code  \with .dots
MD
md2man "$TMP/t.md" "$TMP/t.7" || fail "md2man on a valid page"
[ -z "$(groff -t -man -Tutf8 -ww -z "$TMP/t.7" 2>&1)" ] || { groff -t -man -Tutf8 -ww -z "$TMP/t.7"; fail "groff warns"; }
MANWIDTH=80 LC_ALL=C.UTF-8 man -l "$TMP/t.7" 2>&1 | col -bx >"$TMP/t.txt"
for want in 'kernel printed none (<4.5), a\b and C:\dir, --json and --spool-dir,' '.starts with a dot' \
        "'starts with a quote" 'italic and bold and *not italic*, 2 * 3, a_b_c, µs → ½.' 'x|y' \
        '(<4.5) again' 'code  \with .dots'; do
        grep -qF -- "$want" "$TMP/t.txt" || { cat "$TMP/t.txt"; fail "lost: $want"; }
done
if grep -q 'a comment' "$TMP/t.txt"; then fail "a comment was rendered"; fi
head -1 "$TMP/t.7" | grep -qF "'\\\" t" || fail "no tbl marker on a page with a table"
LC_ALL=C grep -q '[^[:print:][:space:]]' "$TMP/t.7" && fail "the roff is not ASCII"
echo "ok: every character kept, no groff warning, ASCII roff with a tbl marker"

refuse() { # refuse WHAT LINE MARKDOWN
        printf '# NAME\n\nt - x\n\n# DESCRIPTION\n\n%s\n' "$3" >"$TMP/bad.md"
        if md2man "$TMP/bad.md" "$TMP/bad.7" 2>"$TMP/err"; then fail "md2man accepted $1"; fi
        grep -q "bad.md:$2: " "$TMP/err" || { cat "$TMP/err"; fail "$1: the error does not name bad.md:$2"; }
        [ ! -e "$TMP/bad.7" ] || fail "$1: an output was written anyway"
}
refuse "a ### heading" 7 '### deep'
refuse "a nested list" 8 $'* a\n  * b'
refuse "raw HTML" 7 '<b>bold</b>'
refuse "unbalanced emphasis" 7 'a **bold without end'
refuse "an unterminated code span" 7 'a `code without end'
printf 'no section\n' >"$TMP/bad.md"
md2man "$TMP/bad.md" "$TMP/bad.7" 2>/dev/null && fail "md2man accepted a page without sections"
echo "ok: ### headings, nested lists, raw HTML, unbalanced emphasis, unterminated code, no sections: refused with file:line"
echo PASS
