"""Write the student edition of this project: the same files, with every solution replaced by a stub.

    python tools/make_student.py                  # writes build/student/
    python tools/make_student.py ~/cs231n-a1      # or any folder outside the source tree
    python tools/make_student.py DEST --force     # overwrite a non-empty DEST

What changes in the copy (everything else is copied byte for byte):
- cs231n/**/*.py: the code between each START/END marker pair is replaced by one line,
  `raise NotImplementedError("TODO: write <Class.function>")`, at the code's indentation (a region outside any
  function gets `pass`, so the package still imports). The marker lines stay, so the student writes in place.
- notebooks/*.ipynb: a region inside a code cell gets the same stub, a code cell tagged "solution" becomes an
  empty region, a markdown cell tagged "solution" (the answer to an inline question) becomes an empty answer
  prompt; every output, execution count and stored widget state is cleared.
- A few edition-specific tweaks: the Makefile (and the README's commands) run the notebooks with `--nbval-lax`
  (the student edition stores no outputs to compare against); pyproject.toml tells ruff that stubbed files have
  names the stubs leave unused; the README gets a banner and a results table rebuilt from the unexecuted
  notebooks; `.student-edition.json` records what was written (tests use it to tell the editions apart; a later
  run uses it to overwrite an unmodified edition without --force).

Files come from `git ls-files` when the source is a git checkout, else from a walk that skips environments,
build output, caches and downloaded data. Marker errors (unbalanced, nested, unterminated, altered) stop the run
with the file and line; nothing is written into the source tree (DEST may only sit under its build/ folder).
"""

import argparse
import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = "# *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****"
END = "# *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****"
EDITION_FILE = ".student-edition.json"
STUB_PREFIX = "TODO: write "
ANSWER_PROMPT = "**Your answer:** *write your answer here.*"
# Codes ruff reports on a stubbed module for reasons that are not the student's: names set before a region and
# used only inside it (F841, B007), names only the region set (F821), imports only the region used (F401).
STUB_LINT_IGNORES = ["B007", "F401", "F821", "F841"]
# Never part of a copy when walking a tree that is not a git checkout.
SKIP_DIRS = {".git", ".venv", "venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache",
             ".mypy_cache", ".ipynb_checkpoints", "bench-out"}
DATASET_FILES_KEPT = {"get_datasets.sh", "README.md"}
# Left alone in DEST when an earlier edition there is replaced: what a student's `make` creates.
KEPT_IN_DEST = {".venv", "datasets", "__pycache__", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints",
                "build"}


class StudentEditionError(Exception):
    """A problem with the source tree or the destination; the message says where and how to fix it."""


@dataclass
class Region:
    """One START/END pair: 0-based line indexes of the two marker lines."""

    start: int
    end: int


@dataclass
class Report:
    """What a run stubbed: regions per file, answer cells per notebook, files written."""

    regions: dict = field(default_factory=dict)  # relative path -> number of regions stubbed
    stubs: list = field(default_factory=list)  # (relative path, 1-based line of the stub, stub name)
    answers: dict = field(default_factory=dict)  # notebook -> number of "solution" cells replaced
    files: int = 0


# ----------------------------------------------------------------------------------------------- regions
def find_regions(lines, where):
    """Locate the student regions in a list of lines.

    Inputs:
    - lines: list of N strings (without line ends).
    - where: how to name the text in errors, e.g. "cs231n/features.py" or "notebooks/knn.ipynb, cell 7".

    Returns a list of Region in order. Raises StudentEditionError naming `where` and the 1-based line for a
    START without END, an END without START, a START inside a region (regions never nest) or a marker line that
    was edited (a comment mentioning "START OF YOUR CODE" that is not the exact marker).
    """
    regions, open_at = [], None
    for i, line in enumerate(lines):
        text = line.strip()
        if text == START:
            if open_at is not None:
                raise StudentEditionError(
                    f"{where}, line {i + 1}: START marker inside the region opened at line {open_at + 1}; regions "
                    "never nest: close the first region with its END marker before starting another")
            open_at = i
        elif text == END:
            if open_at is None:
                raise StudentEditionError(
                    f"{where}, line {i + 1}: END marker without a START marker before it; add the START line "
                    "above the student's code or delete this END line")
            regions.append(Region(open_at, i))
            open_at = None
        elif text.startswith("#") and ("START OF YOUR CODE" in text or "END OF YOUR CODE" in text):
            raise StudentEditionError(
                f"{where}, line {i + 1}: altered marker line {text!r}; marker lines must read exactly "
                f"{START!r} or {END!r}")
    if open_at is not None:
        raise StudentEditionError(
            f"{where}, line {open_at + 1}: START marker has no END marker; add {END!r} after the student's code")
    return regions


