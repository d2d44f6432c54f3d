"""Write the student edition: the student wing of this project, with every solution replaced by a stub.

    python instructor/make_student.py                  # writes build/student/ (what `make student` runs)
    python instructor/make_student.py ~/cs231n-a1      # or any folder outside the source tree
    python instructor/make_student.py DEST --force     # write over a folder that is not an unmodified edition

What ships (SHIPS below, and nothing else): the package cs231n/, the notebooks, the student's unit tests (tests/),
tools/check.py, datasets/get_datasets.sh and datasets/README.md, Makefile, environment.yml, pyproject.toml,
README.md, README.zh-CN.md, conftest.py and .gitignore. The instructor wing (instructor/), the solution's CI
(.ci/) and anything else stay out. From a git checkout only tracked files ship, as they are in the working tree.

What changes in the copy (every other file is copied byte for byte, Makefile, README and pyproject.toml included):
- cs231n/**/*.py: every region (the lines between a START and an END marker, see cs231n/parts.py) becomes one
  line, its stub `raise NotImplementedError("TODO: write <function>")` (`pass` outside a function). The task box
  above the START marker, the marker lines and everything outside them stay as they are.
- notebooks/*.ipynb: a region in a code cell becomes its stub the same way (named by its box title); a markdown
  cell tagged "solution" (the answer to an inline question) becomes the empty answer prompt; every output,
  execution count and stored widget state is cleared.

The run refuses, before anything is written, and names file and line:
- marker lines that do not pair up, a region without a task box (title, a line of task, a "Hint:" line), a
  region whose stub would not be valid Python, a code cell tagged "solution", a region in a shipped file outside
  cs231n/ and notebooks/ (it would ship its solution);
- a shipped file importing a project file that does not ship, in particular one git does not track (the edition
  could not import it). A dirty working tree gets a one-line warning on stderr.

Destination rules:
- never the source tree or a folder holding it; build/<name> inside it is fine;
- a non-empty DEST needs --force, unless it is an unmodified edition written by this script (its manifest
  .student-edition.json lists every file with its sha256); the student's own additions (.venv/, datasets/ data,
  caches, *.egg-info) are no modification. --force overwrites the edition's files and keeps everything else;
- the edition is written into a staging folder beside DEST and swapped in only when complete; what is kept from the
  old DEST (the student's .venv/, the data in datasets/, with --force any other file) is moved across by rename;
- symbolic links: DEST itself must not be one. Inside DEST a link is never followed, and moved, when kept, as a
  link: one where the edition has a file is replaced by the file (a change, so only with --force); one elsewhere
  is kept (in .venv/ or datasets/ it is the student's own, anywhere else an addition, so only with --force); one
  standing where the edition needs a folder (e.g. DEST/datasets -> another datasets/ folder) is refused, with or
  without --force, naming it, because the edition would have to write through it. Nothing outside DEST changes.

The manifest, DEST/.student-edition.json (the Makefile can test for it):
    {"edition": "student", "format": 2, "generator": "instructor/make_student.py",
     "source": {"commit": "<sha>", "dirty": false} or null (not a git checkout),
     "regions": {"<file>": <regions stubbed>}, "answers": {"<notebook>": <answer cells emptied>},
     "files": {"<path>": "<sha256 of the file written>"}}

Exit status: 0 written, 2 refused (the message says why and what to do).
"""

import argparse
import ast
import hashlib
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":  # run as a script: this checkout's package, whichever one the environment installed
    sys.path.insert(0, str(ROOT))

from cs231n import parts  # noqa: E402

EDITION_FILE = ".student-edition.json"
MANIFEST_FORMAT = 2
GENERATOR = "instructor/make_student.py"
ANSWER_PROMPT = "**Your answer:** *write your answer here.*"
SOLUTION_TAG = "solution"

# What the student edition holds. An entry ending in "/" ships every file under that folder; any other entry ships
# that one file when the source has it.
SHIPS = ("cs231n/", "notebooks/", "tests/", "tools/check.py", "datasets/get_datasets.sh", "datasets/README.md",
         "Makefile", "environment.yml", "pyproject.toml", "README.md", "README.zh-CN.md", "conftest.py",
         ".gitignore")
