DATE = "{day} {month} {year}"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")

LABELS = {
    "access": "copie des données personnelles",
    "rectification": "rectification",
    "erasure": "effacement",
    "restriction": "limitation du traitement",
    "portability": "portabilité des données",
    "objection": "opposition au traitement",
    "call_recording": "copie d'un enregistrement d'appel",
    "complaint": "réclamation",
    "withdraw_consent": "retrait du consentement",
}

DETAILS = {
    "name": "vos nom et prénom",
    "email": "votre adresse e-mail",
    "phone": "le numéro de téléphone concerné",
    "call_date": "la date de l'appel",
    "call_time": "l'heure approximative de l'appel",
    "request_type": "ce que vous souhaitez que nous fassions de vos données",
    "description": "une brève description de votre demande",
}

LEVELS = {"email": "adresse e-mail", "phone": "numéro de téléphone", "document": "pièce d'identité"}

TASKS = {
    "call_back": "rappeler le demandeur au numéro de téléphone enregistré pour confirmer qu'il s'agit bien du sien",
    "document_check": "vérifier une pièce d'identité du demandeur (ne noter que ce qui a été vu, jamais de copie)",
    "email_address_needed": "demander une adresse e-mail au demandeur, ou vérifier son identité au moyen "
                            "d'une pièce d'identité",
}

REASONS = {
    "verified": "l'identité du demandeur a été vérifiée",
    "no_verification_needed": "la demande ne nécessite aucune preuve d'identité",
    "asked_for_human": "le demandeur a demandé à parler à une personne",
    "not_understood": "l'assistant n'a pas pu déterminer l'objet de la demande",
}

DIGEST_LINE = "{reference} – {request_labels} – échéance le {due_date}"
DIGEST_NONE = "(aucun)"

_BYE = "\n\nCordialement,\nL'équipe Protection des données"

NOTICES = {
    "acknowledgement": (
        "Nous avons bien reçu votre demande",
        "Bonjour {name},\n\n"
        "Nous avons bien reçu votre demande ({request_labels}) et ouvert le dossier {reference}.\n"
        "Vous recevrez notre réponse au plus tard le {due_date}.\n\n"
        "Avant de communiquer ou de modifier des données personnelles, nous devons vérifier votre identité ; "
        "nous vous indiquerons comment dans un message séparé." + _BYE,
    ),
    "verification_code": (
        "Votre code de vérification",
        "Bonjour {name},\n\n"
        "Pour confirmer que cette adresse e-mail est bien la vôtre, veuillez saisir ce code dans la conversation, "
        "ou répondre à cet e-mail en l'indiquant :\n\n"
        "    {code}\n\n"
        "Vous pouvez aussi ouvrir ce lien :\n{link}\n\n"
        "Le code est valable {minutes} minutes et ne peut servir qu'une seule fois. Ne le communiquez jamais à "
        "personne ; nous ne vous le demanderons jamais par téléphone.\n\n"
        "Si vous ne nous avez pas contactés au sujet du dossier {reference}, vous pouvez ignorer cet e-mail." + _BYE,
    ),
    "phone_code": (
        "Votre code de vérification",
        "Votre code de vérification pour le dossier {reference} est {code}. Il est valable {minutes} minutes. "
        "Ne le communiquez à personne.",
    ),
    "document_requested": (
        "Nous devons vérifier votre identité",
        "Bonjour {name},\n\n"
        "Votre demande (dossier {reference}) porte sur des données personnelles que nous ne pouvons communiquer "
        "ou modifier qu'après nous être assurés que vous êtes bien la personne concernée. Un membre de notre "
        "équipe Protection des données vous contactera pour vérifier une pièce d'identité.\n\n"
        "Merci de ne pas nous envoyer de copie de vos pièces d'identité par e-mail." + _BYE,
    ),
    "missing_details": (
        "Il nous manque quelques informations",
        "Bonjour {name},\n\n"
        "Merci pour votre demande (dossier {reference}). Pour pouvoir la traiter, il nous manque encore :\n\n"
        "{missing}\n\n"
        "Merci de répondre à cet e-mail en nous indiquant ces informations, sans modifier la référence du "
        "dossier dans l'objet." + _BYE,
    ),
    "information_request": (
        "Nous avons besoin d'informations pour poursuivre votre demande",
        "Bonjour {name},\n\n"
        "Pour poursuivre le traitement de votre demande (dossier {reference}), nous avons besoin des "
        "informations suivantes :\n\n"
        "{question}\n\n"
        "Merci de répondre à cet e-mail sans modifier la référence du dossier dans l'objet." + _BYE,
    ),
    "extension": (
        "Nous avons besoin de plus de temps pour répondre à votre demande",
        "Bonjour {name},\n\n"
        "La loi nous permet de prolonger le délai de réponse lorsqu'une demande est complexe ou que les "
        "demandes sont nombreuses. Nous prolongeons le délai du dossier {reference} de {months} mois, "
        "pour la raison suivante :\n\n"
        "{reason}\n\n"
        "Vous recevrez notre réponse au plus tard le {due_date}." + _BYE,
    ),
    "denial": (
        "Notre décision concernant votre demande",
        "Bonjour {name},\n\n"
        "Nous avons décidé de ne pas donner suite à votre demande (dossier {reference}), pour la raison "
        "suivante :\n\n"
        "{reason}\n\n"
        "Si vous n'êtes pas d'accord, vous avez le droit d'introduire une réclamation auprès d'une autorité de "
        "contrôle de la protection des données et de former un recours juridictionnel." + _BYE,
    ),
    "fulfilment": (
        "Votre demande a été traitée",
        "Bonjour {name},\n\n"
        "Nous avons traité votre demande ({request_labels}), dossier {reference}.\n"
        "{note}" + _BYE,
    ),
    "staff_new_case": (
        "Nouveau dossier dans la file du DPO",
        "Un dossier attend dans la file du DPO.\n\n"
        "Dossier : {reference}\n"
        "Demande : {request_labels}\n"
        "Échéance : {due_date}\n"
        "Motif : {reason}\n\n"
        "Ouvrez-le dans la console : {link}\n\n"
        "Cet e-mail ne contient aucune donnée personnelle du demandeur ; la console présente le dossier complet.",
    ),
    "staff_task": (
        "Un dossier demande l'intervention d'un membre de l'équipe",
        "Le dossier {reference} demande l'intervention d'un membre de l'équipe : {task}.\n\n"
        "Ouvrez-le dans la console : {link}",
    ),
    "staff_verification_locked": (
        "Vérification d'identité bloquée après des codes erronés",
        "Cinq codes erronés ont été saisis pour la vérification par {level} du dossier {reference} ; cette "
        "vérification est donc bloquée et aucun nouveau code ne sera envoyé.\n\n"
        "Quelqu'un essaie peut-être de deviner le code. Veuillez contacter le demandeur au moyen des "
        "coordonnées enregistrées avant de lever le blocage.\n\n"
        "Ouvrez le dossier dans la console : {link}",
    ),
    "staff_delivery_failed": (
        "Un e-mail n'a pas pu être envoyé",
        "Privacy Desk a renoncé à envoyer un e-mail ({kind}) pour le dossier {reference} après {attempts} "
        "tentatives.\n"
        "Dernière erreur : {error}\n\n"
        "Veuillez vérifier l'adresse enregistrée et le serveur de messagerie, puis renvoyer l'e-mail "
        "(privacy-desk outbox retry {email_id}) ou joindre le demandeur par un autre moyen.",
    ),
    "staff_digest": (
        "Récapitulatif quotidien des dossiers à suivre, {date}",
        "Dossiers arrivant à échéance dans les 7 jours :\n{due_soon}\n\n"
        "Dossiers en retard :\n{overdue}\n\n"
        "Dossiers non attribués depuis plus de 5 jours :\n{unclaimed}\n\n"
        "La file du DPO : {link}",
    ),
}


