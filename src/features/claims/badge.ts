import { xmlEscape } from '../feeds/xml';
import { type Meter, meterElements } from '../sharing/meter';
import { TONE_COLOURS, type Tone } from './tones';

const HEIGHT = 20;
const PADDING = 8;

/**
 * Roughly how wide text is in 11px Verdana: enough to size the badge; textLength then makes the text fit
 * its box exactly whatever font the reader's system has.
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if (/[iIl.,:;'|!]/.test(char)) width += 3.5;
    else if (/[mwMW@]/.test(char)) width += 10;
    else if (/[A-Z]/.test(char)) width += 7.5;
    else if (char === ' ') width += 3.8;
    else width += 6.6;
  }
  return Math.ceil(width);
}

/** The verdict meter at the badge's height, on white, before the site's name. */
const METER_BOX = 30;

/**
 * An embeddable status badge: the verdict meter, the site's name on grey, the status label on its tone's
 * colour.
 */
export function badgeSvg(input: {
  label: string;
  value: string;
  tone: Tone;
  title: string;
  meter: Meter;
}): string {
  const labelText = textWidth(input.label);
  const valueText = textWidth(input.value);
  const labelWidth = METER_BOX + labelText + PADDING * 2;
  const valueWidth = valueText + PADDING * 2;
  const width = labelWidth + valueWidth;
  const title = xmlEscape(input.title);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<rect width="${labelWidth}" height="${HEIGHT}" fill="#333333"/>`,
    `<rect x="1" y="1" width="${METER_BOX - 2}" height="${HEIGHT - 2}" rx="2" fill="#ffffff"/>`,
    meterElements(input.meter, { x: 3, y: 2, scale: 0.25 }),
    `<rect x="${labelWidth}" width="${valueWidth}" height="${HEIGHT}" fill="${TONE_COLOURS[input.tone]}"/>`,
    `<g fill="#ffffff" font-family="Verdana,'DejaVu Sans',sans-serif" font-size="11" text-anchor="middle">`,
    `<text x="${METER_BOX + (labelWidth - METER_BOX) / 2}" y="14" textLength="${labelText}" lengthAdjust="spacingAndGlyphs">${xmlEscape(input.label)}</text>`,
    `<text x="${labelWidth + valueWidth / 2}" y="14" textLength="${valueText}" lengthAdjust="spacingAndGlyphs" font-weight="bold">${xmlEscape(input.value)}</text>`,
    '</g>',
    '</svg>',
  ].join('\n');
}
