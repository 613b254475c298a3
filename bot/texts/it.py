DATE = "{day} {month} {year}"
MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
          "novembre", "dicembre")

LABELS = {
    "access": "copia dei dati personali",
    "rectification": "rettifica",
    "erasure": "cancellazione",
    "restriction": "limitazione del trattamento",
    "portability": "portabilità dei dati",
    "objection": "opposizione al trattamento",
    "call_recording": "copia della registrazione di una chiamata",
    "complaint": "reclamo",
    "withdraw_consent": "revoca del consenso",
}

DETAILS = {
    "name": "il suo nome e cognome",
    "email": "il suo indirizzo e-mail",
    "phone": "il numero di telefono interessato",
    "call_date": "la data della chiamata",
    "call_time": "l'ora approssimativa della chiamata",
    "request_type": "che cosa desidera che facciamo con i suoi dati",
    "description": "una breve descrizione della sua richiesta",
}

LEVELS = {"email": "indirizzo e-mail", "phone": "numero di telefono", "document": "documento d'identità"}

TASKS = {
    "call_back": "richiamare il richiedente al numero di telefono registrato per confermare che sia il suo",
    "document_check": "verificare un documento d'identità del richiedente (annotare solo ciò che si è visto, "
                      "senza mai conservarne una copia)",
    "email_address_needed": "chiedere al richiedente un indirizzo e-mail oppure verificarne l'identità tramite "
                            "un documento",
}

REASONS = {
    "verified": "l'identità del richiedente è stata verificata",
    "no_verification_needed": "la richiesta non richiede alcuna prova d'identità",
    "asked_for_human": "il richiedente ha chiesto di parlare con una persona",
    "not_understood": "l'assistente non è riuscito a capire di che richiesta si tratti",
}

DIGEST_LINE = "{reference} – {request_labels} – scadenza {due_date}"
DIGEST_NONE = "(nessuna)"

_BYE = "\n\nCordiali saluti,\nIl team Protezione dei dati"

NOTICES = {
    "acknowledgement": (
        "Abbiamo ricevuto la sua richiesta",
        "Buongiorno {name},\n\n"
        "abbiamo ricevuto la sua richiesta ({request_labels}) e aperto la pratica {reference}.\n"
        "Riceverà la nostra risposta entro il {due_date}.\n\n"
        "Prima di comunicare o modificare dati personali dobbiamo verificare la sua identità; le spiegheremo "
        "come in un messaggio separato." + _BYE,
    ),
    "verification_code": (
        "Il suo codice di verifica",
        "Buongiorno {name},\n\n"
        "per confermare che questo indirizzo e-mail è suo, inserisca questo codice nella chat oppure risponda "
        "a questa e-mail indicandolo:\n\n"
        "    {code}\n\n"
        "In alternativa può aprire questo link:\n{link}\n\n"
        "Il codice è valido per {minutes} minuti e può essere usato una sola volta. Non lo comunichi mai a "
        "nessuno; non glielo chiederemo mai per telefono.\n\n"
        "Se non ci ha contattati in merito alla pratica {reference}, può ignorare questa e-mail." + _BYE,
    ),
    "phone_code": (
        "Il suo codice di verifica",
        "Il suo codice di verifica per la pratica {reference} è {code}. È valido per {minutes} minuti. "
        "Non lo comunichi a nessuno.",
    ),
    "document_requested": (
        "Dobbiamo verificare la sua identità",
        "Buongiorno {name},\n\n"
        "la sua richiesta (pratica {reference}) riguarda dati personali che possiamo comunicare o modificare "
        "solo dopo esserci accertati che lei sia la persona a cui si riferiscono. Un membro del nostro team "
        "Protezione dei dati la contatterà per verificare un documento d'identità.\n\n"
        "La preghiamo di non inviarci copie dei suoi documenti d'identità via e-mail." + _BYE,
    ),
    "missing_details": (
        "Ci servono ancora alcune informazioni",
        "Buongiorno {name},\n\n"
        "grazie per la sua richiesta (pratica {reference}). Per poterla trattare ci servono ancora:\n\n"
        "{missing}\n\n"
        "La preghiamo di rispondere a questa e-mail con queste informazioni, lasciando il riferimento della "
        "pratica nell'oggetto." + _BYE,
    ),
    "information_request": (
        "Ci servono alcune informazioni per proseguire con la sua richiesta",
        "Buongiorno {name},\n\n"
        "per proseguire con la sua richiesta (pratica {reference}) abbiamo bisogno delle seguenti "
        "informazioni:\n\n"
        "{question}\n\n"
        "La preghiamo di rispondere a questa e-mail lasciando il riferimento della pratica nell'oggetto." + _BYE,
    ),
    "extension": (
        "Ci serve più tempo per rispondere alla sua richiesta",
        "Buongiorno {name},\n\n"
        "la legge ci consente di prorogare il termine di risposta quando una richiesta è complessa o le "
        "richieste sono numerose. Proroghiamo il termine della pratica {reference} di {months} mese/i, per il "
        "seguente motivo:\n\n"
        "{reason}\n\n"
        "Riceverà la nostra risposta entro il {due_date}." + _BYE,
    ),
    "denial": (
        "La nostra decisione sulla sua richiesta",
        "Buongiorno {name},\n\n"
        "abbiamo deciso di non dare seguito alla sua richiesta (pratica {reference}) per il seguente motivo:\n\n"
        "{reason}\n\n"
        "Se non è d'accordo, ha il diritto di proporre reclamo a un'autorità di controllo per la protezione dei "
        "dati e di proporre ricorso giurisdizionale." + _BYE,
    ),
    "fulfilment": (
        "La sua richiesta è stata evasa",
        "Buongiorno {name},\n\n"
        "abbiamo evaso la sua richiesta ({request_labels}), pratica {reference}.\n"
        "{note}" + _BYE,
    ),
    "staff_new_case": (
        "Nuova pratica nella coda del DPO",
        "Una pratica è in attesa nella coda del DPO.\n\n"
        "Pratica: {reference}\n"
        "Richiesta: {request_labels}\n"
        "Scadenza: {due_date}\n"
        "Motivo: {reason}\n\n"
        "Apri la pratica nella console: {link}\n\n"
        "Questa e-mail non contiene dati personali del richiedente; la console mostra la pratica completa.",
    ),
    "staff_task": (
        "Una pratica richiede l'intervento di un membro del team",
        "La pratica {reference} richiede l'intervento di un membro del team: {task}.\n\n"
        "Apri la pratica nella console: {link}",
    ),
    "staff_verification_locked": (
        "Verifica dell'identità bloccata dopo codici errati",
        "Sono stati inseriti cinque codici errati per la verifica tramite {level} della pratica {reference}; "
        "la verifica è quindi bloccata e non verranno inviati nuovi codici.\n\n"
        "Qualcuno potrebbe tentare di indovinare il codice. Contatta il richiedente tramite i recapiti "
        "registrati prima di sbloccare la verifica.\n\n"
        "Apri la pratica nella console: {link}",
    ),
    "staff_delivery_failed": (
        "Non è stato possibile inviare un'e-mail",
        "Privacy Desk ha rinunciato a inviare un'e-mail ({kind}) per la pratica {reference} dopo {attempts} "
        "tentativi.\n"
        "Ultimo errore: {error}\n\n"
        "Controlla l'indirizzo registrato e il server di posta, poi invia di nuovo l'e-mail "
        "(privacy-desk outbox retry {email_id}) oppure contatta il richiedente in un altro modo.",
    ),
    "staff_digest": (
        "Riepilogo giornaliero delle pratiche da seguire, {date}",
        "Pratiche in scadenza entro 7 giorni:\n{due_soon}\n\n"
        "Pratiche scadute:\n{overdue}\n\n"
        "Pratiche non assegnate da più di 5 giorni:\n{unclaimed}\n\n"
        "La coda del DPO: {link}",
    ),
}


