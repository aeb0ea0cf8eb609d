import { crc32 } from 'node:zlib';
import { renderAsync } from '@resvg/resvg-js';
import { xmlEscape } from '../feeds/xml';
import { FONT_FAMILY, FONT_FILES, type FontMetrics, metrics, wrapText } from './fonts';
import { type Meter, meterElements } from './meter';

/** The size link previews ask for (Open Graph's large image, WhatsApp, X). */
export const SHARE_WIDTH = 1200;
export const SHARE_HEIGHT = 630;

const INK = '#1a1a1a';
const MUTED = '#555555';
const LINE = '#d4d4d4';
const MARGIN = 60;

interface Text {
  x: number;
  y: number;
  size: number;
  bold?: boolean;
  fill?: string;
  anchor?: 'start' | 'end';
}

function text(content: string, at: Text): string {
  const weight = at.bold ? ' font-weight="700"' : '';
  const anchor = at.anchor === 'end' ? ' text-anchor="end"' : '';
  return `<text x="${at.x}" y="${at.y}" font-size="${at.size}"${weight}${anchor} fill="${at.fill ?? INK}">${xmlEscape(content)}</text>`;
}

/** Lines of wrapped text, one under the other from `y` (the first line's baseline). */
function block(
  content: string,
  at: Text & { width: number; maxLines: number; lineHeight: number },
): { svg: string; bottom: number } {
  const font: FontMetrics = at.bold ? metrics().bold : metrics().regular;
  const lines = wrapText(content, { font, size: at.size, width: at.width, maxLines: at.maxLines });
  const svg = lines.map((line, i) => text(line, { ...at, y: at.y + i * at.lineHeight })).join('');
  return { svg, bottom: at.y + Math.max(lines.length - 1, 0) * at.lineHeight };
}

function frame(colour: string, body: string, footer: { newsroom: string; site: string }): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SHARE_WIDTH}" height="${SHARE_HEIGHT}" viewBox="0 0 ${SHARE_WIDTH} ${SHARE_HEIGHT}" font-family="${FONT_FAMILY}">`,
    `<rect width="${SHARE_WIDTH}" height="${SHARE_HEIGHT}" fill="#ffffff"/>`,
    `<rect width="${SHARE_WIDTH}" height="12" fill="${colour}"/>`,
    body,
    `<rect x="${MARGIN}" y="536" width="${SHARE_WIDTH - 2 * MARGIN}" height="2" fill="${LINE}"/>`,
    block(footer.newsroom, {
      x: MARGIN,
      y: 588,
      size: 30,
      bold: true,
      width: 620,
      maxLines: 1,
      lineHeight: 0,
    }).svg,
    block(footer.site, {
      x: SHARE_WIDTH - MARGIN,
      y: 588,
      size: 26,
      fill: MUTED,
      anchor: 'end',
      width: 440,
      maxLines: 1,
      lineHeight: 0,
    }).svg,
    '</svg>',
  ].join('');
}

export interface ClaimShare {
  meter: Meter;
  /** The status in words (or "retracted"), in the page's language. */
  status: string;
  /** "Statement" or "Promise". */
  kind: string;
  title: string;
  /** Who said it. */
  who: string;
  /** When it was said, written out (empty when not known). */
  when: string;
  /** Set when the claim was retracted: the notice written across the image. */
  retracted?: string | undefined;
  newsroom: string;
  site: string;
}

/** A verdict's share image: the meter and the status on the left, the claim and who said it on the right. */
export function claimShareSvg(share: ClaimShare): string {
  const left = 380;
  const right = 440;
  const width = SHARE_WIDTH - MARGIN - right;
  const parts = [meterElements(share.meter, { x: MARGIN, y: 90, scale: 3.1 })];
  const status = block(share.status, {
    x: MARGIN,
    y: 340,
    size: 50,
    bold: true,
    fill: share.meter.colour,
    width: left - MARGIN,
    maxLines: 2,
    lineHeight: 58,
  });
  parts.push(status.svg);
  parts.push(
    block(share.kind, {
      x: MARGIN,
      y: status.bottom + 48,
      size: 28,
      fill: MUTED,
      width: left - MARGIN,
      maxLines: 1,
      lineHeight: 0,
    }).svg,
  );
  let top = 110;
  if (share.retracted) {
    parts.push(`<rect x="${right}" y="64" width="${width}" height="64" rx="6" fill="${INK}"/>`);
    parts.push(
      block(share.retracted, {
        x: right + 20,
        y: 107,
        size: 30,
        bold: true,
        fill: '#ffffff',
        width: width - 40,
        maxLines: 1,
        lineHeight: 0,
      }).svg,
    );
    top = 190;
  }
  const maxTitleLines = share.retracted ? 4 : 5;
  const title = block(share.title, {
    x: right,
    y: top,
    size: 46,
    bold: true,
    width,
    maxLines: maxTitleLines,
    lineHeight: 60,
  });
  parts.push(title.svg);
  const byline = { x: right, size: 28, fill: MUTED, width, maxLines: 1, lineHeight: 0 };
  const bylineTop = Math.min(title.bottom + 60, share.when ? 464 : 500);
  parts.push(block(share.who, { ...byline, y: bylineTop }).svg);
  if (share.when) parts.push(block(share.when, { ...byline, y: bylineTop + 38 }).svg);
  return frame(share.meter.colour, parts.join(''), { newsroom: share.newsroom, site: share.site });
}

