"""`python -m assistant.rasa_server [rasa run options]`: `rasa run` with its HTTP API behind Privacy Desk's token.

Rasa reads the token only from its command line (`--auth-token`), and a command line is readable by every user
of the machine (`ps`, /proc/PID/cmdline). So the token is not put on the command line that starts this process:
it is read here (PRIVACY_DESK_RASA_API_TOKEN, else the generated file in the state folder) and added to the
arguments Rasa parses inside the process, which no other user can see. It also checks the action server's
answers with a validator built once (assistant/action_results.py).
"""
from __future__ import annotations

import sys

from bot.secret import rasa_api_token


def rasa_arguments(arguments: list[str]) -> list[str]:
    # "--auth-token=…" in one piece: a generated token may begin with "-", which argparse would otherwise take
    # for an option and stop the server ("expected one argument"), at every start since the token is kept.
    return ["run", f"--auth-token={rasa_api_token()}", *arguments]


def main() -> None:
    sys.argv[1:] = rasa_arguments(sys.argv[1:])
    from rasa.__main__ import main as rasa_main

    from assistant import action_results

    action_results.install()  # half the server's CPU time otherwise (see assistant/action_results.py)

    rasa_main()


if __name__ == "__main__":
    main()
