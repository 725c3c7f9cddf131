#!/usr/bin/env python3
# Writes the seeds of fuzz/seeds/ (run from this folder). Every input is
# made up here or copied from fixtures/; see README.md.
# SPDX-License-Identifier: GPL-3.0-or-later
import os, io, zipfile, tarfile, gzip, bz2, lzma, base64
def w(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str): data = data.encode('utf-8')
    open(path, 'wb').write(data)

# detectors: first byte = flags (fuzz_detectors.c)
w('detectors/body-en.txt', b'\x0a' + """Hi team,
please refund Erika Mustermann, card 5413 3300 8909 9130 exp 12/27,
IBAN DE02 1203 0000 0000 2020 51 (BIC BYLADEM1001), or GB33BUKB20201555555555.
Call her on +49 (0)30 1234567 or 030/1234-567, mobile 0171 2345678; US office (415) 555-0134.
Server 10.20.30.40 and 2a02:8108:1234::42, MAC 00:1A:2B:3C:4D:5E, 00-1a-2b-3c-4d-5f.
Mail erika.mustermann@kontor-demo.de or "Erika M." <e.m+tag@sub.example.co.uk>.
Address: Musterstrasse 12, 10115 Berlin; 221B Baker Street, London NW1 6XE;
1600 Amphitheatre Parkway, Mountain View, CA 94043.
Best regards,
Dr. Max Mustermann
""".encode())
w('detectors/header-from.txt', b'\x03' + "Müller, Jürgen <juergen.mueller@beispiel-firma.de>\nVon: Jürgen Müller\nTel. +41 44 668 18 00\n> From: Anna-Lena Schmidt-Weber <als@web.de>\n".encode())
w('detectors/signature-de.txt', b'\x2d' + "Mit freundlichen Grüßen\n\nJürgen Müller\nGeschäftsführer\nKontor Demo GmbH\nHauptstraße 5 · 80331 München\nTelefon: +49 89 12345-678\nFax: 089 12345-679\nE-Mail: j.mueller@kontor-demo.de\nUSt-IdNr. DE123456789\nIBAN: DE89 3704 0044 0532 0130 00\n".encode())
w('detectors/table.txt', b'\x12' + "Name\tE-Mail\tTelefon\tKarte\nAnna Berg\tanna.berg@example.org\t+33 1 42 68 53 00\t4111-1111-1111-1111\nJean Dupont\tjean@dupont.fr\t06 12 34 56 78\t378282246310005\nFR14 2004 1010 0505 0001 3M02 606\tNL91ABNA0417164300\n192.168.0.1 ::1 fe80::1%eth0 300.1.1.1\n".encode())

# html
w('html/mail.html', """<!DOCTYPE html><html><head><title>Bestellung</title><style>p{color:red}</style><script>var x="<p>";</script></head>
<body><div>Hallo&nbsp;<b>Erika</b> Mustermann,</div><p>IBAN&#58; DE02&#x20;1203 0000 0000 2020 51</p>
<table><tr><th>Name</th><td>Max &amp; Moritz</td></tr><tr><td>Tel</td><td><a href="tel:+493012345">anrufen</a></td></tr></table>
<a href="mailto:erika@kontor-demo.de?subject=hi">Mail</a><br><ul><li>eins<li>zwei</ul><pre>  a
 b</pre><![CDATA[x]]><!-- c --><img src=x alt="y"></body></html>""")
w('html/broken.html', "<p><b><i>unclosed <div <table><tr><td>1<td>2</table>&amp &lt;&#0;&#xD800;&#1114112;&unknown; \xa0\x00 <a href=mailto:>x</a></p></p></p>".encode('latin-1'))

# rtf
w('rtf/plain.rtf', r"""{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}{\colortbl;\red0\green0\blue0;}
{\*\generator Msftedit;}\viewkind4\uc1\pard\f0\fs20 Hallo Erika M\'fcller,\par
IBAN DE02 1203 0000 0000 2020 51\tab Tel +49 30 1234567\line
\u8364?\u-4064? caf\'e9 {\field{\*\fldinst HYPERLINK "mailto:erika@kontor-demo.de"}{\fldrslt Mail}}\par
{\pict\pngblip 89504e47}\bin4 abcd}""")
w('rtf/fromhtml.rtf', r"""{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}
{\*\htmltag19 <html>}{\*\htmltag34 <head>}{\*\htmltag50 <body>}\htmlrtf {\htmlrtf0 Hallo
{\*\htmltag84 <p>}Max Mustermann{\*\htmltag92 </p>}\par
{\*\htmltag84 <a href="mailto:max@example.de">}max@example.de{\*\htmltag92 </a>}
{\*\htmltag58 </body>}{\*\htmltag27 </html>}}}""")

