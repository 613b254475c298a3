DATE = "{day} {month} {year}"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# Request types as the requester reads them (bot.requests.RequestType values).
LABELS = {
    "access": "copy of personal data",
    "rectification": "rectification",
    "erasure": "erasure",
    "restriction": "restriction of processing",
    "portability": "data portability",
    "objection": "objection to processing",
    "call_recording": "copy of a call recording",
    "complaint": "complaint",
    "withdraw_consent": "withdrawal of consent",
}

# Details a request may still be missing (the "missing_details" notice lists them).
DETAILS = {
    "name": "your full name",
    "email": "your email address",
    "phone": "the telephone number concerned",
    "call_date": "the date of the call",
    "call_time": "the approximate time of the call",
    "request_type": "what you would like us to do with your data",
    "description": "a short description of your request",
}

# Proof of identity, as staff read it in their notices.
LEVELS = {"email": "email address", "phone": "phone number", "document": "identity document"}

# What a member of staff is asked to do (the "staff_task" notice).
TASKS = {
    "call_back": "call the requester back on the phone number on file to confirm that it is theirs",
    "document_check": "check an identity document of the requester (record only what you saw, never a copy)",
    "email_address_needed": "ask the requester for an email address, or check their identity by document",
}

# Why a case reached the DPO queue (the "staff_new_case" notice).
REASONS = {
    "verified": "the requester's identity has been verified",
    "no_verification_needed": "the request needs no proof of identity",
    "asked_for_human": "the requester asked to speak to a person",
    "not_understood": "the assistant could not tell what the request is",
}

DIGEST_LINE = "{reference} – {request_labels} – due {due_date}"
DIGEST_NONE = "(none)"

