"""`python -m bot.console`: serve the staff console on PRIVACY_DESK_CONSOLE_HOST:PORT."""
import logging

from bot.console.server import run_forever

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
logging.getLogger("alembic").setLevel(logging.WARNING)  # the schema version is not news
run_forever()