# The chat's apology when the assistant fails on our side (web/turn_faults.py): what happened, what to do.
CHAT_FAULT = {
    "saved": ("Ci scusi, si è verificato un problema da parte nostra e al momento non posso rispondere. "
              "Quello che ha scritto è stato salvato."),
    "not_handled": "Ci scusi, si è verificato un problema da parte nostra e il suo messaggio non è stato elaborato.",
    "try_again": "Riprovi tra qualche minuto.",
    "write_to": "Riprovi tra qualche minuto oppure ci scriva a {address}.",
}


# La copia dei dati di una persona (summary.html di un'esportazione, bot/export_summary.py).
EXPORT = {
    "title": "Copia dei suoi dati personali",
    "intro": "Questa è una copia dei dati personali che conserviamo su di lei, preparata il {date} in risposta "
             "alla sua richiesta {reference}. Il file export.json contiene gli stessi dati in un formato leggibile "
             "da altri servizi.",
    "withheld": "I codici e i link di verifica non sono inclusi: servivano solo a confermare la sua identità.",
    "you": "I suoi dati",
    "name": "Nome",
    "email": "Indirizzo e-mail",
    "phone": "Numero di telefono",
    "cases": "Le sue richieste",
    "received": "Ricevuta",
    "status": "Stato",
    "outcome": "Esito",
    "conversations": "Conversazioni in chat",
    "from_you": "Lei",
    "from_us": "Noi",
    "letters": "E-mail che ci ha inviato",
    "sent": "Messaggi che le abbiamo inviato",
    "attachments": "Allegati",
    "audit": "Che cosa è stato fatto delle sue richieste",
    "none": "Nessuno.",
}
EXPORT_STATUS = {
    "awaiting_details": "in attesa di dettagli",
    "awaiting_verification": "in attesa della prova d'identità",
    "verified": "in attesa di essere trattata",
    "in_review": "in trattamento",
    "awaiting_requester": "in attesa della sua risposta",
    "fulfilled": "evasa",
    "denied": "respinta",
    "withdrawn": "ritirata",
}