# Never shipped, wherever they appear: caches and editor droppings.
CACHE_DIRS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache", ".mypy_cache",
              ".virtual_documents"}
CACHE_SUFFIXES = (".pyc", ".pyo")
# In an edition folder, what the student (or `make`) adds and a regeneration keeps: never counted as a change.
STUDENT_TOP = {".venv", "venv", "datasets", "build", "dist"}


class StudentEditionError(Exception):
    """A problem with the source tree or the destination; the message says where and how to fix it."""


@dataclass
class Report:
    """What a run did: regions per file, answer cells per notebook, the stubs, the files written."""

    dest: Path = None
    regions: dict = field(default_factory=dict)  # relative path -> number of regions stubbed
    answers: dict = field(default_factory=dict)  # notebook -> number of answer cells emptied
    stubs: list = field(default_factory=list)  # (relative path, where, 1-based line of the stub, stub name)
    files: dict = field(default_factory=dict)  # relative path -> sha256 of what was written
    warnings: list = field(default_factory=list)


@dataclass
class GitState:
    tracked: set
    changed: list  # "M path" / "?? path" lines of `git status`
    commit: str


def _warn(report, message):
    report.warnings.append(message)
    print(f"warning: {message}", file=sys.stderr)


def _some(items, count=4):
    items = list(items)
    return ", ".join(items[:count]) + (f" and {len(items) - count} more" if len(items) > count else "")


# ------------------------------------------------------------------------------------------------------ sources
def ships(path):
    """Whether the relative posix `path` belongs to the student edition."""
    pieces = path.split("/")
    if any(piece in CACHE_DIRS for piece in pieces[:-1]) or path.endswith(CACHE_SUFFIXES):
        return False
    return any(path == entry or (entry.endswith("/") and path.startswith(entry)) for entry in SHIPS)


def _git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True).stdout


def git_state(root):
    """Tracked files, local changes and HEAD of `root` when it is the top of a git checkout; else None."""
    try:
        top = _git(root, "rev-parse", "--show-toplevel").decode().strip()
        if Path(top).resolve() != Path(root).resolve():
            return None  # a folder inside some other checkout: not this project's history
        tracked = {p for p in _git(root, "ls-files", "-z", "--cached").decode().split("\0") if p}
        status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all").decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        return None
    changed, skip = [], False
    for entry in status:
        if skip or not entry:  # the second path of a rename
            skip = False
            continue
        code, path = entry[:2].strip(), entry[3:]
        changed.append(f"{code} {path}")
        skip = code.startswith(("R", "C"))
    try:
        commit = _git(root, "rev-parse", "HEAD").decode().strip()
    except subprocess.CalledProcessError:
        commit = None  # no commit yet
    return GitState(tracked, changed, commit)


def _walk_files(root):
    """Files under root that SHIPS names, for a source that is not a git checkout."""
    found = []
    for entry in SHIPS:
        if not entry.endswith("/"):
            if (root / entry).is_file():
                found.append(entry)
            continue
        for folder, dirs, files in os.walk(root / entry):
            dirs[:] = sorted(d for d in dirs if d not in CACHE_DIRS)
            rel = Path(folder).relative_to(root).as_posix()
            found += [f"{rel}/{name}" for name in files]
    return found


def source_files(root, git=None):
    """Relative posix paths of the files that ship, sorted: tracked ones for a git checkout (pass its GitState)."""
    root = Path(root)
    candidates = [p for p in git.tracked if (root / p).is_file()] if git else _walk_files(root)
    return sorted(p for p in candidates if ships(p))


# ------------------------------------------------------------------------------------------------------ imports
def _module_files(root, base, dotted):
    """Files under root that importing `dotted` from sys.path entry `base` would load (packages' __init__ too)."""
    folder = base
    for piece in dotted.split(".") if dotted else []:
        for candidate in (folder / f"{piece}.py", folder / piece / "__init__.py"):
            if candidate.is_file():
                yield candidate.relative_to(root).as_posix()
        folder = folder / piece
        if not folder.is_dir():
            return


