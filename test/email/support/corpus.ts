// Message shapes the way real mail clients build them, generated here so no fixture files
// live in the repository: Gmail, Outlook (inline images without Content-ID, winmail.dat),
// Apple Mail (inline parts directly under multipart/mixed), forwards, non-ASCII names, and the
// broken ones.
import { randomBytes } from 'node:crypto';

export const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

const b64 = (bytes: Buffer) => (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

export interface Envelope {
  from?: string;
  to?: string;
  subject?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  extraHeaders?: string[];
}

export function headers(envelope: Envelope): string {
  return [
    `From: ${envelope.from ?? 'Ana Souza <ana@customer.test>'}`,
    `To: ${envelope.to ?? 'support@acme.test'}`,
    `Subject: ${envelope.subject ?? 'Broken lamp'}`,
    `Message-ID: ${envelope.messageId ?? `<${randomBytes(6).toString('hex')}@customer.test>`}`,
    'Date: Mon, 4 Mar 2024 10:00:00 +0000',
    'MIME-Version: 1.0',
    ...(envelope.inReplyTo ? [`In-Reply-To: ${envelope.inReplyTo}`] : []),
    ...(envelope.references ? [`References: ${envelope.references}`] : []),
    ...(envelope.extraHeaders ?? []),
  ].join('\r\n');
}

export function plain(envelope: Envelope, text: string): string {
  return crlf(
    `${headers(envelope)}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${text}\n`,
  );
}

/** Gmail: alternative text/HTML inside related (an inline image by cid) inside mixed (a PDF), quote in div.gmail_quote. */
export function gmailLike(envelope: Envelope = {}): string {
  return crlf(`${headers(envelope)}
Content-Type: multipart/mixed; boundary="mixed1"

--mixed1
Content-Type: multipart/related; boundary="rel1"

--rel1
Content-Type: multipart/alternative; boundary="alt1"

--alt1
Content-Type: text/plain; charset="UTF-8"

The lamp arrived broken, photo below.
[image: lamp.png]

On Sun, 3 Mar 2024 at 09:00, Acme Support <support@acme.test> wrote:
> How can we help?
--alt1
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">The lamp arrived <b>broken</b>, photo below.<div><img src="cid:ii_lamp01" alt="lamp.png" width="1" height="1"><br></div><img src="https://tracker.example/pixel.gif" width="1"><script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">click</a></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Sun, 3 Mar 2024 at 09:00, Acme Support &lt;support@acme.test&gt; wrote:<br></div><blockquote class="gmail_quote">How can we help?</blockquote></div>
--alt1--
--rel1
Content-Type: image/png; name="lamp.png"
Content-Disposition: inline; filename="lamp.png"
Content-Transfer-Encoding: base64
Content-ID: <ii_lamp01>
X-Attachment-Id: ii_lamp01

${b64(PNG_1PX)}
--rel1--
--mixed1
Content-Type: application/pdf; name="invoice.pdf"
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

${b64(PDF_BYTES)}
--mixed1--
`);
}

/** Outlook: related HTML with cid images, one image referenced by Content-Location and one not at all, a winmail.dat (by default one that cannot be read), quote in #divRplyFwdMsg. */
export function outlookLike(
  envelope: Envelope = {},
  tnef: Buffer = Buffer.concat([Buffer.from([0x78, 0x9f, 0x3e, 0x22, 0x01, 0x00]), randomBytes(200)]),
): string {
  return crlf(`${headers(envelope)}
Content-Type: multipart/mixed; boundary="_004_outlook"

--_004_outlook
Content-Type: multipart/related; boundary="_003_outlook"; type="text/html"

--_003_outlook
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><body><p class=3DMsoNormal>Screenshot of the error:</p><p><img src=3D"cid:image001.png@01DA6E4F.12345670"></p><p><img src=3D"image002.png"></p><div id=3D"divRplyFwdMsg"><b>From:</b> Acme Support<br><b>Sent:</b> Sunday<br>Earlier text</div></body></html>
--_003_outlook
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"
Content-ID: <image001.png@01DA6E4F.12345670>
Content-Transfer-Encoding: base64

${b64(PNG_1PX)}
--_003_outlook
Content-Type: image/png; name="image002.png"
Content-Disposition: inline; filename="image002.png"
Content-Location: image002.png
Content-Transfer-Encoding: base64

${b64(PNG_1PX)}
--_003_outlook
Content-Type: image/png; name="image003.png"
Content-Disposition: inline; filename="image003.png"
Content-Transfer-Encoding: base64

${b64(PNG_1PX)}
--_003_outlook--
--_004_outlook
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Disposition: attachment; filename="winmail.dat"
Content-Transfer-Encoding: base64

${b64(tnef)}
--_004_outlook--
`);
}

/** Apple Mail: text, an inline image and more text as siblings directly under multipart/mixed. */
export function appleLike(envelope: Envelope = {}): string {
  return crlf(`${headers(envelope)}
Content-Type: multipart/mixed; boundary="Apple-Mail=_1"

--Apple-Mail=_1
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii

Here is the lamp:

--Apple-Mail=_1
Content-Disposition: inline; filename=lamp.png
Content-Type: image/png; x-unix-mode=0644; name="lamp.png"
Content-Transfer-Encoding: base64

${b64(PNG_1PX)}
--Apple-Mail=_1
Content-Transfer-Encoding: 7bit
Content-Type: text/plain; charset=us-ascii

and the box it came in.
--Apple-Mail=_1--
`);
}

/** A forward: the original message attached as message/rfc822, with its own attachment. */
export function forwarded(envelope: Envelope = {}): string {
  return crlf(`${headers({ subject: 'Fwd: Order 1234', ...envelope })}
Content-Type: multipart/mixed; boundary="fwd1"

--fwd1
Content-Type: text/plain; charset=utf-8

Forwarding what the shop sent me.
--fwd1
Content-Type: message/rfc822
Content-Disposition: inline

From: Shop <orders@shop.test>
To: ana@customer.test
Subject: Order 1234
Message-ID: <order-1234@shop.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner1"

--inner1
Content-Type: text/plain; charset=utf-8

Your order 1234 has shipped.
--inner1
Content-Type: application/pdf; name="receipt.pdf"
Content-Disposition: attachment; filename="receipt.pdf"
Content-Transfer-Encoding: base64

${b64(PDF_BYTES)}
--inner1--
--fwd1--
`);
}

/** Non-ASCII everywhere: RFC 2047 sender and subject, an RFC 2231 file name and an RFC 2047 one. */
export function nonAscii(envelope: Envelope = {}): string {
  return crlf(`${headers({
    from: '=?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <jose@customer.test>',
    subject: '=?UTF-8?B?w4ljaGFuZ2UgZHUgcHJvZHVpdCDinJM=?=',
    ...envelope,
  })}
Content-Type: multipart/mixed; boundary="na1"

--na1
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Gr=FC=DFe aus K=F6ln
--na1
Content-Type: application/pdf
Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%9C%93.pdf
Content-Transfer-Encoding: base64

${b64(PDF_BYTES)}
--na1
Content-Type: application/pdf; name="=?UTF-8?B?0YHRh9C10YIucGRm?="
Content-Disposition: attachment
Content-Transfer-Encoding: base64

${b64(PDF_BYTES)}
--na1--
`);
}

/** `count` tiny text attachments in one message. */
export function manyParts(count: number, envelope: Envelope = {}): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(
      `--many\r\nContent-Type: text/plain; name="p${i}.txt"\r\nContent-Disposition: attachment; filename="p${i}.txt"\r\n\r\npart ${i}\r\n`,
    );
  }
  return `${headers(envelope)}\r\nContent-Type: multipart/mixed; boundary="many"\r\n\r\n--many\r\nContent-Type: text/plain\r\n\r\nmany parts\r\n${parts.join('')}--many--\r\n`;
}

