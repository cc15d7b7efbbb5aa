"""The words of page furniture that no statistic sees, in nl, nb, nn, it and en.

A statistic can tell a menu from a paragraph, but not that "Annonse" is an ad label or
that "Kort fortalt" opens a machine summary box. These lists hold such wording, kept
short and readable; they are matched against WHOLE lines (case ignored, trailing
punctuation such as ":" or "," ignored) or, for the patterns, as a full match, so a
sentence that merely contains one of the words is never touched.
"""

from __future__ import annotations

import re


def _labels(text: str) -> frozenset[str]:
    return frozenset(" ".join(label.split()) for label in text.split("|") if label.strip())


# Whole-line labels, by what they are. Lower case; compared after casefolding.
LABELS: dict[str, frozenset[str]] = {
    "navigation": _labels(
        """naar hoofdinhoud|naar de inhoud|naar zoeken|ga direct naar de inhoud
        |overslaan en naar de inhoud gaan|hopp til innhold|hopp til hovedmeny
        |hopp til hovudmeny|hopp til innhald|gå til hovedinnhold|gå til hovudinnhaldet
        |gå til innhold|vai al contenuto principale|vai al contenuto|salta al contenuto
        |skip to main content|skip to content|skip to navigation|accessibility links
        |menu|meny|søk|zoeken|search|cerca|home|inloggen|logg inn|accedi|sign in|log in
        |abonneren|abonner|abbonati|subscribe|kjøp abonnement|inschrijven|meld je aan
        |meld deg på|sign up|iscriviti|scopri di più|apple store|app store|play market
        |google play|get it on google play"""
    ),
    "advertisement": _labels(
        """advertentie|advertorial|annonse|annonsørinnhold|reklame|pubblicità
        |contenuto sponsorizzato|sponsorizzato|advertisement|sponsored|ad|annuncio
        |gesponsord"""
    ),
    "share_buttons": _labels(
        """share|save|tweet|deel|delen|deel dit artikel|del|del artikkelen|del saken|del saka
        |kopieer link|kopieer de link|kopier lenke|kopier lenken|kopier lenkja|copy link
        |link copied|link gekopieerd|lenke kopiert|link copiato|condividi|copia link
        |copia il link|send e-post|e-mail|email|print|ссылка скопирована
        |deel dit bericht|deel dit bericht via|deel dit artikel via|delen via|share this article
        |share this story|share this|share via|del denne saken|del denne artikkelen|del saka via
        |del artikkelen på|condividi questo articolo|condividi su|condividi via
        |facebook|twitter|x|whatsapp|linkedin|messenger|telegram|pinterest|reddit|bluesky
        |threads|snapchat|e-post|mail"""
    ),
    "live_label": _labels(
        """live|liveblog|liveblogg|live blog|live updates|direkte|direkte nå|diretta
        |in diretta|key events|show key events only|vis flere oppdateringer
        |sjå alle oppdateringar|se alle oppdateringer|toon alle updates|alle updates
        |please turn on javascript to use this feature"""
    ),
    "read_more": _labels(
        """lees ook|lees meer|lees meer over|meer over|bekijk ook|meest gelezen|meer nieuws
        |meer regionaal nieuws|lees het hele artikel|les også|les mer|les meir|les hele saken
        |relaterte saker|tilrådde saker|anbefalte saker|mest lest|mest lese|siste nytt
        |leggi anche|potrebbe interessarti|ultima ora|ultime notizie|leggi l'articolo completo
        |read more|read also|see also|related|related topics|related stories|more on this story
        |most viewed|most read|go deeper|read the full article|recommended|top stories
        |bekijk de video|bekijk video|se video|se flere bilder|sjå video|sjå fleire bilete
        |guarda il video|guarda|watch|watch the video|listen to this article|lytt til saka
        |lytt til saken|ascolta l'articolo|luister naar dit artikel|reageer|reacties
        |kommenter|kommentarer|commenta|commenti|comments"""
    ),
    "widget": _labels(
        """kort fortalt|samenvatting met ai|in het kort|ai summary|summary|samandrag
        |sammendrag|sintesi generata con l'intelligenza artificiale|in breve|uitklapper
        |co2-teller|co2 counter"""
    ),
    "caption": _labels("image caption|bildetekst|biletekst|didascalia|onderschrift|caption"),
    "cookie_notice": _labels(
        """accept|accept all|accept cookies|reject all|manage preferences|manage cookies
        |cookie settings|cookie-instellingen|accepteren|alles accepteren|alle cookies accepteren
        |weigeren|godta|godta alle|avvis|avvis alle|innstillinger|accetta|accetta tutti|rifiuta
        |rifiuta tutti|personalizza|gestisci preferenze"""
    ),
}
LABEL_OF: dict[str, str] = {
    label.strip(): kind for kind, labels in LABELS.items() for label in labels if label.strip()
}

