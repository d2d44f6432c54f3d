"""pyproject.toml and environment.yml must install the same packages."""

import re
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement):
    """'numpy>=1.24' -> 'numpy'; "tomli>=2; python_version < '3.11'" -> 'tomli'; names normalised (PEP 503)."""
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}


def environment_packages():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    return conda - {"python", "pip"}


def test_environment_yml_matches_pyproject():
    in_pyproject, in_environment = pyproject_packages(), environment_packages()
    assert in_pyproject == in_environment, (
        f"only in pyproject.toml: {sorted(in_pyproject - in_environment)}; "
        f"only in environment.yml: {sorted(in_environment - in_pyproject)}")


def test_environment_yml_uses_conda_forge_and_installs_the_package_editable():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pip_sections and any(line.startswith("-e .") for line in pip_sections[0])


def test_runtime_dependencies_are_the_documented_ones():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    assert {"numpy", "scipy", "matplotlib", "jupyterlab", "ipykernel", "pooch", "tqdm"} <= runtime
