"""Texts Privacy Desk sends to requesters, one module per language (en.py, fr.py, ...).

Each module defines NOTICES: {kind: (subject, body)}, and MONTHS and DATE for writing dates. Bodies are str.format templates; the fields
available are listed in bot/notices.py. A language without a text falls back to English.
"""
