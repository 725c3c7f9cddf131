#!/usr/bin/env python3
"""bench/gen.py: a seeded generator of realistic mail for `make bench`.

    bench/gen.py --seed 1 --size 200M --out build/bench/corpus-1-200M --format both
    bench/gen.py --profile short --size 200M --out build/bench/corpus-short-1-200M
    bench/gen.py --repeat 10 --from build/bench/corpus-1-200M --out build/bench/corpus-1-200M-x10

Writes DIR/corpus.mbox (mboxrd: body lines matching ^>*From  get one more '>')
and/or DIR/maildir/{cur,new,tmp} holding the same messages, then
DIR/corpus.json describing them. The same seed, size and inputs (this file and
rules/names/*.txt) give byte-identical output on the same Python and zlib;
message i depends only on the seed and i, so a smaller corpus is a prefix of a
larger one with the same seed. A DIR whose corpus.json matches is reused.

--repeat N --from DIR concatenates DIR's mbox N times, prefixing every
Message-ID of copy k (k >= 1) with "r<k>.", for the flatness check.

Python 3.11, standard library only. No fake-data library: people's names come
from rules/names/ (public name statistics) or, without that folder, from
syllables; every other string is built here.

SPDX-License-Identifier: GPL-3.0-or-later
"""
import argparse
import base64
import binascii
import collections
import hashlib
import html
import io
import json
import os
import random
import re
import shutil
import sys
import time
import zipfile
import zlib

GEN_VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))
NAMES_DIR = os.path.join(os.path.dirname(HERE), "rules", "names")
T0 = 1325376000  # 2012-01-01T00:00:00Z: message i is dated about T0 + i * 47 min

# The shape of the mail. "dense" is an office mailbox: 2-20 KB messages with
# HTML alternatives, quoted replies, relay headers, and one in eight carrying a
# customer list (CSV or zipped CSV): about 15 KB and 120 findings per message.
# "short" is the shape of the reference corpus in issue #6 (200 MB of 115,605
# messages, 1.7 KB each): plain notes with a signature, one relay hop, rare and
# small attachments. Each field is the parameter of one draw, so a profile
# changes values, never the sequence of draws.
PROFILES = {
    "dense": dict(body=(7.5, 0.9), reply=0.4, alt=0.6, received=(1, 4), esmtpsa=0.5, dkim=0.4, orig_ip=0.15,
                  pii_line=0.04, kinds=(0.8, 0.92, 0.945, 0.97), csv_rows=(4.1, 1.2), zip_rows=(5.5, 1.0),
                  image=(10.6, 0.9)),
    "short": dict(body=(5.9, 0.6), reply=0.25, alt=0.05, received=(1, 1), esmtpsa=0.0, dkim=0.0, orig_ip=0.1,
                  pii_line=0.08, kinds=(0.975, 0.99, 0.992, 0.997), csv_rows=(2.0, 0.7), zip_rows=(2.5, 0.7),
                  image=(7.6, 0.4)),
}


# ---------------------------------------------------------------- word lists

def read_list(name):
    path = os.path.join(NAMES_DIR, name)
    try:
        with open(path, encoding="utf-8") as f:
            return [l.strip() for l in f if l.strip() and not l.startswith("#")]
    except OSError:
        return []


SYL_A = ["an", "ber", "chri", "da", "el", "fe", "gre", "han", "i", "jo", "ka", "lu", "ma", "ni", "o",
         "pe", "ra", "se", "ti", "ul", "ve", "wil", "ze", "mar", "len", "tho", "al", "bri", "cla", "do"]
SYL_B = ["na", "ra", "lia", "bert", "mann", "ne", "rik", "tin", "ny", "la", "ma", "ke", "so", "nas", "ra",
         "do", "ric", "ta", "en", "us", "ha", "lie", "vin", "to", "le", "mo", "sa", "ko", "ja", "ri"]
DE_SUR_A = ["Berg", "Brand", "Eich", "Fisch", "Hoff", "Kling", "Lind", "Rosen", "Stein", "Wald", "Wein",
            "Schön", "Kräm", "Bau", "Hart", "Neu", "Alt", "Gro", "Kl", "Wolf", "Schw", "Zimmer", "Hein",
            "Kamm", "Müh", "Scherr", "Vog", "Pohl", "Jäg", "Fried", "Korn", "Holz", "Sonn", "Bäck", "Rich"]
DE_SUR_B = ["mann", "er", "berg", "feld", "hof", "bauer", "meier", "müller", "hardt", "ke", "ler", "ner",
            "ert", "inger", "bach", "rich", "el", "au", "ski", "städter", "haus", "mayr", "wig", "reuther"]


def capital(w):
    return "-".join(p[:1].upper() + p[1:] for p in w.split("-"))


STREET_DE_A = ["Linden", "Ahorn", "Berg", "Garten", "Kirch", "Schul", "Bahnhof", "Haupt", "Markt", "Wald",
               "See", "Mühlen", "Rosen", "Birken", "Eichen", "Goethe", "Schiller", "Friedrich", "Luisen",
               "Tannen", "Wiesen", "Post", "Ring", "Brunnen", "Feld", "Sonnen", "Rathaus", "Uhland", "Kant"]
STREET_DE_B = ["straße", "straße", "straße", "str.", "weg", "allee", "platz", "gasse", "ring", "damm", "ufer"]
CITY_DE = [("Berlin", "10", "30"), ("Berlin", "12", "30"), ("Berlin", "13", "30"), ("Hamburg", "20", "40"),
           ("Hamburg", "22", "40"), ("München", "80", "89"), ("München", "81", "89"), ("Köln", "50", "221"),
           ("Frankfurt am Main", "60", "69"), ("Stuttgart", "70", "711"), ("Düsseldorf", "40", "211"),
           ("Leipzig", "04", "341"), ("Dresden", "01", "351"), ("Hannover", "30", "511"),
           ("Nürnberg", "90", "911"), ("Bremen", "28", "421"), ("Essen", "45", "201"), ("Bonn", "53", "228"),
           ("Freiburg im Breisgau", "79", "761"), ("Münster", "48", "251")]
CITY_AT = [("Wien", "1", "1"), ("Graz", "8", "316"), ("Linz", "4", "732"), ("Salzburg", "5", "662")]
CITY_US = [("New York", "NY", "100", "212"), ("Chicago", "IL", "606", "312"), ("San Francisco", "CA", "941", "415"),
           ("Boston", "MA", "021", "617"), ("Seattle", "WA", "981", "206"), ("Austin", "TX", "787", "512"),
           ("Denver", "CO", "802", "303"), ("Houston", "TX", "770", "713"), ("Miami", "FL", "331", "305"),
           ("Portland", "OR", "972", "503"), ("Atlanta", "GA", "303", "404"), ("Springfield", "IL", "627", "217"),
           ("Minneapolis", "MN", "554", "612"), ("Phoenix", "AZ", "850", "602")]
STREET_US = ["Street", "St.", "Avenue", "Ave", "Road", "Lane", "Drive", "Boulevard", "Court", "Place", "Way"]
TREES = ["Oak", "Maple", "Pine", "Cedar", "Elm", "Washington", "Lincoln", "Park", "Lake", "Hill", "Main",
         "Church", "Highland", "Sunset", "Market", "Spring", "River", "Jefferson", "Madison", "Franklin"]
