"""Find statements that the formatter split only because of a trailing comment.

    python tools/check_comment_splits.py [PATH ...]      # default: the whole repository

The rule (issue 18): a comment goes on its own line above the code it explains.  A comment
at the end of a statement that is too long for one line with it makes `ruff format` split
the statement, for instance

        return (
            model(X).double().numpy()
        )  # the model checks X and converts it to its dtype

A finding is a logical line (a statement, or a compound statement's header) that spans
several physical lines, carries a trailing comment (a comment after code on the same
physical line; a comment alone on its line inside brackets is not one), and whose code
joined onto one line, plus its indentation, fits in 88 columns.  Joining is what the
formatter would do without the comment: each line break becomes nothing after `(`, `[`,
`{` and before `)`, `]`, `}`, and one space elsewhere; a comma at the end of a line
before a closing bracket (the "magic" trailing comma) is dropped, except in a
one-element tuple; the parentheses the formatter adds to split a line and removes when
it joins one are dropped: around a whole right-hand side of `=` or `+=` etc., return
value, `if`/`elif`/`while` condition, `for` iterable, `assert` condition or message,
`del` target or `with` item, if they hold no top-level comma, `for`, `:=` or `yield`.
A statement that holds a multi-line string cannot be joined and is never a finding.
(Checked against `ruff format` on the 103 candidates in the repository when this was
written: a statement was a finding exactly when, without its trailing comments and with
magic trailing commas ignored, ruff put it on one line.)

Scanned: .py files, the code cells of .ipynb notebooks (cells starting with a `%%` magic
are skipped, lines starting with `%` or `!` are read as blank) and the ```python blocks of
.md files; the folders .git, .venv, .venv-site (the website's venv), node_modules, student
and build are skipped.  Each finding prints as `path:line: message` (for a notebook, the line in the .ipynb file, and the message
names the cell, counting every cell from 1); the exit status is 1 if there is any.  `findings(paths)` returns
them, for the tests.
"""

import argparse
import dataclasses
import io
import json
import keyword
import os
import pathlib
import re
import sys
import tokenize

ROOT = pathlib.Path(__file__).resolve().parents[1]
LINE_LENGTH = 88  # [tool.ruff] line-length in pyproject.toml
SKIP_DIRS = {
    ".git",
    ".venv",
    ".venv-site",
    "node_modules",
    "student",
    "build",
    ".ipynb_checkpoints",
    "__pycache__",
}
OPENERS = "([{"
CLOSERS = ")]}"
NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}
ASSIGN = {"=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|=", "^="}
ASSIGN |= {">>=", "<<="}
PARENTHESIZED = {"return", "assert", "if", "elif", "while", "del", "with"}
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*(\w*)")


@dataclasses.dataclass(frozen=True)
class Finding:
    path: str
    line: int  # 1-based line in the file
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


def joined(code, lines):
    """The code tokens of one logical line, joined onto one line as the formatter would
    without the comment; None if a token spans lines (a multi-line string)."""
    if any(tok.start[0] != tok.end[0] for tok in code):
        return None
    match, depth, commas = {}, [], {}
    stack = []
    for i, tok in enumerate(code):
        if tok.string in CLOSERS and stack:
            match[stack.pop()] = i
        depth.append(len(stack))
        if tok.string in OPENERS:
            stack.append(i)
            commas[i] = 0
        elif tok.string == "," and stack:
            commas[stack[-1]] += 1
    drop = redundant_parens(code, match, depth)
    # The magic trailing comma: a comma at the end of a line, before a closing bracket,
    # unless it makes a one-element tuple.
    for i, j in match.items():
        comma = code[j - 1]
        if j - 1 > i and comma.string == "," and comma.end[0] < code[j].start[0]:
            tuple_ = code[i].string == "(" and not is_call(code, i)
            if not (tuple_ and commas[i] == 1):
                drop.add(j - 1)
    text = []
    after_dropped_opener = False
    for i, tok in enumerate(code):
        gap = ""
        if i:
            previous = code[i - 1]
            if previous.end[0] == tok.start[0]:
                gap = lines[tok.start[0] - 1][previous.end[1] : tok.start[1]]
            elif previous.string not in OPENERS and tok.string not in CLOSERS:
                gap = " "
        if i in drop:
            if tok.string in OPENERS:
                text.append(gap)
                after_dropped_opener = True
            continue
        text.append("" if after_dropped_opener else gap)
        after_dropped_opener = False
        text.append(tok.string)
    return "".join(text)


def redundant_parens(code, match, depth):
    """Indices of the parentheses around a whole right-hand side, condition, return value,
    assert part, del target or context manager: the formatter adds them to split a line
    and removes them when it joins one."""
    out = set()
    words = [tok.string for tok in code]
    statement = words[1] if words[0] == "async" and len(words) > 1 else words[0]
    for i, j in match.items():
        if words[i] != "(" or depth[i] or i == 0:
            continue
        before = code[i - 1]
        after = words[j + 1] if j + 1 < len(code) else None
        if before.type == tokenize.OP and before.string in ASSIGN:
            fits = after is None
        elif before.string == statement and statement in PARENTHESIZED:
            fits = after in (None, ":", "as") or (
                statement == "assert" and after == ","
            )
        elif before.string == "in" and statement == "for":
            fits = after == ":"
        elif before.string == "," and statement == "assert":
            fits = after is None
        else:
            fits = False
        inner = [words[k] for k in range(i + 1, j) if depth[k] == depth[i] + 1]
        if fits and inner and not set(inner) & {",", "for", ":=", "yield"}:
            out.update((i, j))
    return out


