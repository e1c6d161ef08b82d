// Builds winmail.dat containers the way Outlook writes them ([MS-OXTNEF]): message attributes,
// then per attachment attAttachRendData, attAttachTitle (the 8.3 name), attAttachData and
// attAttachment (MAPI properties with the long file name among others), each with its checksum.
// Generated here so no binary fixtures live in the repository.

const attribute = (level: 1 | 2, id: number, data: Buffer, corruptChecksum = false): Buffer => {
  const head = Buffer.alloc(9);
  head[0] = level;
  head.writeUInt32LE(id, 1);
  head.writeUInt32LE(data.length, 5);
  let sum = 0;
  for (const byte of data) sum = (sum + byte) & 0xffff;
  const tail = Buffer.alloc(2);
  tail.writeUInt16LE(corruptChecksum ? (sum + 1) & 0xffff : sum, 0);
  return Buffer.concat([head, data, tail]);
};

const padded = (bytes: Buffer) => Buffer.concat([bytes, Buffer.alloc((4 - (bytes.length % 4)) % 4)]);
const u32 = (value: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value, 0);
  return out;
};
const tag = (type: number, id: number) =>
  Buffer.concat([Buffer.from([type & 0xff, type >> 8, id & 0xff, id >> 8])]);

/** attAttachment's property list: a few properties around PR_ATTACH_LONG_FILENAME (Unicode). */
function attachmentProps(longName: string | undefined): Buffer {
  const props: Buffer[] = [
    // PR_ATTACH_METHOD (PT_LONG) = ATTACH_BY_VALUE
    Buffer.concat([tag(0x0003, 0x3705), u32(1)]),
    // A named property (PS_PUBLIC_STRINGS, by name) with a PT_BOOLEAN value.
    Buffer.concat([
      tag(0x000b, 0x8001),
      Buffer.alloc(16, 0x29),
      u32(1),
      u32(Buffer.byteLength('Hidden\0', 'utf16le')),
      padded(Buffer.from('Hidden\0', 'utf16le')),
      u32(0),
    ]),
    // PR_CREATION_TIME (PT_SYSTIME)
    Buffer.concat([tag(0x0040, 0x3007), Buffer.alloc(8, 7)]),
    // PR_ATTACH_EXTENSION (PT_STRING8)
    Buffer.concat([tag(0x001e, 0x3703), u32(1), u32(5), padded(Buffer.from('.pdf\0', 'latin1'))]),
  ];
  if (longName !== undefined) {
    const name = Buffer.from(`${longName}\0`, 'utf16le');
    props.push(Buffer.concat([tag(0x001f, 0x3707), u32(1), u32(name.length), padded(name)]));
  }
  return Buffer.concat([u32(props.length), ...props]);
}

export interface TnefFileSpec {
  /** What attAttachTitle holds (an 8.3 name, as older Outlook writes). */
  title: string;
  longName?: string;
  /** Left out for an item that is not a plain file (an attached e-mail keeps it elsewhere). */
  bytes?: Buffer;
  /** Writes a wrong checksum after this file's bytes. */
  corrupt?: boolean;
}

export function tnef(files: TnefFileSpec[]): Buffer {
  const parts: Buffer[] = [u32(0x223e9f78), Buffer.from([0x2a, 0x01])];
  parts.push(attribute(1, 0x00089006, u32(0x00010000))); // attTnefVersion
  parts.push(attribute(1, 0x00069007, Buffer.from([0xe4, 0x04, 0, 0, 0, 0, 0, 0]))); // attOemCodepage 1252
  parts.push(attribute(1, 0x00078008, Buffer.from('IPM.Microsoft Mail.Note\0', 'latin1'))); // attMessageClass
  parts.push(attribute(1, 0x0002800c, Buffer.from('The message body in plain text.\0', 'latin1'))); // attBody
  for (const file of files) {
    parts.push(attribute(2, 0x00069002, Buffer.alloc(14, 1))); // attAttachRendData
    parts.push(attribute(2, 0x00018010, Buffer.from(`${file.title}\0`, 'latin1'))); // attAttachTitle
    if (file.bytes) parts.push(attribute(2, 0x0006800f, file.bytes, file.corrupt)); // attAttachData
    parts.push(attribute(2, 0x00069005, attachmentProps(file.longName))); // attAttachment
  }
  return Buffer.concat(parts);
}
