"""Packaging matches the code: pyproject.toml and environment.yml install the same packages, every third-party
module that cs231n/ imports is declared, nothing undeclared is imported and nothing unused is declared, the kernel
the notebooks name is the one `make setup` registers, and the supported Pythons agree everywhere."""

import ast
import json
import re
import sys

import yaml

from cs231n.parts import ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

# Import name -> distribution name, where they differ.
DISTRIBUTION = {"IPython": "ipython", "yaml": "pyyaml", "skimage": "scikit-image", "sklearn": "scikit-learn"}
# Declared but imported by nobody, on purpose: the programs that run the notebooks (`make lab`, the kernel).
JUPYTER = {"jupyterlab", "ipykernel"}


def _name(requirement):
    """'numpy>=1.24' -> 'numpy'; "tomli>=2; python_version < '3.11'" -> 'tomli'; names normalised (PEP 503)."""
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)
    return re.sub(r"[-_.]+", "-", name).lower()


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def third_party_imports(sources):
    """Top-level names imported by Python sources that are neither the standard library nor cs231n."""
    names = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "cs231n"}


def notebook_sources():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                yield "\n".join(line for line in "".join(cell["source"]).splitlines()
                                if not line.lstrip().startswith(("%", "!")))


def test_environment_yml_matches_pyproject():
    in_pyproject = {_name(r) for r in project()["dependencies"] + project()["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    in_environment = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert in_pyproject == in_environment, (
        f"only in pyproject.toml: {sorted(in_pyproject - in_environment)}; "
        f"only in environment.yml: {sorted(in_environment - in_pyproject)}")


def test_environment_yml_uses_conda_forge_and_installs_the_package_editable():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pip_sections and any(line.startswith("-e .") for line in pip_sections[0])


def test_every_import_of_the_package_is_a_runtime_dependency():
    runtime = {_name(r) for r in project()["dependencies"]}
    package = [p.read_text() for p in (ROOT / "cs231n").rglob("*.py")]
    imported = {_name(DISTRIBUTION.get(n, n)) for n in third_party_imports(package)}
    assert imported <= runtime, f"imported by cs231n/ but not declared: {sorted(imported - runtime)}"


def test_every_runtime_dependency_is_used():
    runtime = {_name(r) for r in project()["dependencies"]}
    sources = [p.read_text() for p in (ROOT / "cs231n").rglob("*.py")] + list(notebook_sources())
    used = {_name(DISTRIBUTION.get(n, n)) for n in third_party_imports(sources)}
    assert runtime - used <= JUPYTER, f"declared but imported by neither cs231n/ nor a notebook: " \
                                      f"{sorted(runtime - used - JUPYTER)}"


def test_notebooks_name_the_kernel_that_make_setup_registers():
    kernel = re.search(r"^KERNEL := (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert re.search(r"ipykernel install --sys-prefix --name \$\(KERNEL\)", (ROOT / "Makefile").read_text())
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert json.loads(path.read_text())["metadata"]["kernelspec"]["name"] == kernel, path.name


def test_the_supported_pythons_agree():
    """requires-python, the classifiers, environment.yml, the README and .ci/run name the same versions."""
    classifiers = {c.rsplit(":: ", 1)[1] for c in project()["classifiers"] if c.startswith("Programming Language")}
    low, high = re.fullmatch(r">=3\.(\d+),<3\.(\d+)", project()["requires-python"].replace(" ", "")).groups()
    versions = {f"3.{minor}" for minor in range(int(low), int(high))}
    assert classifiers == versions
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python>=3.{low},<3.{high}" in env["dependencies"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tested = re.search(r"tested with Python (3\.\d+) to (3\.\d+)", readme)
    assert tested and tested.groups() == (min(versions), max(versions), ), "README must say the tested range"
    ci = (ROOT / ".ci" / "run").read_text()
    assert set(re.findall(r"\b3\.\d+\b", re.search(r"PYTHONS=\(([^)]*)\)", ci).group(1))) | {"3.11"} == versions
