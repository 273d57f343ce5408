"""INSTRUCTOR.md's planning tables hold together: each notebook's page marks every section of
the notebook (core / optional / homework, with minutes); the session plans add up to 90 minutes a
session and name only sections that exist; the summary table's minutes are the pages' sums and
its Run All times agree with benchmarks/README.md's measured ranges."""

import json
import math
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
INSTRUCTOR = (ROOT / "INSTRUCTOR.md").read_text()
NOTEBOOKS = {
    p.name[:2]: p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
}
ROLES = ("core", "optional", "homework")
SESSION = 90
# a plan row that is no notebook section (opening, questions): its notebook column
NO_NOTEBOOK = "—"


def headings(path):
    """Every markdown heading of a notebook, by level: {level: [text, ...]}."""
    found = {}
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            m = re.match(r"(#+)\s+(.*\S)", line)
            if m:
                found.setdefault(len(m.group(1)), []).append(m.group(2))
    return found


def table_after(text, header):
    """The rows (lists of stripped cells) of the first table in text whose header row is
    `header`."""
    lines = text.splitlines()
    start = lines.index(header)
    assert set(lines[start + 1].replace("|", "")) <= set("-: ")
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def page(nb):
    """The text of notebook nb's page in INSTRUCTOR.md."""
    m = re.search(
        rf"^## {nb} ·.*?(?=^## |\Z)", INSTRUCTOR, flags=re.MULTILINE | re.DOTALL
    )
    assert m, f"INSTRUCTOR.md has no page for notebook {nb}"
    return m.group(0)


SECTION_HEADER = "| section | role | min | note |"
PLAN_HEADER = "| session | notebook | section | min |"


def marking(nb):
    """{section: (role, minutes)} of notebook nb's page."""
    rows = table_after(page(nb), SECTION_HEADER)
    out = {}
    for section, role, minutes, _note in rows:
        assert section not in out, f"{nb}: {section!r} marked twice"
        out[section] = (role, int(minutes))
    return out


def plans():
    """{number of sessions: rows (session, notebook, section, minutes)}, from the
    "**N × 90 minutes" paragraphs' tables."""
    found = {}
    for m in re.finditer(r"^\*\*(\d) × 90 minutes", INSTRUCTOR, flags=re.MULTILINE):
        rows = table_after(INSTRUCTOR[m.start() :], PLAN_HEADER)
        found[int(m.group(1))] = [(int(s), nb, sec, int(mi)) for s, nb, sec, mi in rows]
    return found


@pytest.mark.parametrize("nb", sorted(NOTEBOOKS))
def test_each_page_marks_every_section_of_its_notebook(nb):
    marked = marking(nb)
    level_two = headings(NOTEBOOKS[nb])[2]
    assert sorted(marked) == sorted(level_two), f"{nb}: marked {sorted(marked)}"
    for section, (role, minutes) in marked.items():
        assert role in ROLES and minutes > 0, f"{nb}: {section!r} {role} {minutes}"


def test_the_summary_table_sums_the_pages():
    rows = table_after(
        INSTRUCTOR,
        "| notebook | Run All (measured) | core (min) | optional (min) | homework (min) |",
    )
    assert [r[0][:2] for r in rows] == sorted(NOTEBOOKS)
    for name, _run_all, *minutes in rows:
        marked = marking(name[:2]).values()
        sums = [sum(m for r, m in marked if r == role) for role in ROLES]
        assert [int(m) for m in minutes] == sums, f"{name}: pages sum to {sums}"


def test_the_plans_add_up_and_name_real_sections():
    found = plans()
    assert sorted(found) == [1, 2, 3]
    for n, rows in found.items():
        assert sorted({r[0] for r in rows}) == list(range(1, n + 1))
        for session in range(1, n + 1):
            total = sum(mi for s, _, _, mi in rows if s == session)
            assert total == SESSION, f"{n} x 90, session {session}: {total} min"
        assert sum(r[3] for r in rows) == n * SESSION
        seen = set()
        for _, nb, section, minutes in rows:
            if nb == NO_NOTEBOOK:
                continue
            marked = marking(nb)
            # every section named is a heading of that notebook (the page marks them all)
            assert section in headings(NOTEBOOKS[nb])[2], f"{n} x 90: {nb} {section!r}"
            role, planned = marked[section]
            assert role != "homework", f"{n} x 90 plans homework {nb} {section!r}"
            assert minutes >= planned, f"{n} x 90 squeezes {nb} {section!r}"
            assert (nb, section) not in seen, f"{n} x 90 names {nb} {section!r} twice"
            seen.add((nb, section))
        core = {
            (nb, s)
            for nb in NOTEBOOKS
            for s, (r, _) in marking(nb).items()
            if r == "core"
        }
        optional = {
            (nb, s)
            for nb in NOTEBOOKS
            for s, (r, _) in marking(nb).items()
            if r == "optional"
        }
        if n >= 2:
            assert core <= seen, f"{n} x 90 leaves out core {sorted(core - seen)}"
        if n == 3:
            assert optional <= seen, f"3 x 90 leaves out {sorted(optional - seen)}"


def seconds(text):
    """'3-4 s' or '6 s' -> (low, high)."""
    m = re.fullmatch(r"([\d.]+)(?:-([\d.]+))? s", text)
    assert m, text
    return float(m.group(1)), float(m.group(2) or m.group(1))


def test_run_all_times_agree_with_the_benchmarks():
    """INSTRUCTOR.md's whole seconds cover benchmarks/README.md's measured range, rounded, and
    stay within it rounded outwards: the two pages cannot drift apart."""
    bench = (ROOT / "benchmarks" / "README.md").read_text()
    measured = {
        m.group(1): (float(m.group(2)), float(m.group(3) or m.group(2)))
        for m in re.finditer(
            r"^\| (\d\d)_\w+ \| ([\d.]+)(?:-([\d.]+))? \|", bench, re.MULTILINE
        )
    }
    rows = table_after(
        INSTRUCTOR,
        "| notebook | Run All (measured) | core (min) | optional (min) | homework (min) |",
    )
    assert sorted(measured) == sorted(NOTEBOOKS)
    for name, run_all, *_ in rows:
        lo, hi = seconds(run_all)
        b_lo, b_hi = measured[name[:2]]
        assert lo <= round(b_lo) and round(b_hi) <= hi, (
            f"{name}: {run_all} vs {b_lo}-{b_hi}"
        )
        assert math.floor(b_lo) <= lo and hi <= math.ceil(b_hi), (
            f"{name}: {run_all} is wider than the measured {b_lo}-{b_hi} s"
        )


def test_the_question_bank_has_answered_questions_for_every_notebook():
    """instructor/questions.md: at least four questions per notebook, each with its answer,
    and every claim tag it cites is one of INSTRUCTOR.md's (tested) tags."""
    text = (ROOT / "instructor" / "questions.md").read_text()
    parts = re.split(r"^## (\d\d) ·", text, flags=re.MULTILINE)[1:]
    by_notebook = dict(zip(parts[::2], parts[1::2], strict=True))
    assert sorted(by_notebook) == sorted(NOTEBOOKS)
    for nb, body in by_notebook.items():
        questions = re.findall(r"^\*\*Q\d+\.\*\*", body, flags=re.MULTILINE)
        answers = re.findall(r"^\*\*Answer", body, flags=re.MULTILINE)
        assert len(questions) >= 4 and len(answers) == len(questions), nb
    cited = set(re.findall(r"\[(0[1-5]-[a-z])\]", text))
    assert cited and cited <= set(re.findall(r"\[(0[1-5]-[a-z])\]", INSTRUCTOR))