def _indent_of(lines, region):
    """Indentation for the stub: that of the region's first code line, else that of the START marker."""
    for line in lines[region.start + 1:region.end]:
        text = line.strip()
        if text and not text.startswith("#"):
            return line[:len(line) - len(line.lstrip())]
    line = lines[region.start]
    return line[:len(line) - len(line.lstrip())]


def _functions(tree):
    """(first line, last line, qualified name) of every function in an AST, e.g. 'TwoLayerNet.loss'."""
    spans = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                spans.append((child.lineno, child.end_lineno, name))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return spans


def _enclosing_function(spans, lineno):
    """Name of the innermost function whose body holds 1-based `lineno`, or None at module or class level."""
    inside = [(first, name) for first, last, name in spans if first < lineno <= last]
    return max(inside)[1] if inside else None


def stub_lines(lines, regions, names):
    """Replace each region's body with one stub line.

    Inputs:
    - lines: list of N strings, the file or cell.
    - regions: list of R Region, as find_regions returns them.
    - names: list of R stub names (None: the region is not inside a function, so it gets `pass`).

    Returns (new list of lines, list of R 0-based indexes of the stub lines in the new list).
    """
    out, at, stub_at = [], 0, []
    for region, name in zip(regions, names):
        out.extend(lines[at:region.start + 1])
        indent = _indent_of(lines, region)
        stub_at.append(len(out))
        if name is None:
            out.append(indent + "pass")
        else:
            out.append(f"{indent}raise NotImplementedError({json.dumps(STUB_PREFIX + name)})")
        at = region.end
    out.extend(lines[at:])
    return out, stub_at


def _numbered(names):
    """Tell apart several regions of one function: 'TwoLayerNet.loss (region 2 of 2)'."""
    totals = {n: names.count(n) for n in set(names) if n is not None}
    seen, out = {}, []
    for name in names:
        if name is not None and totals[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name} (region {seen[name]} of {totals[name]})"
        out.append(name)
    return out


def _check_compiles(source, where):
    try:
        compile(source, where, "exec")
    except SyntaxError as err:
        raise StudentEditionError(
            f"{where}, line {err.lineno}: the stubbed code is not valid Python ({err.msg}); keep each region's "
            "code at one indentation, inside a single block") from None


def stub_python(source, where):
    """Stub every region of a Python module.

    Inputs: source (str, the module's text), where (str, its path for messages).
    Returns (stubbed text, list of (1-based line of each stub, stub name or None)).
    """
    lines = source.split("\n")
    regions = find_regions(lines, where)
    if not regions:
        return source, []
    try:
        tree = ast.parse(source, where)
    except SyntaxError as err:
        raise StudentEditionError(f"{where}, line {err.lineno}: not valid Python ({err.msg})") from None
    spans = _functions(tree)
    names = _numbered([_enclosing_function(spans, r.start + 1) for r in regions])
    new_lines, stub_at = stub_lines(lines, regions, names)
    text = "\n".join(new_lines)
    _check_compiles(text, where)
    return text, [(i + 1, name) for i, name in zip(stub_at, names)]


# --------------------------------------------------------------------------------------------- notebooks
def _cell_lines(cell):
    source = cell.get("source", "")
    return ("".join(source) if isinstance(source, list) else source).split("\n")


