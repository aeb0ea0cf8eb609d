/**
 * What an uploaded photo really is, read from its bytes before anything decodes it: JPEG, PNG or WebP,
 * whole (its structure ends where the file ends, so nothing rides after the image: a script appended to
 * a JPEG, an archive after a PNG), and of the type its name says. Everything else is refused with the
 * reason, as a message key (newsroom.error.*), so that the editor knows what to do.
 */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** Past this, decoding alone would take too much memory (a decompression bomb): 40 megapixels. */
export const MAX_PHOTO_PIXELS = 40_000_000;

export type PhotoFormat = 'jpeg' | 'png' | 'webp';

export class PhotoRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const EXTENSIONS: Record<PhotoFormat, readonly string[]> = {
  jpeg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  png: ['png'],
  webp: ['webp'],
};

/** The format of a file from its first bytes; SVG and other markup are told apart to say so. */
export function sniff(bytes: Buffer): PhotoFormat | 'svg' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png';
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'webp';
  const head = bytes
    .subarray(0, 1024)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg')) || head.includes('<svg'))
    return 'svg';
  return undefined;
}

/** Where a JPEG's main image ends (just past its EOI marker), walking its segments and scans. */
function jpegEnd(bytes: Buffer): number | undefined {
  let at = 2;
  while (at + 2 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) return at + 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (at + 4 > bytes.length) return undefined;
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2) return undefined;
    at += 2 + length;
    if (marker !== 0xda) continue;
    // Entropy-coded data after a scan header: runs to the next marker that is not a stuffed zero or a restart.
    while (at + 1 < bytes.length) {
      if (bytes[at] === 0xff) {
        const next = bytes[at + 1] as number;
        if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
      }
      at += 1;
    }
  }
  return undefined;
}

/** Where a PNG ends: just past its IEND chunk. */
function pngEnd(bytes: Buffer): number | undefined {
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    at += 12 + length;
    if (type === 'IEND') return at <= bytes.length ? at : undefined;
  }
  return undefined;
}

/** Where a WebP ends: its RIFF header says how long it is (padded to an even length). */
function webpEnd(bytes: Buffer): number | undefined {
  const size = bytes.readUInt32LE(4);
  const end = 8 + size + (size % 2);
  return end <= bytes.length ? end : undefined;
}

/**
 * Checks an upload's bytes and name before decoding: not empty, not too large, JPEG, PNG or WebP, whole,
 * nothing after the image, and named as what it is. Throws PhotoRefused with the reason.
 */
export function checkPhotoFile(bytes: Buffer, name: string): PhotoFormat {
  if (bytes.length === 0) throw new PhotoRefused('photo_empty');
  if (bytes.length > MAX_PHOTO_BYTES) throw new PhotoRefused('photo_too_large');
  const format = sniff(bytes);
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (format === 'svg' || extension === 'svg' || extension === 'svgz') throw new PhotoRefused('photo_svg');
  if (!format) throw new PhotoRefused('photo_not_image');
  const end = format === 'jpeg' ? jpegEnd(bytes) : format === 'png' ? pngEnd(bytes) : webpEnd(bytes);
  if (end === undefined) throw new PhotoRefused('photo_truncated');
  // Cameras pad some JPEGs with zeros; anything else after the image is something else riding along.
  for (let i = end; i < bytes.length; i += 1) {
    if (bytes[i] !== 0) throw new PhotoRefused('photo_trailing_data');
  }
  if (extension && !EXTENSIONS[format].includes(extension)) {
    throw new PhotoRefused(`photo_misnamed_${format}`);
  }
  return format;
}
