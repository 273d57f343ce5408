"""README's "Which computers and Pythons" tells what the pins need: its Python floor is
pyproject.toml's requires-python (and the one conda and Binder install is not below it), the
torch it names is requirements.txt's pin, the versions it blames for the floor are the pinned
ones, and "Start" says the same floor. What PyPI publishes for each pin cannot be checked
offline; the table says when it was read."""

import pathlib
import re
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def section(title):
    start = README.index(title)
    end = README.find("\n#", start + len(title))
    return README[start : end if end != -1 else None]


TABLE = section("### Which computers and Pythons")
# the prose with its line breaks as spaces, for the phrases that wrap
FLAT = re.sub(r"\s+", " ", TABLE)


def version(text):
    return tuple(int(part) for part in text.split("."))


def requirement_pins():
    out = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        m = re.match(r"([A-Za-z0-9_.\-]+)==(\S+)", line.strip())
        if m:
            out[m.group(1).lower()] = m.group(2)
    return out


FLOOR = re.fullmatch(
    r">=(\d+\.\d+)",
    tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"],
).group(1)


def rows():
    """The table's rows as lists of cells (header and rule left out)."""
    lines = [line for line in TABLE.splitlines() if line.startswith("|")]
    return [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]]


def test_the_stated_floor_is_requires_python():
    assert f'Python floor: {FLOOR} (`requires-python = ">={FLOOR}"`' in FLAT
    start = re.sub(r"\s+", " ", section("## Start (two commands)"))
    assert f"You need Python {FLOOR} or newer" in start


def test_every_supported_row_starts_at_the_floor_and_the_row_below_is_refused():
    supported = [r for r in rows() if r[2].startswith("yes")]
    assert len(supported) == 4
    for row in supported:
        low = re.match(r"(\d+\.\d+) to (\d+\.\d+)", row[1])
        assert low and low.group(1) == FLOOR, row
        assert version(low.group(2)) >= version(FLOOR), row
    major, minor = version(FLOOR)
    below = [r for r in rows() if r[1] == f"{major}.{minor - 1} or older"]
    assert len(below) == 1 and below[0][2].startswith("**no**")


def test_the_versions_named_are_the_pins():
    pins = requirement_pins()
    assert f"Pinned torch: `torch=={pins['torch']}`" in FLAT
    named = re.findall(r"\b(torch|numpy|pandas|matplotlib) (\d+\.\d+\.\d+)", FLAT)
    assert {name for name, _ in named} == {"torch", "numpy", "pandas", "matplotlib"}
    for name, ver in named:
        assert pins[name] == ver, (name, ver, pins[name])
    assert f"`torch=={pins['torch']}` for Linux" in FLAT


@pytest.mark.parametrize(
    "path, pattern",
    [
        ("environment.yml", r"- python=(\d+\.\d+)"),
        ("binder/runtime.txt", r"python-(\d+\.\d+)"),
    ],
)
def test_conda_and_binder_install_a_supported_python(path, pattern):
    found = re.search(pattern, (ROOT / path).read_text()).group(1)
    assert version(found) >= version(FLOOR), (path, found)