def is_call(code, i):
    """Whether the `(` at code[i] opens a call's arguments (or a def's parameters)."""
    if i == 0:
        return False
    before = code[i - 1]
    if before.type == tokenize.NAME:
        return not keyword.iskeyword(before.string)
    return before.string in ")]" or before.type == tokenize.STRING


def source_findings(source):
    """(line of the statement, line of its first trailing comment, columns joined) for
    each finding in Python source text; lines count from 1."""
    lines = source.splitlines()
    out = []
    code, comments = [], []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError) as error:
        raise ValueError(f"could not tokenize: {error}") from error
    for tok in tokens:
        if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            if code:
                finding = logical_line_finding(code, comments, lines)
                if finding:
                    out.append(finding)
            code, comments = [], []
        elif tok.type == tokenize.COMMENT:
            if code:
                comments.append(tok)
        elif tok.type not in NOT_CODE:
            code.append(tok)
    return out


def logical_line_finding(code, comments, lines):
    first, last = code[0], code[-1]
    if first.start[0] == last.end[0]:
        return None
    code_rows = {tok.start[0] for tok in code}
    trailing = [c for c in comments if c.start[0] in code_rows]
    if not trailing:
        return None
    text = joined(code, lines)
    if text is None:
        return None
    width = first.start[1] + len(text)
    if width > LINE_LENGTH:
        return None
    return first.start[0], trailing[0].start[0], width


def message(comment_line, width):
    return (
        f"split around the trailing comment on line {comment_line} although it fits "
        f"on one line ({width} columns): put the comment on its own line above"
    )


def notebook_sources(text):
    """(cell number, first line of the cell's source in the .ipynb file or None, the
    cell's code) for each code cell; cell numbers count all cells from 1."""
    nb = json.loads(text)
    # With nbformat's layout (indent=1), each cell's "source" key starts a line and each
    # source line follows on its own line.
    keys = [
        n
        for n, line in enumerate(text.splitlines(), start=1)
        if re.match(r'\s*"source": ', line)
    ]
    if len(keys) != len(nb["cells"]):
        keys = [None] * len(nb["cells"])
    out = []
    for number, (cell, key) in enumerate(zip(nb["cells"], keys), start=1):
        if cell["cell_type"] != "code":
            continue
        source = cell["source"]
        source = "".join(source) if isinstance(source, list) else source
        if source.lstrip().startswith("%%"):
            continue
        code = "\n".join(
            "" if line.lstrip().startswith(("%", "!")) else line
            for line in source.split("\n")
        )
        out.append((number, key, code))
    return out


def markdown_blocks(text):
    """(line of the block's first code line in the file, code) for each ```python block."""
    out = []
    block, start, indent, fence = None, 0, "", ""
    for n, line in enumerate(text.splitlines(), start=1):
        match = FENCE.match(line)
        if block is None:
            if match and match.group(3) in ("python", "py", "python3"):
                block, start, indent, fence = [], n + 1, match.group(1), match.group(2)
        elif match and match.group(2).startswith(fence) and not match.group(3):
            out.append((start, "\n".join(block) + "\n"))
            block = None
        else:
            block.append(line.removeprefix(indent))
    return out


def file_findings(path, shown=None):
    """The findings in one .py, .ipynb or .md file; shown is the path as printed."""
    path = pathlib.Path(path)
    shown = shown or str(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        sources = [(0, "", text)]
    elif path.suffix == ".ipynb":
        # A notebook's line is the line in the .ipynb file, if its layout is nbformat's.
        sources = [
            (key or 0, f"cell {number}: ", code)
            for number, key, code in notebook_sources(text)
        ]
    elif path.suffix == ".md":
        sources = [(start - 1, "", code) for start, code in markdown_blocks(text)]
    else:
        sources = []
    out = []
    for offset, where, code in sources:
        try:
            found = source_findings(code)
        except ValueError as error:
            out.append(Finding(shown, offset + 1, f"{where}{error}; not checked"))
            continue
        for line, comment_line, width in found:
            text = where + message(offset + comment_line, width)
            out.append(Finding(shown, offset + line, text))
    return out


def files(paths):
    for path in map(pathlib.Path, paths):
        if path.is_file():
            yield path
            continue
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for name in sorted(names):
                if name.endswith((".py", ".ipynb", ".md")):
                    yield pathlib.Path(folder) / name


def findings(paths=(ROOT,)):
    """Every finding under the given files and folders (default: the repository)."""
    out = []
    for path in files(paths):
        try:
            shown = str(path.resolve().relative_to(ROOT))
        except ValueError:
            shown = str(path)
        out.extend(file_findings(path, shown))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT)])
    args = parser.parse_args(argv)
    found = findings(args.paths)
    for finding in found:
        print(finding)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