def _set_cell_lines(cell, lines):
    """Store lines as nbformat does: a list of strings, each but the last ending in a newline."""
    parts = "\n".join(lines).split("\n")
    cell["source"] = [line + "\n" for line in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _without_magics(lines):
    """IPython-only lines (%magic, !shell) as `pass`, so that a cell can be compiled as Python."""
    return [line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip()[:1] in ("%", "!") else line
            for line in lines]


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _drop_tag(cell, tag):
    metadata = cell.setdefault("metadata", {})
    tags = [t for t in metadata.get("tags", []) if t != tag]
    if tags:
        metadata["tags"] = tags
    else:
        metadata.pop("tags", None)


def stub_notebook(text, where):
    """Turn a solved notebook into its student version.

    Inputs: text (str, the .ipynb JSON), where (str, its path for messages).
    Returns (new JSON text, number of regions stubbed, number of answer cells replaced).
    """
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as err:
        raise StudentEditionError(f"{where}: not a valid notebook ({err})") from None
    num_regions = num_answers = 0
    for index, cell in enumerate(nb.get("cells", [])):
        cell_where = f"{where}, cell {index + 1}"
        if cell.get("cell_type") == "markdown" and "solution" in _tags(cell):
            _set_cell_lines(cell, [ANSWER_PROMPT])
            cell.pop("attachments", None)
            _drop_tag(cell, "solution")
            num_answers += 1
        if cell.get("cell_type") != "code":
            continue
        lines = _cell_lines(cell)
        if "solution" in _tags(cell):
            lines = [START, END]
            _drop_tag(cell, "solution")
        regions = find_regions(lines, cell_where)
        if regions:
            name = "the code of this cell"
            new_lines, _ = stub_lines(lines, regions, _numbered([name] * len(regions)))
            try:  # a cell that was plain Python must stay plain Python
                compile("\n".join(_without_magics(lines)), cell_where, "exec")
            except SyntaxError:
                pass
            else:
                _check_compiles("\n".join(_without_magics(new_lines)), cell_where)
            _set_cell_lines(cell, new_lines)
            num_regions += len(regions)
        cell["outputs"] = []
        cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)  # nbclient's timestamps
    nb.get("metadata", {}).pop("widgets", None)  # stored widget state (tqdm bars) is output too
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n", num_regions, num_answers


# ------------------------------------------------------------------------------------------ source files
def source_files(root):
    """Relative paths (posix strings) of the files that make up the project, sorted.

    The files git tracks when `root` is a git checkout (with their working-tree contents), else every file
    under root except environments, build output, caches and downloaded data.
    """
    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached"], capture_output=True,
                             check=True).stdout.decode()
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True,
                             check=True, text=True).stdout.strip()
        if Path(top).resolve() != Path(root).resolve():
            raise ValueError("root is a subfolder of another checkout")
        paths = [p for p in out.split("\0") if p and (Path(root) / p).is_file()]
        return sorted(paths)
    except (OSError, subprocess.CalledProcessError, ValueError):
        pass
    paths = []
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info"))
        for name in files:
            if name.endswith((".pyc", ".pyo")):
                continue
            if rel.parts[:1] == ("datasets",) and (len(rel.parts) > 1 or name not in DATASET_FILES_KEPT):
                continue
            paths.append((rel / name).as_posix())
    return sorted(paths)


def _is_stubbed_python(path):
    return path.startswith("cs231n/") and path.endswith(".py")


def _is_notebook(path):
    return path.endswith(".ipynb")


# ------------------------------------------------------------------------------------- edition tweaks
def _nbval_lax(text):
    """The student edition stores no notebook outputs: nbval checks that cells run, not what they print."""
    return re.sub(r"--nbval(?![-\w])", "--nbval-lax", text)


