"""The comment rule (issue 18): a comment goes on its own line above the code, so that
`ruff format` never splits a statement around a trailing comment.  The checker is
tools/check_comment_splits.py."""

import importlib.util
import json
import pathlib
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "check_comment_splits", ROOT / "tools" / "check_comment_splits.py"
)
checker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checker)


def lines_found(source):
    return [line for line, _, _ in checker.source_findings(textwrap.dedent(source))]


SPLIT = {
    "return": """
        def predict(model, X):
            return (
                model(X).double().numpy()
            )  # the model checks X and converts it to its dtype
        """,
    "for header": """
        for xu in XU.unbind(
            0
        ):  # unbind, not XU[k]: indexing allocates a zero tensor per lag
            pass
        """,
    "comment inside the parentheses": """
        EXERCISE_TAG = (
            "exercise"  # a cell the learner fills in
        )
        """,
    # joined, the parentheses the formatter added go: 88 columns without them
    "assert": """
        def test_recall(recall):
            assert (
                recall[30]["RNN"]["relative"] > 0.1 and recall[30]["LSTM"]["relative"] < 0.1
            )  # gives up / remembers
        """,
    # joined, the formatter's trailing comma goes
    "short list with a comment per item": """
        SIZES = [
            8,  # the smallest that learns
            32,  # the default
        ]
        """,
}


@pytest.mark.parametrize("source", SPLIT.values(), ids=SPLIT.keys())
def test_a_statement_split_around_a_trailing_comment_is_found(source):
    assert len(lines_found(source)) == 1


NOT_SPLIT = {
    "long call, a comment per argument": """
        NotebookClient(
            nb,
            timeout=CELL_TIMEOUT,  # seconds per cell, as in benchmarks/notebooks.py
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},  # where the data is
        ).execute()
        """,
    "comment on its own line": """
        # the model checks X and converts it to its dtype
        return_value = model(X).double().numpy()
        """,
    "comment on its own line inside a long call": """
        history = fit(
            model,
            task.X_train,
            # the training targets, one per sample, in the same order as the inputs
            task.Y_train,
        )
        """,
    "one line with a trailing comment": """
        yhat = predict(model, task.X_test)  # (N, D) numpy
        """,
    "too long for one line even without the comment": """
        difference = torch.stack([getattr(self, f"b_{g}") for g in TORCH_GATE_ORDER]).unsqueeze(
            1
        )  # -> (4, 1, q)
        """,
    "a multi-line string": '''
        HELP = """one
        two"""  # shown by --help
        ''',
}


@pytest.mark.parametrize("source", NOT_SPLIT.values(), ids=NOT_SPLIT.keys())
def test_no_finding_where_the_split_is_not_the_comment(source):
    assert lines_found(source) == []


@pytest.mark.parametrize("width", [87, 88, 89])
def test_the_limit_is_88_columns_with_the_indentation(width):
    # joined: '    x = f("' + 'a' * n + '")' is width columns
    argument = "a" * (width - len('    x = f("")'))
    source = f'if y:\n    x = f(\n        "{argument}"\n    )  # why\n'
    assert lines_found(source) == ([2] if width <= 88 else [])


def test_a_one_element_tuple_keeps_its_comma():
    # joined it is `    x = (a,)`: one column more than without the comma
    argument = "a" * (88 - len("    x = (,)"))
    assert lines_found(f"if y:\n    x = (\n        {argument},\n    )  # why\n") == [2]
    assert lines_found(f"if y:\n    x = (\n        {argument}a,\n    )  # why\n") == []


def test_notebook_code_cells_and_markdown_python_blocks(tmp_path):
    split = "y = f(\n    1\n)  # why\n"
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": [split]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": []},
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "source": ["%matplotlib inline\n", "!ls\n", *split.splitlines(True)],
            },
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "source": ["%%bash\n"],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n")
    (found,) = checker.file_findings(path, "lesson.ipynb")
    assert found.message.startswith("cell 3: ")
    assert path.read_text().splitlines()[found.line - 1].strip() == '"y = f(\\n",'

    text = f"# Title\n\n```bash\n{split}```\n\n```python\nx = 1\n{split}```\n"
    (tmp_path / "page.md").write_text(text)
    (found,) = checker.file_findings(tmp_path / "page.md", "page.md")
    assert text.splitlines()[found.line - 1] == "y = f("


def test_no_statement_in_the_repository_is_split_around_a_trailing_comment():
    found = checker.findings([ROOT])
    assert not found, "\n".join(map(str, found))