NOTICES = {
    "acknowledgement": (
        "We have received your request",
        "Hello {name},\n\n"
        "We have received your request ({request_labels}) and opened case {reference}.\n"
        "You will have our answer by {due_date} at the latest.\n\n"
        "Before we share or change any personal data we need to confirm your identity; "
        "we will tell you how in a separate message.\n\n"
        "Kind regards,\nThe Data Protection team",
    ),
    "verification_code": (
        "Your verification code",
        "Hello {name},\n\n"
        "To confirm that this email address is yours, please enter this code in the chat, "
        "or reply to this email with it:\n\n"
        "    {code}\n\n"
        "You can also open this link instead:\n{link}\n\n"
        "The code is valid for {minutes} minutes and can be used once. Never share it with anyone; "
        "we will never ask you for it by phone.\n\n"
        "If you did not contact us about case {reference}, you can ignore this email.\n\n"
        "Kind regards,\nThe Data Protection team",
    ),
    "phone_code": (
        "Your verification code",
        "Your verification code for case {reference} is {code}. It is valid for {minutes} minutes. "
        "Do not share it with anyone.",
    ),
    "document_requested": (
        "We need to confirm your identity",
        "Hello {name},\n\n"
        "Your request (case {reference}) concerns personal data that we can only share or change once we are "
        "sure that you are the person it belongs to. A member of our Data Protection team will contact you "
        "to check an identity document.\n\n"
        "Please do not send a copy of your identity documents by email.\n\n"
        "Kind regards,\nThe Data Protection team",
    ),
    "missing_details": (
        "We need a few more details",
        "Hello {name},\n\n"
        "Thank you for your request (case {reference}). To act on it, we still need:\n\n"
        "{missing}\n\n"
        "Please reply to this email with these details, keeping the case reference in the subject.\n\n"
        "Kind regards,\nThe Data Protection team",
    ),
    "information_request": (
        "We need some information to continue with your request",
        "Hello {name},\n\n"
        "To continue with your request (case {reference}) we need some information from you:\n\n"
        "{question}\n\n"
        "Please reply to this email, keeping the case reference in the subject.\n\n"
        "Kind regards,\nThe Data Protection team",
    ),
    "extension": (
        "We need more time to answer your request",
        "Hello {name},\n\n"
        "The law allows us to extend the time to answer a request that is complex or one of many. "
        "We are extending case {reference} by {months} month(s), for this reason:\n\n"
        "{reason}\n\n"
        "You will have our answer by {due_date} at the latest.\n\n"
        "Kind regards,\nThe Data Protection team",
    ),
    "denial": (
        "Our decision on your request",
        "Hello {name},\n\n"
        "We have decided not to carry out your request (case {reference}), for this reason:\n\n"
        "{reason}\n\n"
        "If you disagree, you have the right to lodge a complaint with a data protection supervisory "
        "authority and to seek a judicial remedy.\n\n"
        "Kind regards,\nThe Data Protection team",
    ),
    "fulfilment": (
        "Your request has been completed",
        "Hello {name},\n\n"
        "We have completed your request ({request_labels}), case {reference}.\n"
        "{note}\n\n"
        "Kind regards,\nThe Data Protection team",
    ),
    "staff_new_case": (
        "New case in the DPO queue",
        "A case is waiting in the DPO queue.\n\n"
        "Case: {reference}\n"
        "Request: {request_labels}\n"
        "Due: {due_date}\n"
        "Why: {reason}\n\n"
        "Open it in the console: {link}\n\n"
        "This email holds no personal data of the requester; the console shows the case in full.",
    ),
    "staff_task": (
        "A case needs a member of staff",
        "Case {reference} needs a member of staff: {task}.\n\n"
        "Open it in the console: {link}",
    ),
    "staff_verification_locked": (
        "Identity check locked after wrong codes",
        "Five wrong codes were entered for the {level} check of case {reference}, so that check is now "
        "locked and no new code is sent for it.\n\n"
        "Someone may be trying to guess the code. Please contact the requester using the details on file "
        "before you lift the lock.\n\n"
        "Open the case in the console: {link}",
    ),
    "staff_delivery_failed": (
        "An email could not be sent",
        "Privacy Desk gave up sending an email ({kind}) for case {reference} after {attempts} attempts.\n"
        "Last error: {error}\n\n"
        "Please check the address on file and the mail server, then send it again "
        "(privacy-desk outbox retry {email_id}) or reach the requester another way.",
    ),
    "staff_digest": (
        "Daily digest of cases that need attention, {date}",
        "Cases due within 7 days:\n{due_soon}\n\n"
        "Overdue cases:\n{overdue}\n\n"
        "Cases unclaimed for more than 5 days:\n{unclaimed}\n\n"
        "The DPO queue: {link}",
    ),
}


# The chat's apology when the assistant fails on our side (web/turn_faults.py): what happened, what to do.
CHAT_FAULT = {
    "saved": "Sorry, something went wrong on our side and I cannot answer right now. What you wrote is saved.",
    "not_handled": "Sorry, something went wrong on our side and your message could not be handled.",
    "try_again": "Please try again in a few minutes.",
    "write_to": "Please try again in a few minutes, or write to us at {address}.",
}


# The copy of a person's data (summary.html of an export, bot/export_summary.py).
EXPORT = {
    "title": "Copy of your personal data",
    "intro": "This is a copy of the personal data we hold about you, prepared on {date} in answer to your "
             "request {reference}. The file export.json holds the same data in a form other services can read.",
    "withheld": "Verification codes and links are left out: they only served to confirm your identity.",
    "you": "Your details",
    "name": "Name",
    "email": "Email address",
    "phone": "Phone number",
    "cases": "Your requests",
    "received": "Received",
    "status": "Status",
    "outcome": "Outcome",
    "conversations": "Chat conversations",
    "from_you": "You",
    "from_us": "Us",
    "letters": "Emails you sent us",
    "sent": "Messages we sent you",
    "attachments": "Attachments",
    "audit": "What was done with your requests",
    "none": "None.",
}
EXPORT_STATUS = {
    "awaiting_details": "waiting for details",
    "awaiting_verification": "waiting for proof of identity",
    "verified": "waiting to be handled",
    "in_review": "being handled",
    "awaiting_requester": "waiting for your answer",
    "fulfilled": "done",
    "denied": "refused",
    "withdrawn": "withdrawn",
}