def _tweak_pyproject(text, stubbed):
    """Let ruff accept the names a stub leaves unused or undefined, in the stubbed files only."""
    if not stubbed:
        return text
    # (a student edition made from a student edition has them already)
    entries = "".join(f'"{path}" = {json.dumps(STUB_LINT_IGNORES)}\n' for path in stubbed
                      if f'\n"{path}" = ' not in text)
    if not entries:
        return text
    header = "[tool.ruff.lint.extend-per-file-ignores]"
    comment = "# student edition: a stub leaves names unused or undefined until the student's code is in\n"
    if header in text:
        return text.replace(header + "\n", header + "\n" + comment + entries, 1)
    return text.rstrip("\n") + "\n\n" + header + "\n" + comment + entries


README_BANNER = """\
> **Student edition.** The code between the `START OF YOUR CODE` / `END OF YOUR CODE` marker lines in `cs231n/`
> and in the notebooks is yours to write: each region holds a stub that raises `NotImplementedError`, and each
> inline question has an empty answer cell. `make check` runs the unit tests and prints, per part, how many pass
> and which functions are still stubs. See "Two editions" below.
"""


def _tweak_readme(text):
    if README_BANNER.split("\n")[0] in text:
        return text
    lines = text.split("\n")
    at = 1 if lines and lines[0].startswith("# ") else 0
    return "\n".join(lines[:at] + ["", README_BANNER.rstrip("\n")] + lines[at:])


def _refresh_results_table(dest):
    """The README's results table comes from the executed notebooks; the student edition's are not executed yet.

    Rebuilt with the copy's own tools/results_table.py (what `make results` runs), when there is one.
    """
    tool, readme = dest / "tools" / "results_table.py", dest / "README.md"
    if not tool.exists() or not readme.exists() or "<!-- results:start -->" not in readme.read_text("utf-8"):
        return
    env = dict(os.environ, PYTHONPATH=str(dest))
    proc = subprocess.run([sys.executable, str(tool), "--write", str(readme)], cwd=dest, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"warning: could not rebuild the results table in {readme}: {proc.stderr.strip()[-500:]}",
              file=sys.stderr)


# ---------------------------------------------------------------------------------------- destination
def _inside(path, folder):
    return path == folder or folder in path.parents


def check_destination(root, dest):
    """Refuse a DEST that is, holds or sits in the source tree (apart from its build/ folder)."""
    root, dest = Path(root).resolve(), Path(dest).resolve()
    if _inside(root, dest):
        raise StudentEditionError(
            f"refusing to write the student edition to {dest}: that is the source tree or a folder holding it "
            f"({root}); choose an empty folder elsewhere, e.g. {root / 'build' / 'student'}")
    if _inside(dest, root) and not _inside(dest, root / "build"):
        raise StudentEditionError(
            f"refusing to write the student edition into the source tree ({dest} is inside {root}); choose a "
            f"folder outside it or under {root / 'build'}")


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_manifest(dest):
    try:
        return json.loads((dest / EDITION_FILE).read_text())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _local_changes(dest, manifest):
    """Files in an earlier edition at DEST that differ from what was written, or that were added since."""
    changed = []
    for folder, dirs, files in os.walk(dest):
        rel = Path(folder).relative_to(dest)
        dirs[:] = [d for d in dirs if d not in KEPT_IN_DEST and not d.endswith(".egg-info")]
        for name in files:
            path = (rel / name).as_posix()
            if path == EDITION_FILE or name.endswith((".pyc", ".pyo")):
                continue
            if path not in manifest or _sha256(dest / path) != manifest[path]:
                changed.append(path)
    return sorted(changed)


def prepare_destination(root, dest, force):
    """Make sure DEST may be written; remove the files of an earlier edition there. Returns DEST resolved."""
    check_destination(root, dest)
    dest = Path(dest).resolve()
    if dest.exists() and not dest.is_dir():
        raise StudentEditionError(f"{dest} exists and is not a folder; choose a folder path")
    if not dest.exists() or not any(dest.iterdir()):
        return dest
    manifest = _read_manifest(dest)
    if not force:
        if manifest is None:
            raise StudentEditionError(
                f"{dest} is not empty; choose an empty or new folder, or pass --force to write over it")
        changed = _local_changes(dest, manifest)
        if changed:
            shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
            raise StudentEditionError(
                f"{dest} holds a student edition with changes since it was generated ({shown}); keep that work: "
                "choose another folder, or pass --force to overwrite it")
    for path in manifest or {}:  # an earlier edition's files: a renamed module must not linger
        target = dest / path
        if target.is_file() and _inside(target.resolve(), dest):
            target.unlink()
    return dest