def imported_files(root, path, tree):
    """Project files (relative paths) an AST of the file `path` imports.

    Absolute imports are looked up from the project root (the installed package, pytest's pythonpath) and from the
    file's own folder (a test's or a notebook's directory); relative ones from the file's package.
    """
    here = (root / path).parent
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                for base in (root, here):
                    yield from _module_files(root, base, alias.name)
        elif isinstance(node, ast.ImportFrom):
            bases = (root, here)
            if node.level:
                base = here
                for _ in range(node.level - 1):
                    base = base.parent
                bases = (base,)
            module = node.module or ""
            names = [module] + [f"{module}.{a.name}".lstrip(".") for a in node.names if a.name != "*"]
            for base in bases:
                for name in names:
                    yield from _module_files(root, base, name)


def import_problems(root, files, git):
    """(importing file or cell, imported file, reason) for each shipped file importing a project file that does
    not ship; reason is "untracked" (git does not track it) or "not shipped" (SHIPS leaves it out)."""
    shipped, problems = set(files), []
    for path in files:
        if path.endswith(".py"):
            chunks = [(path, (root / path).read_text(encoding="utf-8"))]
        elif path.endswith(".ipynb"):
            try:
                cells = json.loads((root / path).read_text(encoding="utf-8")).get("cells", [])
            except ValueError:
                continue  # reported when the notebook is stubbed
            chunks = [(f"{path}, cell {i + 1}", "\n".join(_without_magics(_cell_lines(cell))))
                      for i, cell in enumerate(cells) if cell.get("cell_type") == "code"]
        else:
            continue
        for where, text in chunks:
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue  # a module is reported when it is stubbed; a cell may hold IPython-only syntax
            for target in sorted(set(imported_files(root, path, tree)) - shipped):
                untracked = git is not None and target not in git.tracked
                problems.append((where, target, "untracked" if untracked else "not shipped"))
    return problems


def import_error(problems):
    """The StudentEditionError for import_problems: one line per import, then what to do."""
    lines = [f"  {where} imports {target}"
             + (", which git does not track" if reason == "untracked" else ", which the edition does not ship")
             for where, target, reason in problems]
    untracked = sorted({target for _, target, reason in problems if reason == "untracked"})
    missing = sorted({target for _, target, reason in problems if reason == "not shipped"})
    fixes = []
    if untracked:
        fixes.append(f"commit the untracked files (git add {' '.join(untracked)}) or remove their imports")
    if missing:
        fixes.append(f"move {', '.join(missing)} into the student wing (SHIPS in {GENERATOR}) or remove the imports")
    fix = "; ".join(fixes)
    return StudentEditionError("the edition could not import files that it would leave out:\n" + "\n".join(lines)
                               + "\n" + fix[0].upper() + fix[1:] + ". Nothing was written.")


# ------------------------------------------------------------------------------------------------------ regions
def _string_interiors(source, where):
    """0-based indexes of the lines after the first of every multi-line string literal (docstrings)."""
    inside, fstring_starts = set(), []
    fstring_start, fstring_end = getattr(tokenize, "FSTRING_START", None), getattr(tokenize, "FSTRING_END", None)
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == fstring_start:
                fstring_starts.append(token.start[0])
                continue
            if token.type == tokenize.STRING:
                first = token.start[0]
            elif token.type == fstring_end and fstring_starts:
                first = fstring_starts.pop()
            else:
                continue
            inside.update(range(first, token.end[0]))  # 1-based lines first+1 .. end
    except (tokenize.TokenError, SyntaxError) as err:
        raise StudentEditionError(f"{where}: not valid Python ({err})") from None
    return inside


def module_regions(source, where):
    """The regions of a Python module: parts.find_regions, blind to marker lines quoted inside string literals."""
    lines = source.split("\n")
    quoted = _string_interiors(source, where)
    visible = ["" if i in quoted else line for i, line in enumerate(lines)]
    try:
        return lines, parts.find_regions(visible, where)
    except parts.MarkerError as err:
        raise StudentEditionError(str(err)) from None


BOX_HELP = ("each region needs its task box directly above the START marker: a title line '# -- TODO: <what> ---', "
            "lines saying what to compute (variables, shapes), a '# Hint: ...' line and a closing '# -----' rule "
            "(see cs231n/parts.py)")


def box_problems(lines, regions, where):
    """'where, line N: what is wrong' for each region whose task box is missing or incomplete."""
    return [f"{where}, line {region.start + 1}: {problem}" for region in regions
            if (problem := parts.box_problem(lines, region.start)) is not None]