# The chat's apology when the assistant fails on our side (web/turn_faults.py): what happened, what to do.
CHAT_FAULT = {
    "saved": ("Désolé, un problème est survenu de notre côté et je ne peux pas répondre pour le moment. "
              "Ce que vous avez écrit est enregistré."),
    "not_handled": "Désolé, un problème est survenu de notre côté et votre message n'a pas pu être traité.",
    "try_again": "Veuillez réessayer dans quelques minutes.",
    "write_to": "Veuillez réessayer dans quelques minutes, ou écrivez-nous à {address}.",
}


# La copie des données d'une personne (summary.html d'un export, bot/export_summary.py).
EXPORT = {
    "title": "Copie de vos données personnelles",
    "intro": "Voici une copie des données personnelles que nous détenons à votre sujet, préparée le {date} en "
             "réponse à votre demande {reference}. Le fichier export.json contient les mêmes données dans un "
             "format lisible par d'autres services.",
    "withheld": "Les codes et liens de vérification n'y figurent pas : ils servaient seulement à confirmer "
                "votre identité.",
    "you": "Vos coordonnées",
    "name": "Nom",
    "email": "Adresse e-mail",
    "phone": "Numéro de téléphone",
    "cases": "Vos demandes",
    "received": "Reçue le",
    "status": "État",
    "outcome": "Résultat",
    "conversations": "Conversations par chat",
    "from_you": "Vous",
    "from_us": "Nous",
    "letters": "E-mails que vous nous avez envoyés",
    "sent": "Messages que nous vous avons envoyés",
    "attachments": "Pièces jointes",
    "audit": "Ce qui a été fait de vos demandes",
    "none": "Aucun.",
}
EXPORT_STATUS = {
    "awaiting_details": "en attente de précisions",
    "awaiting_verification": "en attente de preuve d'identité",
    "verified": "en attente de traitement",
    "in_review": "en cours de traitement",
    "awaiting_requester": "en attente de votre réponse",
    "fulfilled": "traitée",
    "denied": "refusée",
    "withdrawn": "retirée",
}