/**
 * Draws an SVG we wrote as a PNG, in the shipped font only (the machine's fonts are never looked at), on
 * libuv's threads so that the server keeps answering while it draws. The PNG carries the image's
 * description as a text chunk, for the tools that read one (and for tests: what the image says).
 */
export async function renderPng(svg: string, description: string): Promise<Buffer> {
  const image = await renderAsync(svg, {
    fitTo: { mode: 'original' },
    font: {
      loadSystemFonts: false,
      fontFiles: [FONT_FILES.regular, FONT_FILES.bold],
      defaultFontFamily: FONT_FAMILY,
    },
  });
  return withDescription(image.asPng(), description);
}

/** A PNG with an iTXt "Description" chunk (UTF-8) after its header chunk. */
function withDescription(png: Buffer, description: string): Buffer {
  // The signature (8 bytes), then IHDR: length (4), type (4), 13 bytes of data, CRC (4).
  const afterHeader = 8 + 4 + 4 + 13 + 4;
  const data = Buffer.concat([
    Buffer.from('Description\0', 'latin1'),
    // Not compressed (0, 0), no language tag, no translated keyword: each ended by a zero byte.
    Buffer.from([0, 0, 0, 0]),
    Buffer.from(description, 'utf8'),
  ]);
  const type = Buffer.from('iTXt', 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])));
  return Buffer.concat([png.subarray(0, afterHeader), length, type, data, crc, png.subarray(afterHeader)]);
}

/** A scoreboard as the share images draw it: per scale, its name and count, a bar, and the counts written out. */
export interface ShareScale {
  /** "Promises (12)". */
  caption: string;
  segments: { width: number; colour: string }[];
  /** "Kept 3 · Broken 2 · …": every status that has claims, so that nothing depends on colour. */
  legend: string;
}

export interface SharePhoto {
  /** A JPEG, drawn into the image. */
  jpeg: Buffer;
  /** "Foto: {credit} ({licence})". */
  credit: string;
}

function scalesSvg(scales: ShareScale[], at: { x: number; y: number; width: number; bottom: number }) {
  const parts: string[] = [];
  let y = at.y;
  const step = scales.length > 1 ? Math.min(120, (at.bottom - at.y) / scales.length) : 120;
  for (const scale of scales) {
    parts.push(
      block(scale.caption, { x: at.x, y, size: 28, bold: true, width: at.width, maxLines: 1, lineHeight: 0 })
        .svg,
    );
    let x = at.x;
    for (const segment of scale.segments) {
      const w = (segment.width / 100) * at.width;
      if (w <= 0) continue;
      // A white edge between segments, so that two of one colour still read as two.
      parts.push(
        `<rect x="${x.toFixed(2)}" y="${y + 14}" width="${w.toFixed(2)}" height="26" fill="${segment.colour}" stroke="#ffffff" stroke-width="2"/>`,
      );
      x += w;
    }
    parts.push(
      block(scale.legend, {
        x: at.x,
        y: y + 72,
        size: 24,
        fill: MUTED,
        width: at.width,
        maxLines: 1,
        lineHeight: 0,
      }).svg,
    );
    y += step;
  }
  return parts.join('');
}

function photoSvg(
  photo: SharePhoto | undefined,
  at: { x: number; y: number; width: number; height: number },
  initials: string,
) {
  if (!photo) {
    return [
      `<rect x="${at.x}" y="${at.y}" width="${at.width}" height="${at.height}" rx="8" fill="#e4e4e4"/>`,
      `<text x="${at.x + at.width / 2}" y="${at.y + at.height / 2 + 30}" font-size="${Math.round(at.width / 3)}" font-weight="700" text-anchor="middle" fill="${MUTED}">${xmlEscape(initials)}</text>`,
    ].join('');
  }
  return `<image x="${at.x}" y="${at.y}" width="${at.width}" height="${at.height}" preserveAspectRatio="xMidYMid slice" href="data:image/jpeg;base64,${photo.jpeg.toString('base64')}"/>`;
}

function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => [...word][0]?.toUpperCase() ?? '')
    .join('');
}