def _indent(line):
    return line[:len(line) - len(line.lstrip())]


def stub_lines(lines, regions, names):
    """Lines with each region's body replaced by its one stub line (parts.stub_line).

    Inputs: lines (list of N strings), regions (R parts.Region), names (R stub names, None for `pass`).
    Returns (new lines, 0-based index of each stub in them). The stub takes the indentation of the region's
    first code line, or of its START marker when the region holds no code.
    """
    out, at, stub_at = [], 0, []
    for region, name in zip(regions, names):
        out.extend(lines[at:region.start + 1])
        body = [line for line in lines[region.start + 1:region.end] if line.strip()[:1] not in ("", "#")]
        stub_at.append(len(out))
        out.append(parts.stub_line(_indent(body[0] if body else lines[region.start]), name))
        at = region.end
    out.extend(lines[at:])
    return out, stub_at


def _must_compile(text, where):
    try:
        compile(text, where, "exec")
    except SyntaxError as err:
        raise StudentEditionError(
            f"{where}, line {err.lineno}: with its stub the code is not valid Python ({err.msg}); a region must be "
            "whole statements at one indentation, inside a single block") from None


def stub_module(source, where, problems):
    """A module's student version: (text, [(1-based stub line, stub name)]). Box problems go to `problems`."""
    lines, regions = module_regions(source, where)
    if not regions:
        return source, []
    problems += box_problems(lines, regions, where)
    names = parts.stub_names(lines, regions, source)
    new_lines, stub_at = stub_lines(lines, regions, names)
    text = "\n".join(new_lines)
    _must_compile(text, where)
    return text, [(i + 1, name) for i, name in zip(stub_at, names)]


# ---------------------------------------------------------------------------------------------------- notebooks
def _cell_lines(cell):
    source = cell.get("source", "")
    return ("".join(source) if isinstance(source, list) else source).split("\n")


def _set_cell_lines(cell, lines):
    """Store lines as nbformat does: a list of strings, each but the last ending in a newline."""
    text = "\n".join(lines).split("\n")
    cell["source"] = [line + "\n" for line in text[:-1]] + ([text[-1]] if text[-1] else [])


def _without_magics(lines):
    """IPython-only lines (%magic, !shell) as `pass`, so that a cell compiles as Python."""
    return [_indent(line) + "pass" if line.lstrip()[:1] in ("%", "!") else line for line in lines]


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _drop_tag(cell, tag):
    metadata = cell.setdefault("metadata", {})
    tags = [t for t in metadata.get("tags", []) if t != tag]
    if tags:
        metadata["tags"] = tags
    else:
        metadata.pop("tags", None)


def stub_notebook(text, where, problems):
    """A notebook's student version: (JSON text, [(cell where, 1-based stub line, name)], answer cells emptied)."""
    try:
        nb = json.loads(text)
    except ValueError as err:
        raise StudentEditionError(f"{where}: not a valid notebook ({err})") from None
    stubs, answers = [], 0
    for index, cell in enumerate(nb.get("cells", [])):
        cell_where = f"{where}, cell {index + 1}"
        kind = cell.get("cell_type")
        if kind == "markdown" and SOLUTION_TAG in _tags(cell):
            _set_cell_lines(cell, [ANSWER_PROMPT])
            cell.pop("attachments", None)
            _drop_tag(cell, SOLUTION_TAG)
            answers += 1
        if kind != "code":
            continue
        if SOLUTION_TAG in _tags(cell):
            problems.append(f"{cell_where}: a code cell tagged {SOLUTION_TAG!r}; that tag marks the answer to an "
                            "inline question (a markdown cell): mark the student's code with START/END lines and "
                            "a task box instead")
        lines = _cell_lines(cell)
        try:
            regions = parts.find_regions(lines, cell_where)
        except parts.MarkerError as err:
            raise StudentEditionError(str(err)) from None
        if regions:
            problems += box_problems(lines, regions, cell_where)
            names = parts.stub_names(lines, regions, None)
            new_lines, stub_at = stub_lines(lines, regions, names)
            try:  # a cell that was plain Python must stay plain Python
                compile("\n".join(_without_magics(lines)), cell_where, "exec")
            except SyntaxError:
                pass
            else:
                _must_compile("\n".join(_without_magics(new_lines)), cell_where)
            _set_cell_lines(cell, new_lines)
            stubs += [(cell_where, i + 1, name) for i, name in zip(stub_at, names)]
        cell["outputs"] = []
        cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)  # nbclient's timestamps
    nb.get("metadata", {}).pop("widgets", None)  # stored widget state (progress bars) is output too
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n", stubs, answers


