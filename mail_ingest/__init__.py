"""Mail intake: the data-compliance mailbox read over IMAP and answered by the same assistant as the chat.

poller (IMAP, batches, position, lease) -> parse (bytes to Letter) -> clean (quotes, signatures) ->
filters (no reply to programs) -> followup (which case it continues) -> intake (letter + case, one
transaction) -> channel (the Rasa REST webhook; one threaded answer in the outbox). `run_forever` in
poller.py is what `privacy-desk run` starts; `privacy-desk mail ...` are the staff commands (cli.py).
"""
