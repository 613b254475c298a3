"""Rewrites the README's settings table from bot/settings.py, the one place settings are declared."""
from pathlib import Path

from bot.settings import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "| variable | default | meaning |", "<!-- end of settings table -->"


def row(setting) -> str:
    if setting.name == "database_url":
        default = "a SQLite file under `var/`"
    else:
        default = f"`{setting.default}`" if setting.default else "(empty)"
    return f"| `{setting.env}` | {default} | {setting.help} |"


def main() -> None:
    text = README.read_text()
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    table = "\n".join([START, "| --- | --- | --- |", *map(row, SETTINGS)])
    README.write_text(f"{head}{table}\n{END}{tail}")


if __name__ == "__main__":
    main()