DE_MOBILE = ["151", "152", "157", "160", "162", "170", "171", "172", "173", "174", "175", "176", "177", "178", "179"]
TLD_DE = ["de", "de", "de", "com", "eu", "net", "at", "ch"]
TLD_EN = ["com", "com", "com", "net", "org", "io", "co.uk", "biz", "us"]
FREEMAIL_DE = ["web.de", "gmx.de", "gmx.net", "t-online.de", "posteo.de", "mailbox.org", "freenet.de", "gmail.com"]
FREEMAIL_EN = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com", "icloud.com", "proton.me"]
CO_WORDS = ["Nord", "Süd", "Data", "Logistik", "Bau", "Medien", "Technik", "Kontor", "Handel", "Werk",
            "Systems", "Solutions", "Partners", "Digital", "Consulting", "Analytics", "Supply", "Energy"]
CO_FORMS_DE = ["GmbH", "GmbH", "AG", "GmbH & Co. KG", "e.K.", "UG (haftungsbeschränkt)", "KG"]
CO_FORMS_EN = ["Inc.", "LLC", "Ltd", "Corp.", "Group", "& Co."]
TITLES_DE = ["Sachbearbeiterin Buchhaltung", "Leiter Vertrieb", "Projektmanagerin", "Geschäftsführer",
             "Teamleitung Kundenservice", "Systemadministrator", "Einkauf", "Personalreferentin", "Werkstudent"]
TITLES_EN = ["Account Manager", "Head of Operations", "Senior Developer", "Office Manager", "CFO",
             "Customer Success Lead", "IT Administrator", "Procurement", "HR Business Partner", "Intern"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAY_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
WEEKDAY_DE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"]

EN = {
    "subj": ["I", "We", "The team", "Our client", "{G}", "The auditor", "Accounting", "The vendor",
             "Support", "Legal", "{G} from {C}", "Nobody"],
    "verb": ["reviewed", "sent over", "updated", "signed", "forwarded", "approved", "discussed",
             "checked", "finalised", "scheduled", "rejected", "attached", "uploaded", "printed", "archived"],
    "obj": ["the contract", "the invoice", "the quarterly report", "the delivery schedule", "the customer list",
            "the draft", "the proposal", "the purchase order", "the migration plan", "the meeting notes",
            "the new price list", "the shipping labels", "the backup", "the server logs", "the payroll file",
            "the travel expenses", "the onboarding checklist", "the slides", "the budget"],
    "tail": ["yesterday", "last week", "before Friday", "as discussed", "by end of day", "for the board meeting",
             "on Monday", "after lunch", "in the shared folder", "with some comments", "without changes",
             "for the audit", "this morning", "twice", "again", "in the end"],
    "free": ["Let me know if you have any questions.", "Thanks for your quick reply.",
             "Could you please double-check the numbers?", "Sorry for the delay.", "Please find the details below.",
             "I'll be out of office until {W}.", "From the numbers I see, we are on track.",
             "Can we move the call to {W} afternoon?", "The file is too large for the portal, so I split it.",
             "Happy to discuss this in person.", "I have copied {G} for visibility.",
             "The invoice total is {N} EUR including VAT.", "Ticket {N} has been closed.",
             "Please do not forward this outside the team.", "See you at the offsite!",
             "Our records show a balance of {N}.{N2} USD.", "Room 4.{N2} is booked for the workshop.",
             "Just a quick reminder about tomorrow.", "Thanks again, that was really helpful."],
}
DE = {
    "subj": ["Ich habe", "Wir haben", "Das Team hat", "Unser Kunde hat", "{G} hat", "Die Buchhaltung hat",
             "Der Lieferant hat", "Frau {S} hat", "Herr {S} hat", "Die Rechtsabteilung hat", "{G} von {C} hat"],
    "obj": ["den Vertrag", "die Rechnung", "den Quartalsbericht", "die Kundenliste", "den Entwurf",
            "das Angebot", "die Bestellung", "die Lieferübersicht", "die Preisliste", "das Protokoll",
            "die Änderungen", "die Unterlagen", "die Gehaltsabrechnung", "die Reisekosten", "die Schlüssel",
            "den Urlaubsantrag", "die Präsentation", "das Budget"],
    "tail": ["gestern", "letzte Woche", "bis Freitag", "wie besprochen", "heute Morgen", "für die Sitzung",
             "am Montag", "nach der Mittagspause", "im gemeinsamen Ordner", "mit ein paar Anmerkungen",
             "ohne Änderungen", "für die Prüfung", "schon zweimal", "endlich", "gegen Mittag"],
    "verb": ["geprüft", "geschickt", "aktualisiert", "unterschrieben", "weitergeleitet", "freigegeben",
             "besprochen", "überarbeitet", "abgelehnt", "angehängt", "hochgeladen", "gelöscht", "ausgedruckt"],
    "free": ["Vielen Dank für Ihre schnelle Rückmeldung.", "Bei Fragen melden Sie sich gerne.",
             "Könnten Sie die Zahlen bitte noch einmal prüfen?", "Entschuldigung für die späte Antwort.",
             "Anbei die gewünschten Unterlagen.", "Ich bin bis {W} nicht im Büro.",
             "Grüße aus dem Süden, hier ist es heute sehr heiß.",
             "Die Größe der Datei überschreitet leider das Limit.", "Können wir den Termin auf {W} verschieben?",
             "Ich habe {G} in Kopie gesetzt.", "Der Rechnungsbetrag beträgt {N},{N2} € inkl. MwSt.",
             "Das Ticket {N} ist erledigt.", "Bitte nicht außerhalb des Teams weiterleiten.",
             "Bis morgen beim Workshop!", "Raum 2.{N2} ist für Donnerstag gebucht.",
             "Kurze Erinnerung an unser Gespräch morgen.", "Danke nochmal, das hat sehr geholfen.",
             "Übrigens: die Kaffeemaschine im dritten Stock ist wieder repariert."],
}
SUBJECTS_EN = ["Invoice {N}", "Meeting on {W}", "Your order #{N}", "Quarterly report Q{Q}", "Customer list export",
               "Contract renewal", "Question about your account", "Updated price list", "Offsite planning",
               "Server maintenance {W}", "Payroll {M}", "Expense report", "Welcome aboard, {G}!",
               "Shipping confirmation {N}", "Re: budget {Y}", "Minutes of the {W} call", "Access request"]
SUBJECTS_DE = ["Rechnung Nr. {N}", "Termin am {W}", "Ihre Bestellung {N}", "Quartalsbericht Q{Q}",
               "Kundenliste Export", "Vertragsverlängerung", "Frage zu Ihrem Konto", "Neue Preisliste",
               "Planung Betriebsausflug", "Wartungsarbeiten am {W}", "Gehaltsabrechnung {M}",
               "Reisekostenabrechnung", "Willkommen im Team, {G}!", "Versandbestätigung {N}",
               "Protokoll der Besprechung vom {W}", "Auskunftsersuchen nach Art. 15 DSGVO", "Schlüsselübergabe"]
GREET_EN = ["Hi {G},", "Dear {T} {S},", "Hello all,", "Hi team,", "Dear {G},", "{G},", "Good morning {G},"]
GREET_DE = ["Hallo {G},", "Sehr geehrte Frau {S},", "Sehr geehrter Herr {S},", "Liebe Kolleginnen und Kollegen,",
            "Moin {G},", "Hi {G},", "Guten Tag,", "Liebe {G},"]
CLOSE_EN = ["Best regards,", "Thanks,", "Cheers,", "Kind regards,", "Best,", "Regards,", "Thank you,"]
CLOSE_DE = ["Viele Grüße", "Mit freundlichen Grüßen", "Beste Grüße", "LG", "Freundliche Grüße", "Gruß"]

OUTLOOK_STYLE = ("<style><!--\n/* Font Definitions */\n@font-face\n\t{font-family:\"Cambria Math\";\n"
                 "\tpanose-1:2 4 5 3 5 4 6 3 2 4;}\n@font-face\n\t{font-family:Calibri;\n"
                 "\tpanose-1:2 15 5 2 2 2 4 3 2 4;}\n/* Style Definitions */\n"
                 "p.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n\tfont-size:11.0pt;\n"
                 "\tfont-family:\"Calibri\",sans-serif;\n\tmso-fareast-language:EN-US;}\n"
                 "a:link, span.MsoHyperlink\n\t{mso-style-priority:99;\n\tcolor:#0563C1;\n"
                 "\ttext-decoration:underline;}\nspan.EmailStyle17\n\t{mso-style-type:personal-compose;\n"
                 "\tfont-family:\"Calibri\",sans-serif;\n\tcolor:windowtext;}\n.MsoChpDefault\n"
                 "\t{mso-style-type:export-only;\n\tfont-family:\"Calibri\",sans-serif;}\n"
                 "@page WordSection1\n\t{size:612.0pt 792.0pt;\n\tmargin:70.85pt 70.85pt 2.0cm 70.85pt;}\n"
                 "div.WordSection1\n\t{page:WordSection1;}\n--></style><!--[if gte mso 9]><xml>\n"
                 "<o:shapedefaults v:ext=\"edit\" spidmax=\"1026\" />\n</xml><![endif]-->")


# ------------------------------------------------------------------ numbers

def luhn_complete(digits):
    """digits without the check digit -> with it."""
    total = 0
    for k, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if k % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


def card_number(rng):
    kind = rng.random()
    if kind < 0.55:
        body, n = "4" + "".join(rng.choice("0123456789") for _ in range(14)), 16
    elif kind < 0.85:
        body, n = str(rng.randint(51, 55)) + "".join(rng.choice("0123456789") for _ in range(13)), 16
    else:
        body, n = rng.choice(["34", "37"]) + "".join(rng.choice("0123456789") for _ in range(12)), 15
    num = luhn_complete(body)
    style = rng.random()
    if style < 0.4:
        return num
    sep = " " if style < 0.8 else "-"
    if n == 15:
        return sep.join([num[:4], num[4:10], num[10:]])
    return sep.join(num[k:k + 4] for k in range(0, 16, 4))


IBAN_FORMATS = {"DE": "8n10n", "AT": "5n11n", "NL": "4a10n", "GB": "4a6n8n", "FR": "5n5n11n2n", "CH": "5n12n"}


def iban(rng, country):
    bban = []
    for part in re.findall(r"(\d+)([an])", IBAN_FORMATS[country]):
        n, kind = int(part[0]), part[1]
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if kind == "a" else "0123456789"
        bban.append("".join(rng.choice(alphabet) for _ in range(n)))
    bban = "".join(bban)
    rearranged = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(rearranged) % 97
    s = "%s%02d%s" % (country, check, bban)
    if rng.random() < 0.6:
        s = " ".join(s[k:k + 4] for k in range(0, len(s), 4))
    return s


def public_ipv4(rng):
    while True:
        a = rng.randint(1, 223)
        if a in (10, 127, 169, 172, 192, 198, 203, 100, 0):
            continue
        return "%d.%d.%d.%d" % (a, rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))


