"""Runs the Python recipes of a Markdown page against exports and checks their output.

Usage: run_recipes.py PAGE.md DIRECTORY

Every ```python block of PAGE runs in DIRECTORY (where the exports it reads are, under the
names the page uses); when a ```text block follows it, the recipe must print exactly that.
"""
import contextlib
import io
import os
import re
import sys


def blocks(markdown):
    """The fenced blocks of a page, in order, as (language, text)."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```$", markdown, re.M | re.S)]


def main(page, directory):
    with open(page, encoding="utf-8") as f:
        found = blocks(f.read())
    os.chdir(directory)
    failures, ran = 0, 0
    for i, (language, code) in enumerate(found):
        if language != "python":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"{page} block {i + 1}", "exec"), {})
        ran += 1
        if i + 1 < len(found) and found[i + 1][0] == "text":
            expected = found[i + 1][1]
            if out.getvalue() != expected:
                failures += 1
                print(f"{page}: recipe {ran} printed\n{out.getvalue()}but the page shows\n{expected}")
    print(f"{page}: {ran} recipes, {failures} differences")
    if ran == 0 or failures:
        sys.exit(1)


if __name__ == "__main__":
    main(*sys.argv[1:])
