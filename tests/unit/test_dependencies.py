import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_locked_install_never_pulls_pytorch() -> None:
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    names = {package["name"] for package in lock["package"]}
    assert not names & {"torch", "tensorflow", "jax", "nvidia-cudnn-cu12"}