def private_ipv4(rng):
    k = rng.random()
    if k < 0.5:
        return "192.168.%d.%d" % (rng.randint(0, 10), rng.randint(2, 254))
    if k < 0.8:
        return "10.%d.%d.%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(2, 254))
    return "172.%d.%d.%d" % (rng.randint(16, 31), rng.randint(0, 255), rng.randint(2, 254))


def ipv6(rng):
    prefix = rng.choice(["2a01:4f8", "2a02:810d", "2001:16b8", "2a00:1450", "2600:1f18", "2003:e8", "2a0a:a540"])
    groups = prefix.split(":") + ["%x" % rng.randint(0, 0xffff) for _ in range(8 - len(prefix.split(":")))]
    k = rng.random()
    if k < 0.4:  # a run of zeros, written with ::
        groups[3:6] = ["0", "0", "0"]
        return ":".join(groups[:3]) + "::" + ":".join(groups[6:])
    if k < 0.5:
        return ":".join(g.rjust(4, "0").upper() for g in groups)
    return ":".join(groups)


def mac(rng):
    b = [rng.randint(0, 255) for _ in range(6)]
    b[0] &= 0xfc
    k = rng.random()
    if k < 0.6:
        return ":".join("%02x" % x for x in b)
    if k < 0.85:
        return "-".join("%02X" % x for x in b)
    return "%02x%02x.%02x%02x.%02x%02x" % tuple(b)


def digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def phone_de(rng, area, mobile=False):
    if mobile:
        pre, num = rng.choice(DE_MOBILE), digits(rng, 7 if rng.random() < 0.5 else 8)
        num = str(rng.randint(1, 9)) + num[1:]
        k = rng.random()
        if k < 0.4:
            return "+49 %s %s" % (pre, num)
        if k < 0.7:
            return "0%s %s" % (pre, num)
        return "0%s/%s" % (pre, num)
    num = str(rng.randint(2, 9)) + digits(rng, 8 - len(area) + 1 if len(area) < 4 else 5)
    k = rng.random()
    if k < 0.3:
        return "+49 %s %s" % (area, num)
    if k < 0.5:
        return "+49 (0)%s %s-%s" % (area, num[:-2], num[-2:])
    if k < 0.8:
        return "0%s %s" % (area, num)
    if k < 0.9:
        return "0%s/%s" % (area, num)
    return "+49%s%s" % (area, num)


def phone_us(rng, area):
    exch = "%d%s" % (rng.randint(2, 9), digits(rng, 2))
    line = digits(rng, 4)
    k = rng.random()
    if k < 0.4:
        return "(%s) %s-%s" % (area, exch, line)
    if k < 0.65:
        return "%s-%s-%s" % (area, exch, line)
    if k < 0.85:
        return "+1 %s %s %s" % (area, exch, line)
    return "%s.%s.%s" % (area, exch, line)


# -------------------------------------------------------------------- world

Person = collections.namedtuple("Person", "given surname lang email display phone mobile company title addr iban")
Company = collections.namedtuple("Company", "name domain lang addr phone area")


