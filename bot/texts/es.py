DATE = "{day} de {month} de {year}"
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre")

LABELS = {
    "access": "copia de los datos personales",
    "rectification": "rectificación",
    "erasure": "supresión",
    "restriction": "limitación del tratamiento",
    "portability": "portabilidad de los datos",
    "objection": "oposición al tratamiento",
    "call_recording": "copia de la grabación de una llamada",
    "complaint": "reclamación",
    "withdraw_consent": "retirada del consentimiento",
}

DETAILS = {
    "name": "su nombre completo",
    "email": "su dirección de correo electrónico",
    "phone": "el número de teléfono en cuestión",
    "call_date": "la fecha de la llamada",
    "call_time": "la hora aproximada de la llamada",
    "request_type": "qué desea que hagamos con sus datos",
    "description": "una breve descripción de su solicitud",
}

LEVELS = {"email": "dirección de correo electrónico", "phone": "número de teléfono",
          "document": "documento de identidad"}

TASKS = {
    "call_back": "llamar al solicitante al número de teléfono registrado para confirmar que es suyo",
    "document_check": "comprobar un documento de identidad del solicitante (anote solo lo que ha visto y no "
                      "guarde nunca una copia)",
    "email_address_needed": "pedir al solicitante una dirección de correo electrónico o comprobar su identidad "
                            "mediante un documento",
}

REASONS = {
    "verified": "se ha verificado la identidad del solicitante",
    "no_verification_needed": "la solicitud no requiere prueba de identidad",
    "asked_for_human": "el solicitante pidió hablar con una persona",
    "not_understood": "el asistente no pudo determinar de qué trata la solicitud",
}

DIGEST_LINE = "{reference} – {request_labels} – vence el {due_date}"
DIGEST_NONE = "(ninguno)"

_BYE = "\n\nAtentamente,\nEl equipo de Protección de Datos"

NOTICES = {
    "acknowledgement": (
        "Hemos recibido su solicitud",
        "Hola, {name}:\n\n"
        "Hemos recibido su solicitud ({request_labels}) y hemos abierto el expediente {reference}.\n"
        "Recibirá nuestra respuesta a más tardar el {due_date}.\n\n"
        "Antes de comunicar o modificar cualquier dato personal, debemos confirmar su identidad; le indicaremos "
        "cómo hacerlo en un mensaje aparte." + _BYE,
    ),
    "verification_code": (
        "Su código de verificación",
        "Hola, {name}:\n\n"
        "Para confirmar que esta dirección de correo electrónico es suya, introduzca este código en el chat "
        "o responda a este correo indicándolo:\n\n"
        "    {code}\n\n"
        "También puede abrir este enlace:\n{link}\n\n"
        "El código es válido durante {minutes} minutos y solo puede utilizarse una vez. No lo comparta nunca "
        "con nadie; nunca se lo pediremos por teléfono.\n\n"
        "Si no se ha puesto en contacto con nosotros en relación con el expediente {reference}, puede ignorar "
        "este correo." + _BYE,
    ),
    "phone_code": (
        "Su código de verificación",
        "Su código de verificación para el expediente {reference} es {code}. Es válido durante {minutes} "
        "minutos. No lo comparta con nadie.",
    ),
    "document_requested": (
        "Necesitamos confirmar su identidad",
        "Hola, {name}:\n\n"
        "Su solicitud (expediente {reference}) se refiere a datos personales que solo podemos comunicar o "
        "modificar cuando tengamos la certeza de que usted es la persona a la que pertenecen. Un miembro de "
        "nuestro equipo de Protección de Datos se pondrá en contacto con usted para comprobar un documento de "
        "identidad.\n\n"
        "Le rogamos que no nos envíe copias de sus documentos de identidad por correo electrónico." + _BYE,
    ),
    "missing_details": (
        "Necesitamos algunos datos más",
        "Hola, {name}:\n\n"
        "Gracias por su solicitud (expediente {reference}). Para poder tramitarla, todavía necesitamos:\n\n"
        "{missing}\n\n"
        "Le rogamos que responda a este correo con estos datos, sin cambiar la referencia del expediente que "
        "figura en el asunto." + _BYE,
    ),
    "information_request": (
        "Necesitamos información para continuar con su solicitud",
        "Hola, {name}:\n\n"
        "Para continuar con su solicitud (expediente {reference}) necesitamos que nos facilite la siguiente "
        "información:\n\n"
        "{question}\n\n"
        "Le rogamos que responda a este correo sin cambiar la referencia del expediente que figura en el "
        "asunto." + _BYE,
    ),
    "extension": (
        "Necesitamos más tiempo para responder a su solicitud",
        "Hola, {name}:\n\n"
        "La ley nos permite prorrogar el plazo de respuesta cuando una solicitud es compleja o se han recibido "
        "muchas. Prorrogamos el plazo del expediente {reference} en {months} mes(es), por el siguiente "
        "motivo:\n\n"
        "{reason}\n\n"
        "Recibirá nuestra respuesta a más tardar el {due_date}." + _BYE,
    ),
    "denial": (
        "Nuestra decisión sobre su solicitud",
        "Hola, {name}:\n\n"
        "Hemos decidido no atender su solicitud (expediente {reference}) por el siguiente motivo:\n\n"
        "{reason}\n\n"
        "Si no está de acuerdo, tiene derecho a presentar una reclamación ante una autoridad de control de "
        "protección de datos y a interponer un recurso judicial." + _BYE,
    ),
    "fulfilment": (
        "Su solicitud se ha completado",
        "Hola, {name}:\n\n"
        "Hemos completado su solicitud ({request_labels}), expediente {reference}.\n"
        "{note}" + _BYE,
    ),
    "staff_new_case": (
        "Nuevo expediente en la cola del DPD",
        "Hay un expediente esperando en la cola del delegado de protección de datos.\n\n"
        "Expediente: {reference}\n"
        "Solicitud: {request_labels}\n"
        "Vence: {due_date}\n"
        "Motivo: {reason}\n\n"
        "Ábralo en la consola: {link}\n\n"
        "Este correo no contiene datos personales del solicitante; la consola muestra el expediente completo.",
    ),
    "staff_task": (
        "Un expediente requiere la intervención del equipo",
        "El expediente {reference} requiere la intervención de un miembro del equipo: {task}.\n\n"
        "Ábralo en la consola: {link}",
    ),
    "staff_verification_locked": (
        "Verificación de identidad bloqueada por códigos erróneos",
        "Se han introducido cinco códigos erróneos en la verificación por {level} del expediente {reference}, "
        "por lo que esa verificación queda bloqueada y no se enviarán más códigos.\n\n"
        "Es posible que alguien esté intentando adivinar el código. Póngase en contacto con el solicitante a "
        "través de los datos registrados antes de levantar el bloqueo.\n\n"
        "Abra el expediente en la consola: {link}",
    ),
    "staff_delivery_failed": (
        "No se ha podido enviar un correo",
        "Privacy Desk ha dejado de intentar enviar un correo ({kind}) del expediente {reference} tras "
        "{attempts} intentos.\n"
        "Último error: {error}\n\n"
        "Compruebe la dirección registrada y el servidor de correo y vuelva a enviarlo "
        "(privacy-desk outbox retry {email_id}), o póngase en contacto con el solicitante por otra vía.",
    ),
    "staff_digest": (
        "Resumen diario de expedientes que requieren atención, {date}",
        "Expedientes que vencen en los próximos 7 días:\n{due_soon}\n\n"
        "Expedientes vencidos:\n{overdue}\n\n"
        "Expedientes sin asignar desde hace más de 5 días:\n{unclaimed}\n\n"
        "La cola del DPD: {link}",
    ),
}