# Labels that open a list of links to other articles (the lines after them are teasers).
TEASER_HEADERS = LABELS["read_more"]
# Labels that open a box that a disclaimer closes (machine summaries).
BOX_HEADERS = LABELS["widget"]


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_NETWORKS = (
    r"(?:facebook|instagram|tiktok|x|twitter|youtube|snapchat|whatsapp|telegram|linkedin"
    r"|threads|bluesky|e-?mail|e-post|social media|sociale media|sosiale medier|social)"
)
_UPDATED = (
    r"(?:(?:sist )?(?:updated|oppdatert|publisert|bijgewerkt|geüpdatet|aggiornato|pubblicato"
    r"|published|last updated|endret)\s*:?\s*)?"
)
_UNITS = (
    r"(?:sec\w*|seconds?|minut\w*|min|uur|uren|hours?|hrs?|timer?|timar|ora|ore|dag\w*"
    r"|days?|giorn[oi]|weken?|weeks?|uker?|veker?|settiman[ae]|[hmdtug])"  # "1h", "5 m"
)

# Whole-line patterns (full match, case ignored), by what they are.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "relative_time",
        _full(
            rf"{_UPDATED}(?:for |about |circa |ca\.? )?(?:\d+ ?|(?:an?|one|een|én|ett?|ein|eitt"
            rf"|un[ao]?) ){_UNITS} (?:ago|geleden|siden|sidan|fa)"
        ),
    ),
    (
        "relative_time",
        _full(
            rf"{_UPDATED}(?:just now|nå nettopp|no nettopp|akkurat nå|zojuist|net|poco fa|adesso"
            r"|yesterday|today|gisteren|vandaag|i går|i dag|ieri|oggi)"
            r"(?:,? (?:kl\.? |alle |at |om )?\d{1,2}[:.]\d{2})?"
        ),
    ),
    ("relative_time", _full(rf"{_UPDATED}(?:alle |at |kl\.? |om )?\d{{1,2}}[:.]\d{{2}}")),
    (
        "reading_time",
        _full(
            r"(?:leestijd|lesetid|lesetid:|reading time|tempo di lettura|lettura)\s*:?\s*"
            r"(?:\d+|ca\.? \d+)\s*(?:min\w*)"
            r"|\d+\s*(?:min\w*)\s*(?:di )?(?:read|lettura|lesetid|leestijd|lesing|lesning)"
        ),
    ),
    (
        "counter",
        _full(
            r"(?:views?|visninger|weergaven|bekeken|visualizzazioni|letture|reads)\s*:?\s*\d[\d.,\s]*"
            r"|\d[\d.,]*\s*(?:views|visninger|weergaven|visualizzazioni|letture|reacties"
            r"|kommentarer|commenti|comments|reaksjoner)"
        ),
    ),
    (
        "share_buttons",
        _full(
            rf"(?:share|del|deel|condividi)(?: (?:on|op|på|su|via))? {_NETWORKS}"
            rf"|{_NETWORKS}(?:\s*[|·•,/]\s*{_NETWORKS})+"
            r"|.{0,20}(?:liked|enjoyed) (?:the|this) (?:story|article)\?.{0,60}"
        ),
    ),
    (
        "follow_us",
        _full(
            r"(?:follow us|volg ons|følg oss|fylg oss|segui(?:ci| i nostri canali)|seguici)"
            rf"\b[^.!?]{{0,40}}{_NETWORKS}[^.!?]{{0,60}}"
        ),
    ),
    (
        "copyright",
        _full(
            r"any use of materials is allowed only .{0,200}"
            r"|(?:©|\(c\) \d{4}|copyright ©|copyright \d{4}).{0,120}"
            r"|.{0,100}\b(?:all rights reserved|alle rechten voorbehouden"
            r"|alle rettigheter (?:er )?reservert|riproduzione riservata"
            r"|tutti i diritti riservati)\b.{0,60}"
        ),
    ),
    ("credit", _full(r"(?:additional )?(?:reporting|writing|editing) by .{1,120}")),
    (
        "widget",
        _full(
            # a counter states grams per page: "0,4 gram CO2 per bezoek", "0.3g of CO2"
            r"(?=.{0,160}\bco2\b)(?=.{0,160}\d\s?(?:g|gr|gram|grams|grammi)\b)"
            r".{0,80}\b(?:pagina|page|side|bezoek|visit|view|visning|nettside|website)\b.{0,80}"
        ),
    ),
    (
        "read_more",
        _full(
            r"(?:lees ook|lees meer|bekijk ook|les også|les mer|les meir|sjå også|se også"
            r"|leggi anche|vedi anche|read more|read also|see also|related)\s*:.{0,150}"
        ),
    ),
    (
        "video_teaser",
        _full(
            r"(?:se video|se også video|sjå video|video|watch(?: video)?|bekijk (?:de )?video|kijk"
            r"|guarda(?: il)? video) ?:.{0,150}"
        ),
    ),
)