class World:
    """Everything drawn once from the seed: people, companies, sentence pools."""

    def __init__(self, seed):
        rng = random.Random("trawl-bench/%d/world" % seed)
        given_de = read_list("given-de-berlin.txt")
        given_en = read_list("given-us-ssa.txt")
        sur_en = read_list("surnames-us-census1990.txt")
        self.names_source = "rules/names" if given_de and given_en and sur_en else "syllables"
        if self.names_source == "syllables":
            given_de = given_en = ["".join(rng.choice(SYL_A) + rng.choice(SYL_B)) for _ in range(3000)]
            sur_en = ["".join(rng.choice(SYL_A) + rng.choice(SYL_B) + rng.choice(["son", "er", "ley", "ton", ""]))
                      for _ in range(2000)]
        self.given_de = [capital(g) for g in given_de[:4000]]
        self.given_en = [capital(g) for g in given_en[:4000]]
        self.sur_en = [capital(s) for s in sur_en]
        self.sur_de = sorted({a + b.lower() if a[-1].islower() else a + b for a in DE_SUR_A for b in DE_SUR_B})
        rng.shuffle(self.sur_de)
        self.companies = [self.make_company(rng) for _ in range(600)]
        self.people = [self.make_person(rng) for _ in range(12000)]

    # Zipf-like pick: low indices (frequent names, busy people) come up more often.
    @staticmethod
    def skew(rng, seq, power=2.5):
        return seq[int(len(seq) * rng.random() ** power)]

    def name(self, rng, lang):
        if lang == "de":
            given = self.skew(rng, self.given_de)
            surname = self.skew(rng, self.sur_de, 1.5) if rng.random() < 0.8 else self.skew(rng, self.sur_en)
        else:
            given = self.skew(rng, self.given_en)
            surname = self.skew(rng, self.sur_en, 1.8)
        return given, surname

    def address(self, rng, lang):
        if lang == "de":
            if rng.random() < 0.85:
                city, plz, area = rng.choice(CITY_DE)
                plz = plz + digits(rng, 3)
            else:
                city, plz, area = rng.choice(CITY_AT)
                plz = plz + digits(rng, 3)
            street = rng.choice(STREET_DE_A) + rng.choice(STREET_DE_B)
            if rng.random() < 0.2:
                street = "Am " + rng.choice(STREET_DE_A) + rng.choice(["berg", "hang", "park", "tor"])
            num = str(rng.randint(1, 180)) + ("" if rng.random() < 0.85 else rng.choice("abc"))
            return ("%s %s" % (street, num), "%s %s" % (plz, city)), area
        city, st, zp, area = rng.choice(CITY_US)
        street = "%d %s %s" % (rng.randint(1, 9899), rng.choice(TREES + self.sur_en[:60]), rng.choice(STREET_US))
        if rng.random() < 0.25:
            street += ", Suite %d" % rng.randint(100, 950)
        return (street, "%s, %s %s%s" % (city, st, zp, digits(rng, 2))), area

    def make_company(self, rng):
        lang = "de" if rng.random() < 0.5 else "en"
        s1, s2 = rng.choice(self.sur_de if lang == "de" else self.sur_en), rng.choice(self.sur_en)
        k = rng.random()
        if k < 0.35:
            base = "%s %s" % (s1, rng.choice(CO_WORDS))
        elif k < 0.6:
            base = "%s & %s" % (s1, s2)
        else:
            base = rng.choice(SYL_A).capitalize() + rng.choice(SYL_B) + rng.choice(["tec", "data", "soft", "log", "med", "net"])
        name = "%s %s" % (base, rng.choice(CO_FORMS_DE if lang == "de" else CO_FORMS_EN))
        slug = re.sub(r"[^a-z0-9]+", "-", base.lower().replace("ä", "ae").replace("ö", "oe")
                      .replace("ü", "ue").replace("ß", "ss")).strip("-")
        domain = "%s.%s" % (slug, rng.choice(TLD_DE if lang == "de" else TLD_EN))
        addr, area = self.address(rng, lang)
        phone = phone_de(rng, area) if lang == "de" else phone_us(rng, area)
        return Company(name, domain, lang, addr, phone, area)

    def make_person(self, rng):
        lang = "de" if rng.random() < 0.45 else "en"
        given, surname = self.name(rng, lang)
        company = rng.choice(self.companies) if rng.random() < 0.75 else None
        ascii_g = self.ascii(given).lower()
        ascii_s = self.ascii(surname).lower()
        if company:
            local = rng.choice(["%s.%s", "%s.%s", "%.1s.%s", "%.1s%s", "%.0s%s"]) % (ascii_g, ascii_s)
            email = "%s@%s" % (local, company.domain)
            lang = company.lang if rng.random() < 0.8 else lang
        else:
            local = rng.choice(["%s.%s", "%s%s", "%s_%s", "%.1s%s"]) % (ascii_g, ascii_s)
            if rng.random() < 0.5:
                local += str(rng.randint(1, 99) if rng.random() < 0.6 else rng.randint(1950, 2005))
            email = "%s@%s" % (local, rng.choice(FREEMAIL_DE if lang == "de" else FREEMAIL_EN))
        if rng.random() < 0.08:
            email = email[0].upper() + email[1:]
        k = rng.random()
        display = "%s %s" % (given, surname) if k < 0.75 else "%s, %s" % (surname, given) if k < 0.9 else ""
        addr, area = self.address(rng, lang)
        if company and rng.random() < 0.7:
            addr, area = company.addr, company.area
        if lang == "de":
            phone = phone_de(rng, area)
            mobile = phone_de(rng, area, mobile=True) if rng.random() < 0.6 else None
            ib = iban(rng, rng.choice(["DE", "DE", "DE", "AT", "NL", "CH", "FR"]))
        else:
            phone = phone_us(rng, area)
            mobile = phone_us(rng, rng.choice(CITY_US)[3]) if rng.random() < 0.5 else None
            ib = iban(rng, "GB") if rng.random() < 0.5 else None
        title = rng.choice(TITLES_DE if lang == "de" else TITLES_EN)
        return Person(given, surname, lang, email, display, phone, mobile, company, title, addr, ib)

    @staticmethod
    def ascii(s):
        s = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
        s = s.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
        s = "".join(c for c in s if c.isascii() and (c.isalnum() or c == "-"))
        return s or "x"


# ------------------------------------------------------------------ helpers

def wrap(text, width=72):
    out, cur, n = [], [], 0
    for w in text.split(" "):
        if cur and n + len(w) > width:
            out.append(" ".join(cur))
            cur, n = [w], len(w) + 1
        else:
            cur.append(w)
            n += len(w) + 1
    if cur:
        out.append(" ".join(cur))
    return "\n".join(out)


