DATE = "{day} {month} {year}"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

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
}
