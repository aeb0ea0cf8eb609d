/** What a PNG file says about itself, read from its bytes: for tests of the share images. */
export interface PngFacts {
  signature: boolean;
  width: number;
  height: number;
  /** The text of its iTXt chunks, by keyword. */
  text: Record<string, string>;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function readPng(bytes: Buffer): PngFacts {
  const facts: PngFacts = {
    signature: bytes.subarray(0, 8).equals(SIGNATURE),
    width: 0,
    height: 0,
    text: {},
  };
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      facts.width = data.readUInt32BE(0);
      facts.height = data.readUInt32BE(4);
    }
    if (type === 'iTXt') {
      const keywordEnd = data.indexOf(0);
      const keyword = data.toString('latin1', 0, keywordEnd);
      // Then the compression flag and method, and two zero-ended fields (language, translated keyword).
      let textStart = keywordEnd + 3;
      textStart = data.indexOf(0, textStart) + 1;
      textStart = data.indexOf(0, textStart) + 1;
      facts.text[keyword] = data.toString('utf8', textStart);
    }
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return facts;
}

/** supertest's parser for binary bodies: the bytes as they came (the response is a Node stream). */
export function binary(res: unknown, done: (err: Error | null, body: Buffer) => void) {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