# ------------------------------------------------------------------------------------------------------ render
def render(root, files):
    """Every file of the edition in memory: ({path: (bytes, mode)}, Report). Raises before anything is written."""
    report, out, problems = Report(), {}, []
    for path in files:
        source = root / path
        data = source.read_bytes()
        if path.startswith("cs231n/") and path.endswith(".py"):
            text, stubs = stub_module(data.decode("utf-8"), path, problems)
            data = text.encode("utf-8")
            if stubs:
                report.regions[path] = len(stubs)
                report.stubs += [(path, path, line, name) for line, name in stubs]
        elif path.startswith("notebooks/") and path.endswith(".ipynb"):
            text, stubs, answers = stub_notebook(data.decode("utf-8"), path, problems)
            data = text.encode("utf-8")
            if stubs:
                report.regions[path] = len(stubs)
                report.stubs += [(path, where, line, name) for where, line, name in stubs]
            if answers:
                report.answers[path] = answers
        elif path.endswith(".py"):
            _, regions = module_regions(data.decode("utf-8"), path)
            problems += [f"{path}, line {r.start + 1}: a region outside cs231n/ and notebooks/ would ship with its "
                         "solution; move the student's code into the package" for r in regions]
        out[path] = (data, source.stat().st_mode & 0o777)
    if problems:
        raise StudentEditionError(f"{len(problems)} region(s) cannot be handed out; {BOX_HELP}:\n  "
                                  + "\n  ".join(problems))
    return out, report


# ------------------------------------------------------------------------------------------------- destination
def _inside(path, folder):
    return path == folder or folder in path.parents


def resolve_destination(root, dest):
    """DEST as an absolute path (its parent resolved, DEST itself never), or StudentEditionError."""
    dest = Path(os.path.abspath(Path(dest).expanduser()))
    if dest.is_symlink():
        raise StudentEditionError(
            f"{dest} is a symbolic link (to {os.readlink(dest)}); the generator never writes through a link: pass "
            "the folder it points to, or another path")
    dest = dest.parent.resolve() / dest.name
    root = Path(root).resolve()
    if _inside(root, dest):
        raise StudentEditionError(
            f"refusing to write the student edition to {dest}: that is the source tree or a folder holding it "
            f"({root}); choose a folder elsewhere, e.g. {root / 'build' / 'student'}")
    if _inside(dest, root) and (not _inside(dest, root / "build") or dest == root / "build"):
        raise StudentEditionError(
            f"refusing to write the student edition into the source tree ({dest} is inside {root}); choose a "
            f"folder outside it, or one under {root / 'build'} such as {root / 'build' / 'student'}")
    if dest.exists() and not dest.is_dir():
        raise StudentEditionError(f"{dest} exists and is not a folder; choose a folder path")
    return dest


def read_manifest(dest):
    """The manifest of the edition at dest, or None (no edition, a link, or not one this script wrote)."""
    path = Path(dest) / EDITION_FILE
    if path.is_symlink() or not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("edition") != "student":
        return None
    if not isinstance(manifest.get("files"), dict):
        return None
    return manifest


def _parents(paths):
    return {"/".join(p.split("/")[:i]) for p in paths for i in range(1, p.count("/") + 1)}


