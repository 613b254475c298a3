"""Texts Privacy Desk sends to requesters and staff, one module per language (en.py, fr.py, ...).

Each module defines NOTICES: {kind: (subject, body)}, MONTHS and DATE for writing dates, and the tables
LABELS (request types), DETAILS (details a request may lack), LEVELS (proof of identity), TASKS (work for
staff), REASONS (why a case reached the DPO queue), DIGEST_LINE and DIGEST_NONE, and
CHAT_FAULT (what the chat says when the assistant fails on our side), EXPORT and EXPORT_STATUS (the
copy of a person's data). Subjects and bodies are
str.format templates; the fields are listed in bot/notices.py, and tests/test_verification_texts.py checks
that every language has every text with the same fields as English. A missing text falls back to English.
"""