/** Multiparts nested `depth` deep with the text at the bottom. */
export function deeplyNested(depth: number, envelope: Envelope = {}): string {
  let body = 'Content-Type: text/plain\r\n\r\nat the bottom\r\n';
  for (let level = depth; level > 0; level--) {
    body = `Content-Type: multipart/mixed; boundary="n${level}"\r\n\r\n--n${level}\r\n${body}--n${level}--\r\n`;
  }
  return `${headers(envelope)}\r\n${body}`;
}

/** A 0-byte attachment, names with paths and control characters, a wrong and a missing charset. */
export function awkward(envelope: Envelope = {}): string {
  return crlf(`${headers(envelope)}
Content-Type: multipart/mixed; boundary="aw1"

--aw1
Content-Type: text/plain; charset=x-no-such-charset
Content-Transfer-Encoding: 8bit

Caf\u00e9 au lait
--aw1
Content-Type: text/html
Content-Transfer-Encoding: 8bit

<p>na\u00efve</p>
--aw1
Content-Type: application/octet-stream; name="empty.bin"
Content-Disposition: attachment; filename="empty.bin"
Content-Transfer-Encoding: base64


--aw1
Content-Type: application/pdf
Content-Disposition: attachment; filename="../../etc/pass\u0007wd\u202e.pdf"
Content-Transfer-Encoding: base64

${b64(PDF_BYTES)}
--aw1
Content-Type: text/plain
Content-Disposition: attachment; filename="C:\\\\Users\\\\ana\\\\notes.txt"

notes
--aw1--
`);
}

/** Not MIME at all past the headers: a boundary that never comes, truncated base64, binary junk. */
export function malformed(envelope: Envelope = {}): Buffer {
  return Buffer.concat([
    Buffer.from(
      crlf(`${headers(envelope)}
Content-Type: multipart/mixed; boundary="never"
Content-Transfer-Encoding: base64

--other
Content-Type: image/png; name="x.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAA!!!!
`),
    ),
    randomBytes(2048),
  ]);
}
