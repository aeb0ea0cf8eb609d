import fs from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The font the share images are drawn in, shipped with the app from npm (Noto Sans covers Indonesian and
 * every Latin script), so an image looks the same on every machine whatever fonts it has installed.
 */
const require = createRequire(import.meta.url);
const PACKAGE = '@expo-google-fonts/noto-sans';

export const FONT_FAMILY = 'Noto Sans';
export const FONT_FILES = {
  regular: require.resolve(`${PACKAGE}/400Regular/NotoSans_400Regular.ttf`),
  bold: require.resolve(`${PACKAGE}/700Bold/NotoSans_700Bold.ttf`),
} as const;

/** How wide each character is in a font, read from its own tables (cmap, hmtx), in ems. */
export interface FontMetrics {
  advance(char: string): number;
}

/**
 * Reads the advance widths of a TrueType font: enough to break lines where the renderer will, without
 * asking the renderer. Kerning is left out; it only ever narrows Latin text, so lines measured without it
 * are never too short.
 */
export function readMetrics(file: string): FontMetrics {
  const font = fs.readFileSync(file);
  const tables = new Map<string, number>();
  const count = font.readUInt16BE(4);
  for (let i = 0; i < count; i += 1) {
    const entry = 12 + i * 16;
    tables.set(font.toString('latin1', entry, entry + 4), font.readUInt32BE(entry + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font ${file} has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = font.readUInt16BE(table('head') + 18);
  const metricsCount = font.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const glyphs = cmapFormat4(font, table('cmap'));
  const widths = new Map<string, number>();
  const advanceOfGlyph = (glyph: number) =>
    font.readUInt16BE(hmtx + 4 * Math.min(glyph, metricsCount - 1)) / unitsPerEm;
  // What a character the font lacks is drawn with (the .notdef box, glyph 0).
  const missing = advanceOfGlyph(0);
  return {
    advance(char) {
      let width = widths.get(char);
      if (width === undefined) {
        const glyph = glyphs(char.codePointAt(0) ?? 0);
        width = glyph ? advanceOfGlyph(glyph) : missing;
        widths.set(char, width);
      }
      return width;
    },
  };
}

/** The Unicode (BMP) to glyph map of a font's format 4 cmap subtable. */
function cmapFormat4(font: Buffer, cmap: number): (code: number) => number {
  const subtables = font.readUInt16BE(cmap + 2);
  for (let i = 0; i < subtables; i += 1) {
    const record = cmap + 4 + i * 8;
    const platform = font.readUInt16BE(record);
    const encoding = font.readUInt16BE(record + 2);
    const sub = cmap + font.readUInt32BE(record + 4);
    if (platform !== 3 || encoding !== 1 || font.readUInt16BE(sub) !== 4) continue;
    const segments = font.readUInt16BE(sub + 6) / 2;
    const ends = sub + 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const rangeOffsets = deltas + segments * 2;
    return (code) => {
      if (code > 0xffff) return 0;
      for (let s = 0; s < segments; s += 1) {
        if (code > font.readUInt16BE(ends + s * 2)) continue;
        const start = font.readUInt16BE(starts + s * 2);
        if (code < start) return 0;
        const delta = font.readInt16BE(deltas + s * 2);
        const rangeOffset = font.readUInt16BE(rangeOffsets + s * 2);
        if (rangeOffset === 0) return (code + delta) & 0xffff;
        const at = rangeOffsets + s * 2 + rangeOffset + (code - start) * 2;
        const glyph = font.readUInt16BE(at);
        return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
      }
      return 0;
    };
  }
  throw new Error('font has no Unicode BMP cmap');
}

let loaded: { regular: FontMetrics; bold: FontMetrics } | undefined;

export function metrics(): { regular: FontMetrics; bold: FontMetrics } {
  loaded ??= { regular: readMetrics(FONT_FILES.regular), bold: readMetrics(FONT_FILES.bold) };
  return loaded;
}

/** How wide a line of text is, in pixels, at a font size. */
export function lineWidth(font: FontMetrics, text: string, size: number): number {
  let ems = 0;
  for (const char of text) ems += font.advance(char);
  return ems * size;
}

/**
 * Breaks text into at most `maxLines` lines no wider than `width`, at spaces (a word longer than a line
 * is broken inside it). Text that does not fit ends its last line with an ellipsis.
 */
export function wrapText(
  text: string,
  options: { font: FontMetrics; size: number; width: number; maxLines: number },
): string[] {
  const { font, size, width, maxLines } = options;
  const fits = (line: string) => lineWidth(font, line, size) <= width;
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  let index = 0;
  while (index < words.length) {
    const word = words[index] as string;
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      index += 1;
      continue;
    }
    if (line) {
      lines.push(line);
      line = '';
    } else {
      // A single word wider than the line: as much of it as fits, the rest on the next line.
      const chars = [...word];
      let cut = 1;
      while (cut < chars.length && fits(chars.slice(0, cut + 1).join(''))) cut += 1;
      lines.push(chars.slice(0, cut).join(''));
      words[index] = chars.slice(cut).join('');
    }
    if (lines.length === maxLines) break;
  }
  if (line) lines.push(line);
  if (index < words.length && lines.length > 0) {
    let last = lines[lines.length - 1] as string;
    while (last && !fits(`${last}…`)) last = [...last].slice(0, -1).join('');
    lines[lines.length - 1] = `${last.trimEnd()}…`;
  }
  return lines;
}