# ---------------------------------------------------------------------------------------------- build
def _git_head(root):
    try:
        return subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty"], capture_output=True,
                              check=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def build(dest, root=ROOT, force=False):
    """Write the student edition of the project at `root` into `dest`.

    Inputs: dest (path), root (path of the solution's checkout), force (bool: write over a non-empty dest).
    Returns a Report. Raises StudentEditionError (before writing anything) for marker errors and refused dests.
    """
    root = Path(root).resolve()
    if not (root / "cs231n").is_dir():
        raise StudentEditionError(f"{root} does not look like the project (no cs231n/ folder); pass --source")
    report, outputs = Report(), {}
    for path in source_files(root):  # transform everything first: an error leaves dest untouched
        source = root / path
        if _is_stubbed_python(path) or _is_notebook(path) or path in ("Makefile", "pyproject.toml", "README.md"):
            text = source.read_text(encoding="utf-8")
            if _is_stubbed_python(path):
                text, stubs = stub_python(text, path)
                if stubs:
                    report.regions[path] = len(stubs)
                    report.stubs += [(path, line, name) for line, name in stubs]
            elif _is_notebook(path):
                text, num_regions, num_answers = stub_notebook(text, path)
                if num_regions:
                    report.regions[path] = num_regions
                if num_answers:
                    report.answers[path] = num_answers
            outputs[path] = text
        else:
            outputs[path] = None  # copied as is
    stubbed = sorted(report.regions)
    if "Makefile" in outputs:
        outputs["Makefile"] = _nbval_lax(outputs["Makefile"])
    if "pyproject.toml" in outputs:
        outputs["pyproject.toml"] = _tweak_pyproject(outputs["pyproject.toml"], stubbed)
    if "README.md" in outputs:
        outputs["README.md"] = _nbval_lax(_tweak_readme(outputs["README.md"]))

    dest = prepare_destination(root, dest, force)
    for path, text in outputs.items():
        source, target = root / path, dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            shutil.copyfile(source, target)
        else:
            target.write_text(text, encoding="utf-8", newline="\n")
        shutil.copymode(source, target)
    _refresh_results_table(dest)
    manifest = {path: _sha256(dest / path) for path in outputs}
    report.files = len(manifest)
    edition = {"edition": "student", "generated_by": "tools/make_student.py", "source_commit": _git_head(root),
               "regions": report.regions, "files": manifest}
    (dest / EDITION_FILE).write_text(json.dumps(edition, indent=1, sort_keys=True) + "\n")
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", nargs="?", default=str(ROOT / "build" / "student"),
                        help="folder to write (default: build/student)")
    parser.add_argument("--force", action="store_true", help="write over a non-empty folder")
    parser.add_argument("--source", default=str(ROOT), help="the solution's checkout (default: this one)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    args = parser.parse_args(argv)
    try:
        report = build(args.dest, root=args.source, force=args.force)
    except StudentEditionError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not args.quiet:
        paths = sorted(set(report.regions) | set(report.answers))
        width = max([len(p) for p in paths] + [len("file")])
        print(f"{'file':<{width}}  regions  answer cells")
        for path in paths:
            print(f"{path:<{width}}  {report.regions.get(path, 0):>7}  {report.answers.get(path, 0):>12}")
        print(f"{sum(report.regions.values())} regions stubbed, {sum(report.answers.values())} answer cells "
              f"emptied; {report.files} files written to {Path(args.dest)}")
        print(f"next: cd {Path(args.dest)} && make check   (or: python tools/check.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