def rfc2822_date(t, tz_minutes):
    tm = time.gmtime(t + tz_minutes * 60)
    sign = "+" if tz_minutes >= 0 else "-"
    a = abs(tz_minutes)
    return "%s, %d %s %d %02d:%02d:%02d %s%02d%02d" % (WEEKDAYS[tm.tm_wday], tm.tm_mday, MONTHS[tm.tm_mon - 1],
                                                       tm.tm_year, tm.tm_hour, tm.tm_min, tm.tm_sec, sign,
                                                       a // 60, a % 60)


def asctime(t):
    tm = time.gmtime(t)
    return "%s %s %2d %02d:%02d:%02d %d" % (WEEKDAYS[tm.tm_wday], MONTHS[tm.tm_mon - 1], tm.tm_mday,
                                           tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year)


Q_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")


def encoded_word(s, rng):
    charset = "UTF-8" if rng.random() < 0.6 else "ISO-8859-1"
    data = s.encode("utf-8" if charset == "UTF-8" else "latin-1", "replace")
    if rng.random() < 0.4:
        return "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode())
    q = "".join("_" if b == 32 else chr(b) if b in Q_SAFE else "=%02X" % b for b in data)
    return "=?%s?Q?%s?=" % (charset, q)


def phrase(s, rng):
    if not s.isascii():
        return encoded_word(s, rng)
    if re.search(r'[,.;:@()<>"\[\]]', s):
        return '"%s"' % s.replace('"', '\\"')
    return s


def mailbox(p, rng):
    if not p.display:
        return p.email if rng.random() < 0.5 else "<%s>" % p.email
    return "%s <%s>" % (phrase(p.display, rng), p.email)


def addr_list(people, rng):
    return ",\n\t".join(mailbox(p, rng) for p in people) if len(people) > 2 else \
        ", ".join(mailbox(p, rng) for p in people)


def unstructured(s, rng):
    return s if s.isascii() else encoded_word(s, rng)


def transfer_encode(data, rng, prefer=None, long_lines=False):
    """-> (Content-Transfer-Encoding value, encoded bytes ending in LF)."""
    if prefer is None:
        if data.isascii() and not long_lines:
            prefer = "7bit" if rng.random() < 0.85 else "quoted-printable"
        else:
            k = rng.random()
            prefer = "quoted-printable" if k < 0.6 else "base64" if k < 0.85 else "8bit"
            if long_lines and prefer == "8bit":
                prefer = "quoted-printable"
    if prefer == "base64":
        enc = base64.encodebytes(data)
    elif prefer == "quoted-printable":
        enc = binascii.b2a_qp(data, istext=True)
    else:
        enc = data
    if not enc.endswith(b"\n"):
        enc += b"\n"
    return prefer, enc


# ---------------------------------------------------------------- messages

class Gen:
    def __init__(self, world, seed, profile="dense"):
        self.w, self.seed, self.p = world, seed, PROFILES[profile]

    def fill(self, rng, s, lang):
        if "{" not in s:
            return s
        p = self.w.skew(rng, self.w.people)
        return s.format(G=p.given, S=p.surname, C=(p.company.name if p.company else "Acme"),
                        W=rng.choice(WEEKDAY_DE if lang == "de" else WEEKDAY_EN),
                        N=rng.randint(1000, 99999), N2=rng.randint(10, 99), Q=rng.randint(1, 4),
                        Y=rng.randint(2012, 2024), M=rng.choice(MONTHS),
                        T=rng.choice(["Ms.", "Mr.", "Dr."]))

    def sentence(self, rng, lang):
        d = DE if lang == "de" else EN
        if rng.random() < 0.3:
            return self.fill(rng, rng.choice(d["free"]), lang)
        if lang == "de":
            s = "%s %s %s %s." % (rng.choice(d["subj"]), rng.choice(d["obj"]), rng.choice(d["tail"]),
                                  rng.choice(d["verb"]))
        else:
            s = "%s %s %s %s." % (rng.choice(d["subj"]), rng.choice(d["verb"]), rng.choice(d["obj"]),
                                  rng.choice(d["tail"]))
        return self.fill(rng, s, lang)

    def pii_line(self, rng, lang, other):
        """One line of body text carrying some personal data beyond the signature."""
        de = lang == "de"
        k = rng.random()
        if k < 0.25:
            ib = other.iban or iban(rng, "DE")
            return ("Bitte überweisen Sie den Betrag auf folgendes Konto: IBAN %s (Kontoinhaber: %s %s)."
                    if de else "Please transfer the amount to IBAN %s (account holder %s %s).") % (ib, other.given, other.surname)
        if k < 0.4:
            return ("Die Zahlung erfolgte mit der Karte %s, gültig bis %02d/%d." if de else
                    "I paid with card %s, expiry %02d/%d.") % (card_number(rng), rng.randint(1, 12), rng.randint(24, 30))
        if k < 0.55:
            return ("Das Gerät mit der MAC-Adresse %s meldet sich nicht im WLAN an." if de else
                    "The laptop with MAC address %s cannot join the Wi-Fi.") % mac(rng)
        if k < 0.65:
            return ("Der Server ist jetzt unter %s erreichbar (IPv6)." if de else
                    "The new host answers on %s (IPv6).") % ipv6(rng)
        if k < 0.8:
            return ("Zugriffe kamen von %s und intern von %s." if de else
                    "The logins came from %s and internally from %s.") % (public_ipv4(rng), private_ipv4(rng))
        if k < 0.9:
            return ("Sie erreichen %s %s unter %s oder per Mail an %s." if de else
                    "You can reach %s %s at %s or by email at %s.") % (other.given, other.surname, other.phone, other.email)
        a = other.addr
        return ("Die neue Lieferanschrift lautet: %s, %s." if de else "Please ship it to %s, %s.") % (a[0], a[1])

    def signature(self, rng, p, lang):
        if rng.random() < 0.1:
            return ["%s" % p.given, "Sent from my iPhone" if lang == "en" else "Von meinem iPhone gesendet"]
        lines = ["-- ", "%s %s" % (p.given, p.surname)]
        if rng.random() < 0.6:
            lines.append(p.title)
        if p.company:
            lines.append(p.company.name)
        if rng.random() < 0.7:
            lines += list(p.addr)
        de = lang == "de"
        lines.append(("Tel.: %s" if de else "Phone: %s") % p.phone)
        if p.mobile:
            lines.append(("Mobil: %s" if de else "Mobile: %s") % p.mobile)
        if p.company and rng.random() < 0.3:
            lines.append("Fax: %s" % p.company.phone)
        if rng.random() < 0.5:
            lines.append(("E-Mail: %s" if de else "Email: %s") % p.email)
        if p.company:
            lines.append("www.%s" % p.company.domain)
            if de and rng.random() < 0.6:
                ceo = self.w.skew(rng, self.w.people)
                lines.append("")
                lines.append("Sitz der Gesellschaft: %s, Amtsgericht %s HRB %d, Geschäftsführung: %s %s" % (
                    p.company.addr[1].split(" ", 1)[-1], p.company.addr[1].split(" ", 1)[-1],
                    rng.randint(1000, 250000), ceo.given, ceo.surname))
        return lines

    def body_text(self, rng, sender, rcpts, lang, target, quote_of=None):
        """The plain text of a body: greeting, paragraphs, PII lines, closing, signature, maybe a quote."""
        d_close = CLOSE_DE if lang == "de" else CLOSE_EN
        to = rcpts[0]
        greet = rng.choice(GREET_DE if lang == "de" else GREET_EN).format(
            G=to.given, S=to.surname, T=rng.choice(["Ms.", "Mr.", "Dr."]))
        parts, size = [greet, ""], 0
        while size < target:
            para = " ".join(self.sentence(rng, lang) for _ in range(rng.randint(1, 5)))
            if rng.random() < 0.003:
                para = "From " + para[0].lower() + para[1:]  # a body line starting "From " (mboxrd quoting)
            para = wrap(para)
            parts += [para, ""]
            size += len(para) + 1
            if rng.random() < self.p["pii_line"]:
                parts += [wrap(self.pii_line(rng, lang, self.w.skew(rng, self.w.people))), ""]
        parts += [rng.choice(d_close), ""]
        parts += self.signature(rng, sender, lang)
        text = "\n".join(parts) + "\n"
        if quote_of is not None:
            q_from, q_t, q_text = quote_of
            k = rng.random()
            if k < 0.6:
                intro = ("Am %s schrieb %s <%s>:" if lang == "de" else "On %s, %s <%s> wrote:") % (
                    rfc2822_date(q_t, 60), "%s %s" % (q_from.given, q_from.surname), q_from.email)
                text += "\n" + wrap(intro) + "\n" + "".join("> " + l + "\n" if l else ">\n"
                                                          for l in q_text.split("\n")[:-1])
            else:
                hdr = ("-----Ursprüngliche Nachricht-----\nVon: %s %s [mailto:%s]\nGesendet: %s\nAn: %s\nBetreff: %s\n"
                       if lang == "de" else
                       "-----Original Message-----\nFrom: %s %s [mailto:%s]\nSent: %s\nTo: %s\nSubject: %s\n") % (
                    q_from.given, q_from.surname, q_from.email, rfc2822_date(q_t, 60), sender.email,
                    self.fill(rng, rng.choice(SUBJECTS_DE if lang == "de" else SUBJECTS_EN), lang))
                text += "\n" + hdr + "\n" + q_text
        return text

    def html_of(self, rng, text, charset):
        flavor = rng.random()
        paras = text.split("\n\n")
        ent = rng.random() < 0.3
        body = []
        for para in paras:
            h = html.escape(para, quote=False)
            if ent:
                h = (h.replace("ä", "&auml;").replace("ö", "&ouml;").replace("ü", "&uuml;").replace("ß", "&szlig;")
                     .replace("Ä", "&Auml;").replace("Ö", "&Ouml;").replace("Ü", "&Uuml;").replace("€", "&euro;"))
            h = re.sub(r"([\w.+-]+@[\w-]+(?:\.[\w-]+)+)", r'<a href="mailto:\1">\1</a>', h)
            if flavor < 0.45:
                body.append('<p class="MsoNormal">%s<o:p></o:p></p>' % h.replace("\n", "<br>\n"))
            elif flavor < 0.8:
                body.append("<div>%s</div><div><br></div>" % h.replace("\n", "<br>\n"))
            else:
                body.append("<p>%s</p>" % h.replace("\n", "<br>\n"))
        inner = "\n".join(body)
        if flavor < 0.45:
            return ('<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
                    '<head><meta http-equiv="Content-Type" content="text/html; charset=%s">'
                    '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">%s</head>'
                    '<body lang="DE" link="#0563C1" vlink="#954F72"><div class="WordSection1">\n%s\n</div></body></html>\n'
                    % (charset, OUTLOOK_STYLE, inner))
        if flavor < 0.8:
            return '<div dir="ltr">\n%s\n</div>\n' % inner
        return ('<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=%s"></head>'
                '<body>\n%s\n</body></html>\n' % (charset, inner))

    def text_entity(self, rng, text, lang, alt):
        """text/plain, or multipart/alternative with HTML: -> (headers, body bytes)."""
        charset = "utf-8" if lang == "en" or rng.random() < 0.55 else "iso-8859-1"
        if charset == "iso-8859-1":
            text = text.replace("€", "EUR")
        cs_label = charset if rng.random() < 0.7 else charset.upper()

        def leaf(ctype, s, long_lines=False):
            data = s.encode(charset, "replace")
            cte, enc = transfer_encode(data, rng, long_lines=long_lines)
            fmt = "; format=flowed" if ctype == "text/plain" and rng.random() < 0.2 else ""
            return "Content-Type: %s; charset=\"%s\"%s\nContent-Transfer-Encoding: %s\n" % (ctype, cs_label, fmt, cte), enc

        if not alt:
            return leaf("text/plain", text)
        b = "----=_Part_%d_%d" % (rng.randint(1, 99999), rng.randint(10 ** 8, 10 ** 9))
        h1, e1 = leaf("text/plain", text)
        h2, e2 = leaf("text/html", self.html_of(rng, text, cs_label), long_lines=True)
        body = b"".join([b"--", b.encode(), b"\n", h1.encode(), b"\n", e1, b"\n--", b.encode(), b"\n", h2.encode(),
                         b"\n", e2, b"\n--", b.encode(), b"--\n"])
        return 'Content-Type: multipart/alternative;\n\tboundary="%s"\n' % b, body

    def csv_rows(self, rng, n, lang):
        de = lang == "de"
        sep = ";" if de else ","
        if de:
            head = ["Kundennr", "Vorname", "Nachname", "E-Mail", "Telefon", "Straße", "PLZ Ort", "IBAN", "Umsatz"]
        else:
            head = ["customer_id", "first_name", "last_name", "email", "phone", "street", "city_state_zip",
                    "card_number", "revenue"]
        rows = [sep.join(head)]
        w = self.w
        base = rng.randint(10000, 90000)
        for r in range(n):
            if rng.random() < 0.5:
                p = w.skew(rng, w.people, 1.2)
                g, s, email, phone, addr = p.given, p.surname, p.email, p.phone, p.addr
            else:
                g, s = w.name(rng, lang)
                email = "%s.%s@%s" % (w.ascii(g).lower(), w.ascii(s).lower(),
                                      rng.choice(FREEMAIL_DE if de else FREEMAIL_EN))
                addr, area = w.address(rng, lang)
                phone = phone_de(rng, area, rng.random() < 0.3) if de else phone_us(rng, area)
            money = iban(rng, "DE") if de else (card_number(rng) if rng.random() < 0.3 else "")
            cells = [str(base + r), g, s, email, phone, addr[0], addr[1], money,
                     ("%d,%02d" if de else "%d.%02d") % (rng.randint(0, 20000), rng.randint(0, 99))]
            if sep == "," and any("," in c for c in cells):
                cells = ['"%s"' % c if "," in c else c for c in cells]
            rows.append(sep.join(cells))
        return "\r\n".join(rows) + "\r\n" if rng.random() < 0.5 else "\n".join(rows) + "\n"

    def attachment(self, rng, ctype, filename, data, cte=None):
        cte, enc = transfer_encode(data, rng, prefer=cte or "base64")
        return ('Content-Type: %s; name="%s"\nContent-Disposition: attachment; filename="%s"\n'
                'Content-Transfer-Encoding: %s\n' % (ctype, filename, filename, cte), enc)

    def csv_attachment(self, rng, lang, nrows):
        text = self.csv_rows(rng, nrows, lang)
        charset = "utf-8" if rng.random() < 0.6 else "iso-8859-1"
        data = text.encode(charset, "replace")
        name = rng.choice(["kunden_export", "Kundenliste", "adressen", "teilnehmer"] if lang == "de" else
                          ["customers", "export", "contacts", "attendees", "crm_dump"]) + "_%d.csv" % rng.randint(2012, 2024)
        k = rng.random()
        cte = "base64" if k < 0.7 else "quoted-printable" if k < 0.9 else ("7bit" if data.isascii() else "8bit")
        return self.attachment(rng, 'text/csv; charset="%s"' % charset if rng.random() < 0.7 else
                               "application/vnd.ms-excel", name, data, cte)

    def zip_attachment(self, rng, lang, nrows, t):
        text = self.csv_rows(rng, nrows, lang).encode("utf-8")
        buf = io.BytesIO()
        tm = time.gmtime(t)
        name = ("Export/kunden_%d.csv" if lang == "de" else "export/customers_%d.csv") % tm.tm_year
        with zipfile.ZipFile(buf, "w") as z:
            zi = zipfile.ZipInfo(name, date_time=(max(tm.tm_year, 1980), tm.tm_mon, tm.tm_mday, tm.tm_hour,
                                                  tm.tm_min, tm.tm_sec & ~1))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 0
            zi.external_attr = 0o644 << 16
            z.writestr(zi, text)
        return self.attachment(rng, "application/zip", "export_%d.zip" % rng.randint(1, 999), buf.getvalue())

    def image_attachment(self, rng, size):
        if rng.random() < 0.6:
            data = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + rng.randbytes(size) + b"\xff\xd9"
            return self.attachment(rng, "image/jpeg", "IMG_%04d.jpg" % rng.randint(1, 9999), data)
        data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(size)
        return self.attachment(rng, "image/png", "image%03d.png" % rng.randint(1, 999), data)

    def message(self, rng, i, t, depth=0):
        """-> (envelope sender, message bytes)."""
        w = self.w
        sender = w.skew(rng, w.people)
        lang = sender.lang if rng.random() < 0.9 else ("en" if sender.lang == "de" else "de")
        rcpts = [w.skew(rng, w.people) for _ in range(1 if rng.random() < 0.6 else rng.randint(2, 5))]
        cc = [w.skew(rng, w.people) for _ in range(rng.randint(1, 3))] if rng.random() < 0.3 else []
        tz = rng.choice([60, 120, 60, 120, 0, -300, -240, -420, 330])
        kind = rng.random()
        if depth:
            kind = min(kind, 0.8)
        # Body size: lognormal, median ~2 KB of text, most messages 2-20 KB with headers and HTML.
        P = self.p
        target = min(max(int(rng.lognormvariate(*P["body"])), 150), 60000)
        quote = None
        reply = rng.random() < P["reply"]
        if reply:
            qp = w.skew(rng, w.people)
            qt = t - rng.randint(600, 3 * 86400)
            quote = (qp, qt, self.body_text(rng, qp, [sender], lang, target // 2))
        text = self.body_text(rng, sender, rcpts, lang, target, quote)
        alt = rng.random() < P["alt"]
        subject = self.fill(rng, rng.choice(SUBJECTS_DE if lang == "de" else SUBJECTS_EN), lang)
        if reply:
            subject = rng.choice(["AW: ", "Re: ", "RE: ", "Antw: "] if lang == "de" else ["Re: ", "RE: "]) + subject

        parts = []  # (headers, body) of parts after the text
        k_none, k_csv, k_zip, k_fwd = P["kinds"]
        if kind < k_none:
            pass
        elif kind < k_csv:
            parts.append(self.csv_attachment(rng, lang, min(max(int(rng.lognormvariate(*P["csv_rows"])), 3), 20000)))
        elif kind < k_zip:
            parts.append(self.zip_attachment(rng, lang, min(max(int(rng.lognormvariate(*P["zip_rows"])), 10), 30000), t))
        elif kind < k_fwd and depth == 0:
            _, inner = self.message(rng, i, t - rng.randint(3600, 30 * 86400), depth + 1)
            fwd = ("Content-Type: message/rfc822\nContent-Disposition: %s\n" %
                   rng.choice(["attachment", "inline", 'attachment; filename="forwarded.eml"']))
            parts.append((fwd, inner))
            subject = rng.choice(["WG: ", "Fwd: ", "FW: "]) + subject
        else:
            parts.append(self.image_attachment(rng, min(max(int(rng.lognormvariate(*P["image"])), 2000), 4 << 20)))

        th, tb = self.text_entity(rng, text, lang, alt)
        if parts:
            b = "=_%016x" % rng.getrandbits(64)
            chunks = [b"This is a multi-part message in MIME format.\n\n"]
            for h, body in [(th, tb)] + parts:
                chunks += [b"--", b.encode(), b"\n", h.encode(), b"\n", body]
                if not body.endswith(b"\n"):
                    chunks.append(b"\n")
            chunks += [b"--", b.encode(), b"--\n"]
            ctype = 'Content-Type: multipart/mixed;\n\tboundary="%s"\n' % b
            body = b"".join(chunks)
        else:
            ctype, body = th, tb

        sdom = sender.email.split("@")[1]
        mid_hdr = "Message-ID" if rng.random() < 0.8 else "Message-Id"
        mid = "%x.%d.%d@%s" % (t, i, rng.getrandbits(30), sdom if rng.random() < 0.7 else "mail.gmail.com")
        h = []
        if depth == 0:
            rdom = rcpts[0].email.split("@")[1]
            h.append("Return-Path: <%s>\n" % sender.email)
            for k in range(rng.randint(*P["received"])):
                ip = public_ipv4(rng) if rng.random() < 0.9 else ipv6(rng)
                h.append("Received: from mail%d.%s (mail%d.%s [%s])\n\tby mx%d.%s (Postfix) with ESMTPS id %X\n"
                         "\tfor <%s>; %s\n" % (k, sdom, k, sdom, ip, rng.randint(1, 4), rdom, rng.getrandbits(40),
                                               rcpts[0].email, rfc2822_date(t + 2 * k, tz)))
            if rng.random() < P["esmtpsa"]:
                h.append("Received: from [%s] (p%08x.dip0.t-ipconnect.de [%s])\n\tby smtp.%s with ESMTPSA; %s\n"
                         % (private_ipv4(rng), rng.getrandbits(32), public_ipv4(rng), sdom, rfc2822_date(t, tz)))
            if rng.random() < P["dkim"]:
                sig = base64.b64encode(rng.randbytes(256)).decode()
                h.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=s%d;\n\th=from:to:subject:date:message-id;\n"
                         "\tbh=%s;\n\tb=%s\n\t %s\n" % (sdom, rng.randint(1, 9), base64.b64encode(rng.randbytes(32)).decode(),
                                                       sig[:170], sig[170:]))
            if rng.random() < P["orig_ip"]:
                h.append("X-Originating-IP: [%s]\n" % public_ipv4(rng))
        h.append("From: %s\n" % mailbox(sender, rng))
        h.append("To: %s\n" % addr_list(rcpts, rng))
        if cc:
            h.append("Cc: %s\n" % addr_list(cc, rng))
        h.append("Subject: %s\n" % unstructured(subject, rng))
        h.append("Date: %s\n" % rfc2822_date(t, tz))
        h.append("%s: <%s>\n" % (mid_hdr, mid))
        if reply:
            ref = "%x.%d.%d@%s" % (quote[1], max(i - rng.randint(1, 50), 0), rng.getrandbits(30),
                                   quote[0].email.split("@")[1])
            h.append("In-Reply-To: <%s>\nReferences: <%s>\n" % (ref, ref))
        h.append("MIME-Version: 1.0\n")
        h.append(ctype)
        h.append(rng.choice(["X-Mailer: Microsoft Outlook 16.0\n", "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:102.0) "
                             "Gecko/20100101 Thunderbird/102.%d.0\n" % rng.randint(1, 15),
                             "X-Mailer: Apple Mail (2.3696.120.41.1.1)\n", "X-Mailer: Roundcube Webmail/1.6.%d\n"
                             % rng.randint(0, 6), ""]))
        if lang == "de" and rng.random() < 0.5:
            h.append("Content-Language: de-DE\n")
        return sender.email, "".join(h).encode("utf-8") + b"\n" + body

    def one(self, i):
        rng = random.Random("trawl-bench/%d/%d" % (self.seed, i))
        t = T0 + i * 2820 + rng.randint(0, 2400)
        env, msg = self.message(rng, i, t)
        return i, t, env, msg


# ----------------------------------------------------------------- drivers

FROM_RE = re.compile(rb"^(>*From )", re.M)


def mboxrd(msg):
    return FROM_RE.sub(rb">\1", msg)


GEN = None


def work(lo, hi):
    return [GEN.one(i) for i in range(lo, hi)]


def parse_size(s):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG]?)B?", s.strip().upper())
    if not m:
        raise argparse.ArgumentTypeError("size like 10M, 200M, 1G: %r" % s)
    return int(float(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m.group(2)])