# The chat's apology when the assistant fails on our side (web/turn_faults.py): what happened, what to do.
CHAT_FAULT = {
    "saved": ("Lo sentimos, algo ha fallado por nuestra parte y no puedo responder ahora. "
              "Lo que ha escrito está guardado."),
    "not_handled": "Lo sentimos, algo ha fallado por nuestra parte y no se ha podido tratar su mensaje.",
    "try_again": "Vuelva a intentarlo dentro de unos minutos.",
    "write_to": "Vuelva a intentarlo dentro de unos minutos o escríbanos a {address}.",
}


# La copia de los datos de una persona (summary.html de una exportación, bot/export_summary.py).
EXPORT = {
    "title": "Copia de sus datos personales",
    "intro": "Esta es una copia de los datos personales que tenemos sobre usted, preparada el {date} en "
             "respuesta a su solicitud {reference}. El archivo export.json contiene los mismos datos en un "
             "formato que otros servicios pueden leer.",
    "withheld": "No se incluyen los códigos ni enlaces de verificación: solo servían para confirmar su identidad.",
    "you": "Sus datos",
    "name": "Nombre",
    "email": "Correo electrónico",
    "phone": "Número de teléfono",
    "cases": "Sus solicitudes",
    "received": "Recibida",
    "status": "Estado",
    "outcome": "Resultado",
    "conversations": "Conversaciones por chat",
    "from_you": "Usted",
    "from_us": "Nosotros",
    "letters": "Correos que nos envió",
    "sent": "Mensajes que le enviamos",
    "attachments": "Adjuntos",
    "audit": "Lo que se hizo con sus solicitudes",
    "none": "Ninguno.",
}
EXPORT_STATUS = {
    "awaiting_details": "pendiente de datos",
    "awaiting_verification": "pendiente de prueba de identidad",
    "verified": "pendiente de tramitación",
    "in_review": "en tramitación",
    "awaiting_requester": "pendiente de su respuesta",
    "fulfilled": "atendida",
    "denied": "denegada",
    "withdrawn": "retirada",
}