def _students_own(path):
    """What a student or `make` adds to an edition: environments, data, build output, caches."""
    pieces = path.split("/")
    return (pieces[0] in STUDENT_TOP or pieces[0].endswith(".egg-info")
            or any(piece in CACHE_DIRS for piece in pieces))


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def survey(dest, new_files, old_files):
    """Look at an existing DEST without following any link.

    Inputs: dest (Path), new_files (paths the edition writes), old_files ({path: sha256} from DEST's manifest,
    empty when there is none). Returns (changes, blocked): changes are the paths that differ from what the earlier
    edition wrote, or that were added (the student's own additions excepted); blocked are (path, link target) of
    the links standing where the edition needs a folder.
    """
    new_dirs, walk_dirs = _parents(new_files), _parents(new_files) | _parents(old_files)
    changes, blocked = [], []

    def visit(folder, rel):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            path = rel + entry.name
            if path == EDITION_FILE:
                continue
            if entry.is_symlink():
                if path in new_dirs:
                    blocked.append((path, os.readlink(entry.path)))
                elif path in old_files or path in new_files or not _students_own(path):
                    changes.append(f"{path} (a symbolic link)")
            elif entry.is_dir(follow_symlinks=False):
                if path in new_files or path in old_files:
                    changes.append(f"{path}/ (a folder where the edition has a file)")
                elif path in walk_dirs:
                    visit(entry.path, path + "/")
                elif not _students_own(path) and _holds_files(entry.path):
                    changes.append(path + "/")
            elif path in old_files:
                if _sha256(entry.path) != old_files[path]:
                    changes.append(path)
            elif not _students_own(path):
                changes.append(path)

    visit(dest, "")
    return changes, blocked


def _holds_files(folder):
    for _, _, files in os.walk(folder):
        if files:
            return True
    return False


def _stale_runs(dest):
    """Staging or old folders beside DEST left by an interrupted run."""
    if not dest.parent.is_dir():
        return []
    return sorted(p.name for p in dest.parent.iterdir()
                  if p.name.startswith((f".{dest.name}.new-", f".{dest.name}.old-")))


def check_destination(dest, new_files, force):
    """Decide whether DEST may be written; returns the earlier edition's {path: sha256} (empty when none)."""
    if not dest.exists() or not any(dest.iterdir()):
        return {}
    manifest = read_manifest(dest)
    old_files = {p: h for p, h in manifest["files"].items() if isinstance(p, str)} if manifest else {}
    changes, blocked = survey(dest, new_files, old_files)
    if blocked:
        shown = "; ".join(f"{dest / path} -> {target}" for path, target in blocked)
        raise StudentEditionError(
            f"{shown}: a symbolic link stands where the edition writes files (e.g. "
            f"{next(p for p in sorted(new_files) if p.startswith(blocked[0][0] + '/'))}); the generator never "
            "writes through a link. Replace the link with a real folder and, to share data, link what is inside "
            f"instead (for datasets: ln -s <folder>/cifar-10-batches-py {dest / 'datasets'}/, or set "
            "CS231N_DATASETS), then run again. Nothing was written.")
    if force:
        return old_files
    if manifest is None:
        raise StudentEditionError(
            f"{dest} is not empty and holds no student edition (no {EDITION_FILE}); choose an empty or new folder, "
            "or pass --force to write the edition into it (files of the same name are overwritten, nothing else "
            "is removed)")
    if changes:
        raise StudentEditionError(
            f"{dest} holds a student edition with changes since it was generated ({_some(changes, 5)}); keep that "
            "work: choose another folder, or pass --force to overwrite the edition's files (other files are kept)")
    return old_files


# ------------------------------------------------------------------------------------------------------ writing
def _carry_over(old, new, rel, new_files, old_files, moved):
    """Move into the staging folder `new` what the old DEST holds besides the edition's files, never following
    a link. Dropped (left in `old`, deleted with it): the files the new edition replaces, the files of the
    earlier edition, __pycache__ folders and the old manifest."""
    new_dirs, old_dirs = _parents(new_files), _parents(old_files)
    for entry in sorted(os.scandir(old), key=lambda e: e.name):
        path, target = rel + entry.name, new / entry.name
        if path == EDITION_FILE:
            continue
        if entry.is_dir(follow_symlinks=False):
            if entry.name == "__pycache__" or path in new_files or path in old_files:
                continue
            if path in new_dirs or path in old_dirs:
                target.mkdir(exist_ok=True)
                _carry_over(Path(entry.path), target, path + "/", new_files, old_files, moved)
                if path not in new_dirs and not any(target.iterdir()):
                    target.rmdir()
                continue
        elif path in new_files or path in old_files:
            continue
        elif path in new_dirs:  # a file or link where the edition needs a folder (links were refused earlier)
            if entry.is_symlink():
                raise StudentEditionError(f"{path} is a symbolic link where the edition needs a folder")
            continue
        os.rename(entry.path, target)  # a link is moved as a link
        moved.append((Path(entry.path), target))