# A credit: a line that opens with one of these and then names a person or agency.
CREDIT_PREFIX = _full(
    r"(?:foto|photo|photos|photograph|fotografia|beeld|bild|image|picture|illustrasjon"
    r"|illustratie|illustrazione|grafikk|graphic|kilde)\s*:\s*(?P<rest>.+)"
)
# A caption: a line that says it is one.
CAPTION_PREFIX = _full(
    r"(?:bildet|bilde|bilete|bildetekst|biletekst|image caption|caption|didascalia"
    r"|onderschrift)\s*[:,]\s*(?P<rest>.+)"
)
# A caption with the credit at its end: "Studenter utenfor UiO. Foto: Jan Olsen", "Demonstranten
# op de Dam. Beeld: Name / ANP", or in brackets: "Il ministro al vertice (foto Ansa)".
_CREDIT_WORD = r"(?:foto|photo|photograph|bilde|bild|beeld|image|immagine|picture)"
CREDIT_TAIL = _full(
    rf"(?P<head>.+?)[.,]?\s+{_CREDIT_WORD}\s*:\s*[^.!?]{{1,60}}"
    rf"|(?P<bracketed>.+?)\s*\({_CREDIT_WORD}\s*:?\s*[^()]{{1,40}}\)\.?"
)
# News agencies and picture agencies, as they sign photos and wire copy.
AGENCIES = re.compile(
    r"\b(?:anp|ansa|ntb|reuters|ap|afp|epa|pa|dpa|getty images|scanpix|lapresse|belga|tt"
    r"|ritzau|imago|shutterstock|privat|hollandse hoogte|xinhua|nrk|ipa|agf)\b",
    re.IGNORECASE,
)
# "Name Surname / AGENCY", "AGENCY/Name": a slash with a name in capitals on one side.
SLASH_CREDIT = re.compile(r"(?:\b[A-ZÆØÅ]{2,}\b.*/|/.*\b[A-ZÆØÅ]{2,}\b)")

