"""The README is what a new user reads first: it must list every setting that exists."""
from pathlib import Path

from bot.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_readme_lists_every_setting():
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in README]
    assert missing == []


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [["make", "run"], ["make", "test"]]