def inputs_digest():
    h = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        h.update(f.read())
    for name in ("given-de-berlin.txt", "given-us-ssa.txt", "surnames-us-census1990.txt"):
        try:
            with open(os.path.join(NAMES_DIR, name), "rb") as f:
                h.update(f.read())
        except OSError:
            h.update(b"-")
    return h.hexdigest()[:16]


def load_manifest(out):
    try:
        with open(os.path.join(out, "corpus.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def generate(args):
    global GEN
    want = {"mbox": ["mbox"], "maildir": ["maildir"], "both": ["mbox", "maildir"]}[args.format]
    key = {"generator": GEN_VERSION, "inputs": inputs_digest(), "seed": args.seed, "target_bytes": args.size,
           "zlib": zlib.ZLIB_VERSION, "profile": args.profile}
    old = load_manifest(args.out)
    if old and not args.force and all(old.get(k) == v for k, v in key.items()) and set(want) <= set(old["formats"]):
        print("gen: reusing %s (%d messages)" % (args.out, old["messages"]), file=sys.stderr)
        return 0
    start = time.monotonic()
    tmp = args.out.rstrip("/") + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    mbox = open(os.path.join(tmp, "corpus.mbox"), "wb") if "mbox" in want else None
    md = os.path.join(tmp, "maildir")
    if "maildir" in want:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(md, sub))
    GEN = Gen(World(args.seed), args.seed, args.profile)

    total = md_bytes = n = 0
    sizes = []
    jobs = args.jobs or os.cpu_count() or 1
    batch = 64

    def batches():
        if jobs <= 1:
            lo = 0
            while True:
                yield work(lo, lo + batch)
                lo += batch
        import multiprocessing
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs) as pool:
            pending, lo = collections.deque(), 0
            while True:
                while len(pending) < jobs * 3:
                    pending.append(pool.apply_async(work, (lo, lo + batch)))
                    lo += batch
                yield pending.popleft().get()

    for chunk in batches():
        for i, t, env, msg in chunk:
            if total >= args.size:
                break
            if mbox:
                rd = mboxrd(msg)
                line = ("From %s %s\n" % (env, asctime(t))).encode()
                mbox.write(line)
                mbox.write(rd)
                mbox.write(b"\n")
                total += len(line) + len(rd) + 1
            else:
                total += len(msg)
            if "maildir" in want:
                path = os.path.join(md, "cur", "%d.M%06dP%d.bench,S=%d:2,S" % (t, i, args.seed, len(msg)))
                with open(path, "wb") as f:
                    f.write(msg)
                os.utime(path, (t, t))
                md_bytes += len(msg)
            sizes.append(len(msg))
            n += 1
        else:
            continue
        break
    if mbox:
        mbox.close()
    sizes.sort()
    pct = lambda p: sizes[min(len(sizes) - 1, int(len(sizes) * p))]
    manifest = dict(key, formats=want, messages=n, names=GEN.w.names_source,
                    mbox_bytes=os.path.getsize(os.path.join(tmp, "corpus.mbox")) if mbox else 0,
                    maildir_bytes=md_bytes,
                    message_bytes={"p10": pct(0.1), "p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99),
                                   "max": sizes[-1], "share_2k_20k": round(sum(2048 <= s <= 20480 for s in sizes) / n, 3),
                                   "share_over_100k": round(sum(s > 102400 for s in sizes) / n, 3)},
                    seconds=round(time.monotonic() - start, 1))
    with open(os.path.join(tmp, "corpus.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    shutil.rmtree(args.out, ignore_errors=True)
    os.rename(tmp, args.out)
    print("gen: %s: %d messages, %.1f MB in %.1f s" % (args.out, n, total / 1e6, manifest["seconds"]), file=sys.stderr)
    return 0


def repeat(args):
    src = load_manifest(args.src)
    if not src or "mbox" not in src["formats"]:
        print("gen: %s holds no generated mbox" % args.src, file=sys.stderr)
        return 2
    key = {"generator": GEN_VERSION, "repeat_of": src, "times": args.repeat}
    old = load_manifest(args.out)
    if old and not args.force and all(old.get(k) == v for k, v in key.items()):
        print("gen: reusing %s (%d messages)" % (args.out, old["messages"]), file=sys.stderr)
        return 0
    start = time.monotonic()
    with open(os.path.join(args.src, "corpus.mbox"), "rb") as f:
        data = f.read()
    tmp = args.out.rstrip("/") + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    with open(os.path.join(tmp, "corpus.mbox"), "wb") as f:
        for k in range(args.repeat):
            if k == 0:
                f.write(data)
            else:
                tag = b"<r%d." % k
                f.write(data.replace(b"\nMessage-ID: <", b"\nMessage-ID: " + tag)
                        .replace(b"\nMessage-Id: <", b"\nMessage-Id: " + tag))
    manifest = dict(key, formats=["mbox"], messages=src["messages"] * args.repeat,
                    mbox_bytes=os.path.getsize(os.path.join(tmp, "corpus.mbox")), maildir_bytes=0,
                    seconds=round(time.monotonic() - start, 1))
    with open(os.path.join(tmp, "corpus.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    shutil.rmtree(args.out, ignore_errors=True)
    os.rename(tmp, args.out)
    print("gen: %s: %d messages, %.1f MB in %.1f s" % (args.out, manifest["messages"], manifest["mbox_bytes"] / 1e6,
                                                        manifest["seconds"]), file=sys.stderr)
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description="Seeded generator of realistic mail for trawl's benchmark.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size", type=parse_size, default=parse_size("200M"),
                    help="mbox bytes to write, 10M..1G (K, M, G are powers of 1024)")
    ap.add_argument("--out", required=True, help="output folder (reused when its corpus.json matches)")
    ap.add_argument("--format", choices=["mbox", "maildir", "both"], default="both")
    ap.add_argument("--profile", choices=sorted(PROFILES), default="dense",
                    help="the shape of the mail (see PROFILES): dense office mail or the short notes of issue #6")
    ap.add_argument("--jobs", type=int, default=0, help="generator processes (default: cores); output does not depend on it")
    ap.add_argument("--force", action="store_true", help="regenerate even when the folder matches")
    ap.add_argument("--repeat", type=int, default=0, help="with --from: concatenate that corpus's mbox N times")
    ap.add_argument("--from", dest="src", help="a folder written by this script")
    args = ap.parse_args(argv)
    if args.repeat:
        if not args.src:
            ap.error("--repeat needs --from")
        return repeat(args)
    if not (1 << 20) <= args.size <= (4 << 30):
        ap.error("--size from 1M to 4G (10M..1G is the tested range)")
    return generate(args)


if __name__ == "__main__":
    sys.exit(main())