# messages
inner_zip = io.BytesIO()
with zipfile.ZipFile(inner_zip, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('contacts.csv', 'name,email,phone\nErika Mustermann,erika@kontor-demo.de,+49 30 1234567\n')
zb = base64.encodebytes(inner_zip.getvalue()).decode()
hb = base64.encodebytes('<p>Karte 5413 3300 8909 9130 &amp; <a href="mailto:a@b.de">x</a></p>'.encode()).decode()
w('message/multipart.eml', f"""From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@kontor-demo.de>
To: "Mustermann, Erika" <erika.mustermann@kontor-demo.de>, max@example.org
Cc: undisclosed-recipients:;
Subject: =?ISO-8859-1?B?UmVjaG51bmcg/A==?= =?UTF-8?Q?und_IBAN?=
Date: Tue, 14 Mar 2023 09:26:53 +0100
Message-ID: <multi-1@kontor-demo.de>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

preamble
--outer
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Gr=FC=DFe, IBAN DE02 1203 0000 0000 2020 51, Tel. +49 30 1234567=
 weiter
--alt
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

{hb}--alt--
--outer
Content-Type: message/rfc822
Content-Disposition: attachment; filename="fwd.eml"

From: Max <max@example.org>
Subject: fwd
Content-Type: text/plain

forwarded 10.20.30.40
--outer
Content-Type: application/zip; name="c.zip"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename*=UTF-8''k%C3%B6ntakte.zip

{zb}--outer
Content-Type: text/calendar; charset=utf-8
Content-Disposition: inline

BEGIN:VCALENDAR
ORGANIZER;CN=Erika:mailto:erika@kontor-demo.de
END:VCALENDAR
--outer
Content-Type: application/octet-stream
Content-Transfer-Encoding: uuencode

begin 644 x.txt
#86)C
`
end
--outer--
epilogue
""".replace('\n', '\r\n'))
w('message/signed.eml', """From: a@b.de
Subject: signed
Content-Type: multipart/signed; protocol="application/pgp-signature"; boundary=s

--s
Content-Type: text/plain

Phone 0171 2345678
--s
Content-Type: application/pgp-signature

-----BEGIN PGP SIGNATURE-----
abc
-----END PGP SIGNATURE-----
--s--
""")
w('message/bad-headers.eml', """From: "Broken" <@@>
To: ;;,,<>
Subject: =?bogus?X?abc?= =?UTF-8?B?not base64!?=
Content-Type: multipart/mixed; boundary=
Content-Transfer-Encoding: 8bit

--
Content-Type: application/ms-tnef

x
""")

# archives: one mail in each container libarchive reads
eml = open('../../fixtures/sample/mail/order.eml', 'rb').read()
z = io.BytesIO()
with zipfile.ZipFile(z, 'w', zipfile.ZIP_DEFLATED) as zf:
    zf.writestr('mail/order.eml', eml)
    zf.writestr('nested.zip', inner_zip.getvalue())
w('archive/mail.zip', z.getvalue())
t = io.BytesIO()
with tarfile.open(fileobj=t, mode='w', format=tarfile.PAX_FORMAT) as tf:
    ti = tarfile.TarInfo('mail/order.eml'); ti.size = len(eml); ti.mtime = 0; tf.addfile(ti, io.BytesIO(eml))
    ti = tarfile.TarInfo('link'); ti.type = tarfile.SYMTYPE; ti.linkname = 'mail/order.eml'; ti.mtime = 0; tf.addfile(ti)
w('archive/mail.tar', t.getvalue())
w('archive/mail.tar.bz2', bz2.compress(t.getvalue()))
w('archive/mail.eml.xz', lzma.compress(eml))
w('archive/mail.eml.gz', gzip.compress(eml, mtime=0))