export interface CandidateShare {
  name: string;
  /** "Wakil: …" / "Running mate: …", when there is one. */
  runningMate?: string | undefined;
  /** The election, the party, the ballot number: one line. */
  context: string;
  photos: { candidate?: SharePhoto | undefined; runningMate?: SharePhoto | undefined };
  scales: ShareScale[];
  /** Said when nothing is published yet. */
  empty: string;
  newsroom: string;
  site: string;
}

/** A candidate's (or ticket's) share image: the photos on the left, the name and scoreboard on the right. */
export function candidateShareSvg(share: CandidateShare): string {
  const parts: string[] = [];
  // With the running mate's photo, two side by side (the candidate's initials where it has none).
  const both = Boolean(share.photos.runningMate);
  if (both) {
    parts.push(
      photoSvg(share.photos.candidate, { x: MARGIN, y: 60, width: 150, height: 188 }, initialsOf(share.name)),
    );
    parts.push(photoSvg(share.photos.runningMate, { x: MARGIN + 160, y: 60, width: 150, height: 188 }, ''));
  } else {
    parts.push(
      photoSvg(share.photos.candidate, { x: MARGIN, y: 60, width: 310, height: 388 }, initialsOf(share.name)),
    );
  }
  const credits = [share.photos.candidate?.credit, share.photos.runningMate?.credit]
    .filter(Boolean)
    .join('; ');
  if (credits) {
    parts.push(
      block(credits, {
        x: MARGIN,
        y: both ? 280 : 478,
        size: 18,
        fill: MUTED,
        width: 310,
        maxLines: both ? 6 : 2,
        lineHeight: 24,
      }).svg,
    );
  }
  const right = 410;
  const width = SHARE_WIDTH - MARGIN - right;
  const name = block(share.name, {
    x: right,
    y: 100,
    size: 46,
    bold: true,
    width,
    maxLines: 2,
    lineHeight: 56,
  });
  parts.push(name.svg);
  let y = name.bottom + 44;
  if (share.runningMate) {
    parts.push(block(share.runningMate, { x: right, y, size: 30, width, maxLines: 1, lineHeight: 0 }).svg);
    y += 40;
  }
  parts.push(
    block(share.context, { x: right, y, size: 24, fill: MUTED, width, maxLines: 2, lineHeight: 32 }).svg,
  );
  y += 70;
  if (share.scales.length === 0) {
    parts.push(
      block(share.empty, { x: right, y: y + 30, size: 28, fill: MUTED, width, maxLines: 2, lineHeight: 36 })
        .svg,
    );
  } else {
    parts.push(scalesSvg(share.scales, { x: right, y: y + 20, width, bottom: 520 }));
  }
  return frame(INK, parts.join(''), { newsroom: share.newsroom, site: share.site });
}

export interface ElectionShare {
  name: string;
  /** Office, region and voting day: one line. */
  context: string;
  /** "3 tickets · 120 claims". */
  counts: string;
  scales: ShareScale[];
  empty: string;
  newsroom: string;
  site: string;
}

/** An election's share image: its name and facts, and its overall scoreboard across the width. */
export function electionShareSvg(share: ElectionShare): string {
  const width = SHARE_WIDTH - 2 * MARGIN;
  const parts: string[] = [];
  const name = block(share.name, {
    x: MARGIN,
    y: 110,
    size: 52,
    bold: true,
    width,
    maxLines: 2,
    lineHeight: 62,
  });
  parts.push(name.svg);
  let y = name.bottom + 50;
  parts.push(
    block(share.context, { x: MARGIN, y, size: 28, fill: MUTED, width, maxLines: 1, lineHeight: 0 }).svg,
  );
  y += 42;
  parts.push(block(share.counts, { x: MARGIN, y, size: 28, width, maxLines: 1, lineHeight: 0 }).svg);
  y += 70;
  if (share.scales.length === 0) {
    parts.push(
      block(share.empty, { x: MARGIN, y: y + 20, size: 30, fill: MUTED, width, maxLines: 1, lineHeight: 0 })
        .svg,
    );
  } else {
    parts.push(scalesSvg(share.scales, { x: MARGIN, y, width, bottom: 520 }));
  }
  return frame(INK, parts.join(''), { newsroom: share.newsroom, site: share.site });
}

/**
 * Draws one image before the server takes requests, so that the first reader's image does not also pay
 * for loading the renderer, reading the font files and compiling this code: the first image of a
 * process took 1,964 ms against 593 ms for the next ones (docs/PERFORMANCE.md).
 */
export async function warmUpShareImages(): Promise<void> {
  const svg = frame(
    INK,
    block('Kawal Janji · Cek fakta', {
      x: MARGIN,
      y: 200,
      size: 46,
      bold: true,
      width: 1000,
      maxLines: 1,
      lineHeight: 0,
    }).svg,
    {
      newsroom: 'Kawal Janji',
      site: 'localhost',
    },
  );
  await renderPng(svg, 'warm-up');
}
