"""show(fn): the source of a helpers function or class, where a notebook first uses it.

A learner never meets a black box: each function of the core a notebook calls is
shown (or derived in a cell) before its first use, highlighted as Python.
"""

import inspect
import textwrap

from IPython.display import Markdown, display


def source_of(obj):
    """The source of a function, class or method, dedented, with its dotted name."""
    name = f"{obj.__module__}.{obj.__qualname__}"
    return name, textwrap.dedent(inspect.getsource(obj))


def show(*objects):
    """Display the source code of each object (function, class or method)."""
    parts = []
    for obj in objects:
        name, source = source_of(obj)
        parts.append(f"`{name}`\n\n```python\n{source}```")
    display(Markdown("\n\n".join(parts)))