def _fresh_name(dest, kind):
    while True:
        path = dest.parent / f".{dest.name}.{kind}-{os.getpid()}-{secrets.token_hex(3)}"
        if not os.path.lexists(path):
            return path


def write_edition(dest, files, manifest, old_files):
    """Write the edition into a staging folder beside DEST and swap it in once it is complete.

    files: {path: (bytes, mode)}; manifest: the dict for EDITION_FILE; old_files: what an earlier edition at DEST
    wrote. If anything fails, DEST is left as it was and the staging folder is removed.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = _fresh_name(dest, "new")
    staging.mkdir()
    try:
        for path, (data, mode) in sorted(files.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, mode)
        (staging / EDITION_FILE).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if not dest.exists():
            os.rename(staging, dest)
            return None
        old = _fresh_name(dest, "old")
        os.rename(dest, old)
        moved = []
        try:
            _carry_over(old, staging, "", set(files), set(old_files), moved)
            os.rename(staging, dest)
        except BaseException:
            for source, target in reversed(moved):
                os.rename(target, source)
            os.rename(old, dest)
            raise
        try:
            shutil.rmtree(old)
        except OSError as err:
            return f"could not remove the previous edition's files in {old} ({err}); delete that folder"
        return None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


# ------------------------------------------------------------------------------------------------------- build
def build(dest, root=ROOT, force=False):
    """Write the student edition of the project at `root` into `dest`.

    Inputs: dest (path), root (the solution's checkout), force (write over a folder that is not an unmodified
    edition). Returns a Report. Raises StudentEditionError, having written nothing, when the source or the
    destination is refused.
    """
    root = Path(root).resolve()
    if not (root / "cs231n" / "__init__.py").is_file():
        raise StudentEditionError(f"{root} does not look like the project (no cs231n/__init__.py); pass --source")
    dest = resolve_destination(root, dest)
    git = git_state(root)
    files = source_files(root, git)
    problems = import_problems(root, files, git)
    if problems:
        raise import_error(problems)
    rendered, report = render(root, files)
    report.dest = dest
    if git and git.changed:
        _warn(report, f"the working tree has uncommitted changes ({_some(git.changed)}); the edition is written "
                      "from the working tree, without the files git does not track")
    old_files = check_destination(dest, set(rendered), force)
    stale = _stale_runs(dest)
    if stale:
        _warn(report, f"left over from an interrupted run beside {dest}: {_some(stale)} (an .old- folder may hold "
                      "the previous edition's .venv/ or data); delete them when you have what you need")
    report.files = {path: hashlib.sha256(data).hexdigest() for path, (data, _) in rendered.items()}
    manifest = {"edition": "student", "format": MANIFEST_FORMAT, "generator": GENERATOR,
                "source": {"commit": git.commit, "dirty": bool(git.changed)} if git else None,
                "regions": report.regions, "answers": report.answers, "files": report.files}
    problem = write_edition(dest, rendered, manifest, old_files)
    if problem:
        _warn(report, problem)
    return report


def print_report(report, shown_dest):
    paths = sorted(set(report.regions) | set(report.answers))
    width = max([len(p) for p in paths] + [len("file")])
    print(f"{'file':<{width}}  regions  answer cells")
    for path in paths:
        print(f"{path:<{width}}  {report.regions.get(path, 0):>7}  {report.answers.get(path, 0):>12}")
    print(f"{sum(report.regions.values())} regions stubbed, {sum(report.answers.values())} answer cells emptied; "
          f"{len(report.files)} files written to {shown_dest}")
    print(f"next: cd {shown_dest} && make check")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", nargs="?", default=str(ROOT / "build" / "student"),
                        help="folder to write (default: build/student of this checkout)")
    parser.add_argument("--force", action="store_true",
                        help="write over a folder that is not an unmodified edition (other files are kept)")
    parser.add_argument("--source", default=str(ROOT), help="the solution's checkout (default: this one)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    args = parser.parse_args(argv)
    try:
        report = build(args.dest, root=args.source, force=args.force)
    except StudentEditionError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not args.quiet:
        print_report(report, Path(args.dest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
