import { type ClaimKind, type ClaimStatus, PROMISE_STATUSES } from '../claims/scales';
import { type Tone, toneOf } from '../claims/tones';
import { xmlEscape } from '../feeds/xml';
import { FONT_FAMILY, metrics, wrapText } from '../sharing/fonts';
import { SHARE_HEIGHT, SHARE_WIDTH } from '../sharing/share-image';

// A milestone report's share image (1200 × 630, drawn by the sharing feature's renderPng): the
// milestone, the report's title, the ticket and the date, and the frozen promise scoreboard as a stacked
// bar with every count written under it. Laid out like the verdicts' images, in a file of its own.

const INK = '#1a1a1a';
const MUTED = '#555555';
const LINE = '#d4d4d4';
const MARGIN = 60;
const TONE_FILL: Record<Tone, string> = {
  good: '#1e6b34',
  mid: '#7a5200',
  bad: '#a1221b',
  neutral: '#4a4a4a',
};

export interface ReportShare {
  milestone: string;
  title: string;
  who: string;
  /** "Keadaan per 31 Mei 2025" in the page's language. */
  when: string;
  counts: { kind: ClaimKind; status: ClaimStatus; count: number }[];
  /** Each promise status's label in the page's language. */
  labels: Record<string, string>;
  /** What an empty scoreboard says. */
  empty: string;
  newsroom: string;
  site: string;
}

function lines(
  content: string,
  x: number,
  y: number,
  size: number,
  width: number,
  max: number,
  bold = false,
  fill = INK,
) {
  const font = bold ? metrics().bold : metrics().regular;
  const wrapped = wrapText(content, { font, size, width, maxLines: max });
  const weight = bold ? ' font-weight="700"' : '';
  const svg = wrapped
    .map(
      (line, i) =>
        `<text x="${x}" y="${y + i * size * 1.25}" font-size="${size}"${weight} fill="${fill}">${xmlEscape(line)}</text>`,
    )
    .join('');
  return { svg, bottom: y + Math.max(0, wrapped.length - 1) * size * 1.25 };
}

export function reportShareSvg(share: ReportShare): string {
  const width = SHARE_WIDTH - 2 * MARGIN;
  const parts: string[] = [];
  parts.push(lines(share.milestone, MARGIN, 92, 30, width, 1, true, MUTED).svg);
  const title = lines(share.title, MARGIN, 160, 52, width, 2, true);
  parts.push(title.svg);
  parts.push(lines(share.who, MARGIN, title.bottom + 62, 30, width, 1).svg);
  parts.push(lines(share.when, MARGIN, title.bottom + 104, 28, width, 1, false, MUTED).svg);
  const promises = PROMISE_STATUSES.map((status) => ({
    status,
    count: share.counts
      .filter((c) => c.kind === 'promise' && c.status === status)
      .reduce((n, c) => n + c.count, 0),
  }));
  const total = promises.reduce((n, p) => n + p.count, 0);
  const barTop = 380;
  if (total === 0) {
    parts.push(lines(share.empty, MARGIN, barTop + 40, 28, width, 1, false, MUTED).svg);
  } else {
    let x = MARGIN;
    for (const p of promises) {
      if (p.count === 0) continue;
      const w = (p.count / total) * width;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${barTop}" width="${w.toFixed(1)}" height="40" fill="${TONE_FILL[toneOf(p.status)]}" stroke="#ffffff" stroke-width="2"/>`,
      );
      x += w;
    }
    const legend = promises
      .filter((p) => p.count > 0)
      .map((p) => `${share.labels[p.status] ?? p.status} ${p.count}`)
      .join(' · ');
    parts.push(lines(legend, MARGIN, barTop + 86, 26, width, 2).svg);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SHARE_WIDTH}" height="${SHARE_HEIGHT}" viewBox="0 0 ${SHARE_WIDTH} ${SHARE_HEIGHT}" font-family="${FONT_FAMILY}">`,
    `<rect width="${SHARE_WIDTH}" height="${SHARE_HEIGHT}" fill="#ffffff"/>`,
    `<rect width="${SHARE_WIDTH}" height="12" fill="${INK}"/>`,
    parts.join(''),
    `<rect x="${MARGIN}" y="536" width="${width}" height="2" fill="${LINE}"/>`,
    lines(share.newsroom, MARGIN, 588, 30, 620, 1, true).svg,
    `<text x="${SHARE_WIDTH - MARGIN}" y="588" font-size="26" text-anchor="end" fill="${MUTED}">${xmlEscape(share.site)}</text>`,
    '</svg>',
  ].join('');
}
