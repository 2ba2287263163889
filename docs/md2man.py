#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""md2man: turn one of docs/*.md into a man page (roff, -man macros) at build time.

The Markdown stays the one source of each page (readable on the web and in the tree); this
renders the subset those pages use and refuses anything else with file:line, so a page can
never lose text silently. Why not go-md2man (Debian 12: 2.0.2): it drops text that looks
like HTML ("(<4.5)" became "()"), emits tables no 80-column terminal can show (cells are
wrapped only when their first span is short) and no tbl marker, so man shows raw .TS lines.

Supported:
  # H1 -> .SH (a man section: NAME, SYNOPSIS, ...), ## H2 -> .SS
  paragraphs; "* " / "- " bullets and "1. " lists (one level, continuation lines indented);
  definition lists ("term" line, then ": definition", continuation lines indented) -> .TP;
  fenced (```) and indented (4 spaces) code blocks -> no-fill, indented;
  GFM tables -> tbl (long columns wrap in text blocks sized for an 80-column terminal);
  `code` (bold, man's convention for literal text), **bold**, *italic*, \\-escapes,
  [text](url); <!-- comments --> are dropped.
In the NAME section "name - description" (or an em dash) becomes "name \\- description",
the form whatis/apropos read.

Usage: md2man.py --name oomlens --section 1 [--source "oomlens 0.1.0"] [--manual TEXT]
                 [--date YYYY-MM-DD] INPUT.md OUTPUT
"""

import argparse
import os
import re
import sys

# groff glyph names with ASCII fallbacks; anything else non-ASCII becomes \[uXXXX].
GLYPHS = {
    "\u2014": r"\(em", "\u2013": r"\(en", "\u2192": r"\(->", "\u2190": r"\(<-",
    "\u00d7": r"\(mu", "\u2264": r"\(<=", "\u2265": r"\(>=", "\u2212": r"\-",
    "\u00b5": r"\(mc", "\u2026": r"\&.\|.\|.", "\u00bd": r"\(12", "\u00bc": r"\(14",
    "\u00be": r"\(34", "\u2018": r"\(oq", "\u2019": r"\(cq", "\u201c": r"\(lq",
    "\u201d": r"\(rq", "\u00b1": r"\(+-", "\u00b7": r"\(pc", "\u00a0": r"\~",
}

TABLE_WIDTH = 70  # an 80-column terminal less man's 7n body indent and a margin
COLUMN_GAP = 2    # between columns (tbl's default is 3)
BREAK_AFTER = ",/|-"


class Md2ManError(Exception):
    pass


def escape(text, breaks=False):
    """Plain text to roff: backslashes, minus signs (so options copy and search as typed),
    non-ASCII as glyph escapes. breaks: allow a line break after , / | - (table cells, where
    a long literal must fit a narrow column; in running text a path split at a slash reads
    badly, so there the whole word moves to the next line)."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append(r"\e")
        elif ch == "-":
            out.append(r"\-")
        elif ch in GLYPHS:
            out.append(GLYPHS[ch])
        elif ord(ch) > 126 or (ord(ch) < 32 and ch not in "\t\n"):
            out.append(r"\[u%04X]" % ord(ch))
        else:
            out.append(ch)
        if breaks and ch in BREAK_AFTER:
            out.append(r"\:")
    return "".join(out)


class Inline:
    """Inline Markdown of one block to roff, fonts tracked on a stack so nesting works."""

    PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

    def __init__(self, where, breaks=False):
        self.where = where
        self.breaks = breaks

    def font(self, bold, italic):
        if bold and italic:
            return r"\f(BI"
        if bold:
            return r"\fB"
        if italic:
            return r"\fI"
        return r"\fR"

    def render(self, text):
        out = []
        bold = italic = False
        i, n = 0, len(text)
        plain = []

        def flush():
            if plain:
                out.append(escape("".join(plain), self.breaks))
                plain.clear()

        while i < n:
            c = text[i]
            if c == "\\" and i + 1 < n and text[i + 1] in self.PUNCT:
                plain.append(text[i + 1])
                i += 2
                continue
            if c == "`":
                j = i
                while j < n and text[j] == "`":
                    j += 1
                fence = text[i:j]
                end = text.find(fence, j)
                while end >= 0 and end + len(fence) < n and text[end + len(fence)] == "`":
                    end = text.find(fence, end + len(fence) + 1)
                if end < 0:
                    raise Md2ManError(f"{self.where}: unterminated code span")
                code = text[j:end].replace("\n", " ")  # a code span may wrap in the source
                if len(code) >= 2 and code[0] == " " and code[-1] == " " and code.strip():
                    code = code[1:-1]
                flush()
                code = escape(code, self.breaks)
                if not self.breaks:
                    code = code.replace(",", r",\:")  # long literal lists ({"a":1,"b":2}) may wrap
                out.append(r"\fB" + code + self.font(bold, italic))
                i = end + len(fence)
                continue
            if c == "*":
                run = 2 if text.startswith("**", i) else 1
                prev = text[i - 1] if i > 0 else " "
                nxt = text[i + run] if i + run < n else " "
                is_open = not nxt.isspace()
                is_close = not prev.isspace()
                state = bold if run == 2 else italic
                if (state and is_close) or (not state and is_open):
                    flush()
                    if run == 2:
                        bold = not bold
                    else:
                        italic = not italic
                    out.append(self.font(bold, italic))
                    i += run
                    continue
            if c == "[":
                m = re.match(r"\[([^\]]+)\]\(([^)\s]+)\)", text[i:])
                if m:
                    flush()
                    out.append(self.render(m.group(1)))
                    if re.match(r"[a-z]+:", m.group(2)):
                        out.append(" <" + escape(m.group(2)) + ">")
                    out.append(self.font(bold, italic))
                    i += m.end()
                    continue
            plain.append(c)
            i += 1
        flush()
        if bold or italic:
            raise Md2ManError(f"{self.where}: unbalanced * or ** emphasis")
        return "".join(out)


def protect(lines):
    """A roff text line must not start with a control character."""
    return [("\\&" + l) if l[:1] in (".", "'") else l for l in lines]


def plain_text(md):
    """A cell as displayed, roughly: the text without markup characters."""
    s = re.sub(r"\\(.)", r"\1", md)
    return re.sub(r"\*\*|`|\*", "", s)


def split_row(line, where):
    line = line.strip()
    if not line.startswith("|") or not line.endswith("|"):
        raise Md2ManError(f"{where}: table rows start and end with |")
    cells, cur, i = [], [], 1
    while i < len(line) - 1:
        if line[i] == "\\" and line[i + 1] == "|":
            cur.append("\\|")
            i += 2
            continue
        if line[i] == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(line[i])
        i += 1
    cells.append("".join(cur).strip())
    return cells


class Converter:
    def __init__(self, path, lines):
        self.path = path
        self.lines = lines
        self.out = []
        self.section = None
        self.has_table = False

    def where(self, idx):
        return f"{self.path}:{idx + 1}"

    def inline(self, text, idx, breaks=False):
        return Inline(self.where(idx), breaks).render(text)

    def emit_text(self, text, idx):
        self.out.extend(protect(self.inline(text, idx).split("\n")))

    def run(self):
        lines, i = self.lines, 0
        while i < len(lines):
            line = lines[i]
            s = line.strip()
            if not s:
                i += 1
            elif s.startswith("<!--"):
                i = self.comment(i)
            elif re.match(r"#{1,6} ", line):
                i = self.heading(i)
            elif self.section is None:
                raise Md2ManError(f"{self.where(i)}: text before the first section (# NAME)")
            elif line.startswith("```"):
                i = self.fenced(i)
            elif line.startswith("    "):
                i = self.indented(i)
            elif s.startswith("|") and i + 1 < len(lines) and re.match(r"^\s*\|[\s:|-]+\|\s*$", lines[i + 1]):
                i = self.table(i)
            elif re.match(r"([*-]|\d+\.) ", line):
                i = self.listing(i)
            elif i + 1 < len(lines) and lines[i + 1].startswith(": "):
                i = self.definition(i)
            elif s.startswith("<") and re.match(r"</?[A-Za-z]", s):
                raise Md2ManError(f"{self.where(i)}: raw HTML is not rendered in man pages")
            else:
                i = self.paragraph(i)
        if self.section is None:
            raise Md2ManError(f"{self.path}: no section heading (# NAME ...)")
        return self.out

    def comment(self, i):
        j = i
        while "-->" not in self.lines[j]:
            j += 1
            if j >= len(self.lines):
                raise Md2ManError(f"{self.where(i)}: unterminated <!-- comment")
        if not self.lines[j].rstrip().endswith("-->"):
            raise Md2ManError(f"{self.where(j)}: text after a comment's -->")
        return j + 1

    def heading(self, i):
        m = re.match(r"(#+) +(.*?)\s*#*\s*$", self.lines[i])
        level, text = len(m.group(1)), m.group(2)
        if level > 2:
            raise Md2ManError(f"{self.where(i)}: only # (.SH) and ## (.SS) headings exist in man pages")
        if level == 1:
            self.section = text.upper()
            macro, text = ".SH", text.upper()
        else:
            if self.section is None:
                raise Md2ManError(f"{self.where(i)}: ## before the first # section")
            macro = ".SS"
        body = self.inline(text, i).replace('"', r"\(dq")
        self.out.append(f'{macro} "{body}"')
        return i + 1

    def code_block(self, body):
        self.out += [".PP", ".RS 4", ".nf"]
        self.out += protect([escape(l) for l in body])
        self.out += [".fi", ".RE"]

    def fenced(self, i):
        fence = re.match(r"`{3,}", self.lines[i]).group(0)
        j = i + 1
        while j < len(self.lines) and not self.lines[j].startswith(fence):
            j += 1
        if j >= len(self.lines):
            raise Md2ManError(f"{self.where(i)}: unterminated code block")
        self.code_block(self.lines[i + 1:j])
        return j + 1

    def indented(self, i):
        j, body = i, []
        while j < len(self.lines) and (self.lines[j].startswith("    ") or not self.lines[j].strip()):
            body.append(self.lines[j][4:])
            j += 1
        while body and not body[-1].strip():
            body.pop()
        self.code_block(body)
        return j

    def block_lines(self, i, first):
        """The lines of a paragraph-like block starting with `first`: until a blank line or
        a line that starts another block."""
        text, j = [first], i + 1
        while j < len(self.lines):
            l = self.lines[j]
            if not l.strip() or re.match(r"(#{1,6} |```|([*-]|\d+\.) |: |\s*\|)", l):
                break
            text.append(l.strip())
            j += 1
        return "\n".join(text), j

    def paragraph(self, i):
        text, j = self.block_lines(i, self.lines[i].strip())
        self.out.append(".PP")
        if self.section == "NAME":
            m = re.match(r"(\S+(?:, \S+)*) +(?:-|\u2014|\u2013) +(.*)", text, re.S)
            if not m:
                raise Md2ManError(f"{self.where(i)}: NAME must read \"name - description\"")
            self.out.extend(protect((escape(m.group(1)) + r" \- " + self.inline(m.group(2), i)).split("\n")))
        else:
            self.emit_text(text, i)
        return j

    def listing(self, i):
        j = i
        while j < len(self.lines):
            m = re.match(r"([*-]|(\d+)\.) +(.*)", self.lines[j])
            if not m:
                if not self.lines[j].strip() and j + 1 < len(self.lines) and \
                        re.match(r"([*-]|\d+\.) ", self.lines[j + 1]):
                    j += 1
                    continue
                break
            text, k = [m.group(3)], j + 1
            while k < len(self.lines) and self.lines[k].startswith("  ") and self.lines[k].strip():
                if re.match(r"\s+([*-]|\d+\.) ", self.lines[k]):
                    raise Md2ManError(f"{self.where(k)}: nested lists are not supported")
                text.append(self.lines[k].strip())
                k += 1
            mark = r"\(bu" if m.group(2) is None else m.group(2) + "."
            self.out.append(f".IP {mark} {2 if m.group(2) is None else 4}")
            self.emit_text("\n".join(text), j)
            j = k
        return j

    def definition(self, i):
        self.out.append(".TP")
        self.emit_text(self.lines[i].strip(), i)
        j = i + 1
        while j < len(self.lines) and self.lines[j].startswith(": "):
            text, k = [self.lines[j][2:].strip()], j + 1
            while k < len(self.lines) and self.lines[k].startswith("  ") and self.lines[k].strip():
                text.append(self.lines[k].strip())
                k += 1
            self.emit_text("\n".join(text), j)
            j = k
        return j

    def table(self, i):
        header = split_row(self.lines[i], self.where(i))
        aligns = []
        for spec in split_row(self.lines[i + 1], self.where(i + 1)):
            spec = spec.strip()
            aligns.append("c" if spec.startswith(":") and spec.endswith(":")
                          else "r" if spec.endswith(":") else "l")
        if len(aligns) != len(header):
            raise Md2ManError(f"{self.where(i + 1)}: {len(aligns)} columns under a {len(header)}-column header")
        rows, j = [], i + 2
        while j < len(self.lines) and self.lines[j].strip().startswith("|"):
            row = split_row(self.lines[j], self.where(j))
            if len(row) != len(header):
                raise Md2ManError(f"{self.where(j)}: {len(row)} cells in a {len(header)}-column table")
            rows.append((j, row))
            j += 1
        ncol = len(header)
        texts = [[plain_text(header[c])] + [plain_text(r[c]) for _, r in rows] for c in range(ncol)]
        natural = [max(len(t) for t in col) for col in texts]
        # The longest piece a line cannot be broken in: a column narrower overflows.
        longest = [max(len(w) for t in col for w in re.split(r"\s+|(?<=[%s])" % re.escape(BREAK_AFTER), t))
                   for col in texts]
        avail = TABLE_WIDTH - COLUMN_GAP * (ncol - 1)
        width = [None] * ncol  # None: the column keeps its natural width, no wrapping
        if sum(natural) > avail:
            # Every column gets its unbreakable minimum, the rest of the line goes to the
            # columns in proportion to how much more they would need to fit unwrapped.
            width = longest[:]
            left = max(0, avail - sum(width))
            want = [natural[c] - width[c] for c in range(ncol)]
            for c in range(ncol):
                width[c] += left * want[c] // max(1, sum(want))
            width = [None if width[c] >= natural[c] else width[c] for c in range(ncol)]
        def fmt(bold):
            return " ".join(a + ("B" if bold else "") + (f"w({width[c]}n)" if width[c] else "") +
                            (str(COLUMN_GAP) if c + 1 < ncol else "") for c, a in enumerate(aligns))
        fmt_head, fmt_body = fmt(True), fmt(False)
        self.has_table = True
        # groff 1.22.4 renders man pages for a terminal as one long page that grows only on .ne;
        # tbl checks that a row with text blocks fits on the page without asking for room, so a
        # long table warns "table text block will not fit on one page". Ask for the table's
        # height first, generously (wrapping makes more lines than length / width).
        height = 4 + sum(max(-(-len(plain_text(r[c])) * 3 // 2 // (width[c] or natural[c] or 1))
                             for c in range(ncol)) for _, r in rows)
        self.out += [".PP", f".if \\n[cR] .ne {height}v", ".TS", fmt_head, fmt_body + "."]

        def cells(idx, row, head):
            parts = []
            for c, md in enumerate(row):
                md = md.replace("\\|", "|") if "`" in md else md
                text = self.inline(md, idx, breaks=bool(width[c])) if md else r"\&"
                if head:
                    text = re.sub(r"\\f[BR]", "", text)
                if width[c] and not head:
                    parts.append("T{\n" + "\n".join(protect(text.split("\n"))) + "\nT}")
                else:
                    parts.append(text if not text.startswith((".", "'")) else "\\&" + text)
            return "\t".join(parts)

        self.out.append(cells(i, header, True))
        self.out.append("_")
        for idx, row in rows:
            self.out.append(cells(idx, row, False))
        self.out.append(".TE")
        return j


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--name", required=True)
    ap.add_argument("--section", required=True)
    ap.add_argument("--source", default="oomlens")
    ap.add_argument("--manual", default="")
    ap.add_argument("--date", default="")
    ap.add_argument("input")
    ap.add_argument("output")
    a = ap.parse_args()
    try:
        with open(a.input, encoding="utf-8") as f:
            lines = f.read().expandtabs(8).splitlines()
        conv = Converter(a.input, lines)
        body = conv.run()
    except (Md2ManError, UnicodeDecodeError) as e:
        print(f"md2man: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"md2man: {a.input}: {e.strerror}", file=sys.stderr)
        return 1

    def arg(s):
        return '"' + escape(s).replace('"', r"\(dq") + '"'

    head = []
    if conv.has_table:
        head.append("'\\\" t")  # man(1) runs tbl only when the first line asks for it
    head.append(f'.\\" Generated from {a.input.rsplit("/", 1)[-1]} by md2man.py: edit the Markdown, not this file.')
    head.append(f".TH {arg(a.name.upper())} {a.section} {arg(a.date)} {arg(a.source)} {arg(a.manual)}")
    head += [".nh", ".ad l"]
    text = "\n".join(head + body) + "\n"
    try:
        with open(a.output + ".tmp", "w", encoding="ascii") as f:
            f.write(text)
        os.replace(a.output + ".tmp", a.output)
    except OSError as e:
        print(f"md2man: {a.output}: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