# A pitch for the outlet's own newsletter, app, subscription or tip line ...
PITCH_WORDS = re.compile(
    r"\b(?:newsletter\w*|nieuwsbrie\w*|nyhetsbrev\w*|nyheitsbrev\w*|abonn\w*|abbona\w*|subscri\w*"
    r"|sign up|inbox|innboks\w*|mailbox|casella di posta|iscriviti|meld (?:je|deg|dykk) (?:aan|på)"
    r"|last ned appen|download (?:the|our)|scarica l'app|varsler|notifiche|notifications"
    r"|pushmeldingen|tips oss|tip ons|tipstelefon\w*|segnalaci|tip us"
    r"|liveblog\w*|live blog|diretta live)\b",
    re.IGNORECASE,
)
# ... spoken to the reader, or about "our" product.
READER_WORDS = re.compile(
    r"\b(?:je|jij|jouw|u|uw|du|deg|din|ditt|dine|dykk|dere|you|your|tu|ti|tuo|tua|tue|tuoi"
    r"|vuoi|puoi|ricevi|onze|ons|vår|vårt|våre|our|nostra|nostro|nostri|nostre)\b",
    re.IGNORECASE,
)
# The disclaimer that closes a machine-made summary box names the machine ...
MACHINE_WORDS = re.compile(
    r"\b(?:AI|KI|IA|ChatGPT|GPT)\b|(?i:\b(?:kunstig intelligens|intelligenza artificiale"
    r"|artificial intelligence|kunstmatige intelligentie|automatisch|automatically"
    r"|automaticamente)\b)"
)
SUMMARY_WORDS = re.compile(
    r"\b(?:riassunto|sintesi|sammendrag\w*|samandrag\w*|samenvatting|summary|summaries)\b",
    re.IGNORECASE,
)
# ... (or the summary) and says what was done to it.
MADE_WORDS = re.compile(
    r"\b(?:laget|laga|lagd|generated|generert|gegenereerd|generata|generato|gemaakt|made"
    r"|created|creata|checked|verified|kvalitetssikret|gecontroleerd|verificat[oa]|controllat[oa]"
    r"|godkjent|reviewed|skrevet|written|scritto|produced|prodotto)\b",
    re.IGNORECASE,
)

# A cookie banner: it names cookies, asks the reader to agree, and speaks of the site.
COOKIE_WORDS = re.compile(
    r"\b(?:cookies?|informasjonskapsl\w*|informasjonskapslar)\b", re.IGNORECASE
)
CONSENT_WORDS = re.compile(
    r"\b(?:accept\w*|agree\w*|consent\w*|acconsent\w*|consenso|accett\w*|toestemming"
    r"|akkoord|samtykk\w*|godta\w*|godkjenn\w*)\b",
    re.IGNORECASE,
)
SITE_WORDS = re.compile(
    r"\b(?:site|sito|website|websites?|nettsted\w*|nettstad\w*|nettsid\w*|pagina|browse|browsing"
    r"|navigazione|navigare|surfen|bezoek)\b",
    re.IGNORECASE,
)
# A byline: "By Name", "Av Name", "Door Name", "di Name", "Tekst: Name".
BYLINE = _full(
    r"(?:by|av|door|di|dal nostro inviato|dal nostro corrispondente|tekst|text|testo)\s*:?\s+"
    r"\S.{0,80}"
)
# Inside the article's body a pitch must say whose product it is, or ask for the click in
# the imperative: "you" and "subscription" alone are also how articles about prices read.
OUTLET_WORDS = re.compile(
    r"\b(?:onze|ons|vår|vårt|våre|oss|our|us|nostra|nostro|nostri|nostre)\b", re.IGNORECASE
)
PITCH_IMPERATIVE = re.compile(
    r"(?:^|[.!?:]\s+)(?:sign up|subscribe|register|download|meld je aan|schrijf je in|abonneer"
    r"|registreer|ontvang|meld deg på|meld dykk på|abonner|last ned|registrer deg|iscriviti"
    r"|abbonati|scarica|registrati|tip us|tip ons|tips oss|segnalaci)\b",
    re.IGNORECASE,
)
# The label of a fact box, whose short "Key: value" lines are the article's.
FACT_HEADER = _full(
    r"(?:fakta|facts?|key facts|feiten|de feiten|in cijfers|i tall|i tal|i numeri|la scheda"
    r"|scheda|i fatti|dette er saken|dette er saka|this is what we know|what we know"
    r"|wat we weten|cosa sappiamo)(?:\s*(?:om|about|over|su|sul|sulla|sui|on)\s.{1,60})?"
)
