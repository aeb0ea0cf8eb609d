import fs from 'node:fs';
import path from 'node:path';
import type { DatasetSize } from './dataset';
import type { LoadSettings, RouteResult } from './load';
import type { Machine } from './machine';
import type { Weight } from './weight';

export interface ScalingRow {
  name: string;
  p99Large?: number;
  p99Small?: number;
  /** p99 at the large dataset over p99 at the small one; the target is ≤ 1.5. */
  ratio?: number;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: Machine & { platform: string };
  settings: LoadSettings & {
    quick: boolean;
    deepPages: number;
    search: string;
    status: string;
    /** NODE_OPTIONS of the servers (as docker-compose.yml deploys them). */
    nodeOptions?: string;
  };
  dataset: {
    large: DatasetSize & { database: string; generated: boolean; seconds: number };
    small: DatasetSize & { database: string; generated: boolean; seconds: number };
    verdictSlug: string;
    electionSlug: string;
    deepDepth: { large: number; small: number };
  };
  routes: RouteResult[];
  small: RouteResult[];
  scaling: ScalingRow[];
  server: { large?: MemoryReport; small?: MemoryReport; uncached?: MemoryReport };
  /** The verdict page and the stylesheets it links, as sent. */
  weight?: { html: Weight; css: Weight[] };
  /** The performance targets (docs/PERFORMANCE.md), each with what this run measured. */
  targets?: Target[];
}

export interface Target {
  target: string;
  measured: string;
  met: boolean;
}

const ROUTE_TARGETS: { route: string; atLeast: number; label: string }[] = [
  { route: 'verdict page', atLeast: 0.8, label: 'verdict page ≥ 0.8 × static ceiling' },
  {
    route: 'verdict page, page cache off',
    atLeast: 0.35,
    label: 'verdict page, page cache off ≥ 0.35 × static ceiling',
  },
];

/** Each performance target against this run's figures. */
export function checkTargets(report: Omit<BenchReport, 'targets'>): Target[] {
  const targets: Target[] = [];
  for (const { route, atLeast, label } of ROUTE_TARGETS) {
    const ratio = report.routes.find((r) => r.name === route)?.ratioToStatic;
    targets.push({ target: label, measured: fixed(ratio, 2), met: ratio !== undefined && ratio >= atLeast });
  }
  for (const row of report.scaling) {
    targets.push({
      target: `${row.name}: p99 at the large dataset ≤ 1.5 × at the small`,
      measured: fixed(row.ratio, 2),
      met: row.ratio !== undefined && row.ratio <= 1.5,
    });
  }
  const all = [...report.routes, ...report.small].filter((r) => !r.missing);
  const errors = all.reduce((sum, r) => sum + (r.errors ?? 0), 0);
  const non2xx = all.reduce((sum, r) => sum + (r.non2xx ?? 0), 0);
  targets.push({ target: 'zero errors under load', measured: String(errors), met: errors === 0 });
  targets.push({ target: 'zero non-2xx under load', measured: String(non2xx), met: non2xx === 0 });
  const servers = Object.entries(report.server).filter(([, m]) => m) as [string, MemoryReport][];
  const peak = Math.max(...servers.map(([, m]) => m.peakRssMb));
  targets.push({
    target: 'server RSS < 200 MB (peak, every server)',
    measured: `${servers.map(([name, m]) => `${name} ${fixed(m.peakRssMb)}`).join(', ')} MiB`,
    met: servers.length > 0 && peak * 1.048576 < 200,
  });
  if (report.weight) {
    const { html, css } = report.weight;
    const cssBytes = css.reduce((sum, w) => sum + w.bytes, 0);
    targets.push({
      target: 'verdict page HTML < 30 KB uncompressed',
      measured: `${html.bytes} B`,
      met: html.bytes < 30_000,
    });
    targets.push({ target: 'CSS < 15 KB uncompressed', measured: `${cssBytes} B`, met: cssBytes < 15_000 });
    const compressed = [html, ...css];
    targets.push({
      target: 'responses compressed',
      measured: compressed
        .map((w) => `${w.path.split('/').pop()}: ${w.encoding ?? 'none'} ${w.compressedBytes} B`)
        .join(', '),
      met: compressed.every((w) => w.encoding !== null && w.compressedBytes < w.bytes),
    });
  }
  return targets;
}

export function targetsTable(targets: Target[]): string {
  return table(
    ['target', 'measured', 'met'],
    targets.map((t) => [t.target, t.measured, t.met ? 'yes' : 'NO']),
  );
}

export interface MemoryReport {
  peakRssMb: number;
  rssMb: number;
  logFile: string;
  logLines: number;
}

const fixed = (value: number | undefined, digits = 0) =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
const ms = (value: number | undefined) => (value === undefined ? '–' : `${fixed(value, value < 10 ? 1 : 0)}`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function routesTable(results: RouteResult[]): string {
  return table(
    ['route', 'req/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'errors', 'non-2xx', '× static', 'bytes'],
    results.map((r) =>
      r.missing
        ? [r.name, `missing (${r.missing})`, '', '', '', '', '', '', '']
        : [
            r.name,
            fixed(r.requestsPerSecond),
            ms(r.latencyMs?.p50),
            ms(r.latencyMs?.p97_5),
            ms(r.latencyMs?.p99),
            fixed(r.errors),
            fixed(r.non2xx),
            fixed(r.ratioToStatic, 2),
            fixed(r.probe?.bytes),
          ],
    ),
  );
}

export function scalingTable(rows: ScalingRow[], large: number, small: number): string {
  const count = (n: number) => n.toLocaleString('en-US');
  return table(
    ['route', `p99 ms at ${count(large)}`, `p99 ms at ${count(small)}`, 'ratio'],
    rows.map((r) => [r.name, ms(r.p99Large), ms(r.p99Small), fixed(r.ratio, 2)]),
  );
}

export function scalingRows(large: RouteResult[], small: RouteResult[]): ScalingRow[] {
  return large.map((route) => {
    const other = small.find((r) => r.name === route.name);
    const p99Large = route.latencyMs?.p99;
    const p99Small = other?.latencyMs?.p99;
    return {
      name: route.name,
      p99Large,
      p99Small,
      ratio: p99Large !== undefined && p99Small ? p99Large / p99Small : undefined,
    };
  });
}

/** The whole report as text: what the terminal shows and what docs/PERFORMANCE.md quotes. */
export function renderReport(report: BenchReport): string {
  const { large, small } = report.dataset;
  const memory = (label: string, m: MemoryReport | undefined) =>
    m ? `${label}: peak RSS ${fixed(m.peakRssMb)} MiB (VmHWM), ${fixed(m.rssMb)} MiB at the end` : '';
  return [
    `Kawal Janji benchmark, ${report.startedAt}`,
    `${report.command}`,
    `${report.machine.cpus} CPUs (${report.machine.cpuModel}), Node ${report.machine.node}, load average ${report.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')} at start, ${report.machine.loadAverageAtEnd.map((l) => l.toFixed(2)).join(' ')} at the end`,
    `${report.settings.durationSeconds} s per route after ${report.settings.warmupRequests ? `${report.settings.warmupRequests} requests` : `${report.settings.warmupSeconds} s`} of warm-up, ${report.settings.connections} connections, ${report.settings.acceptEncoding ? `Accept-Encoding: ${report.settings.acceptEncoding}` : 'no compression asked for'}${report.settings.nodeOptions ? `; servers with NODE_OPTIONS=${report.settings.nodeOptions}` : ''}`,
    `dataset: ${large.claims.toLocaleString('en-US')} published claims, ${large.elections} elections, ${large.candidates} candidates, ${large.evidence.toLocaleString('en-US')} evidence items, ${large.statusUpdates.toLocaleString('en-US')} status updates (${large.generated ? `generated in ${large.seconds.toFixed(1)} s` : 'reused'})`,
    `verdict page /claims/${report.dataset.verdictSlug}; deep page ${report.dataset.deepDepth.large} pages in (${report.dataset.deepDepth.small} at ${small.claims.toLocaleString('en-US')} claims)`,
    '',
    routesTable(report.routes),
    '',
    `Scaling: the list and search routes again at ${small.claims.toLocaleString('en-US')} claims (${small.generated ? `generated in ${small.seconds.toFixed(1)} s` : 'reused'})`,
    '',
    routesTable(report.small),
    '',
    scalingTable(report.scaling, large.claims, small.claims),
    '',
    memory(`server at ${large.claims.toLocaleString('en-US')} claims`, report.server.large),
    memory(`server at ${small.claims.toLocaleString('en-US')} claims`, report.server.small),
    memory(
      `server at ${large.claims.toLocaleString('en-US')} claims, page cache off`,
      report.server.uncached,
    ),
    ...(report.targets ? ['', 'Targets', '', targetsTable(report.targets)] : []),
  ].join('\n');
}

/** bench/results/<timestamp>.json and bench/results/latest.json. */
export function writeReport(dir: string, report: BenchReport): string {
  fs.mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(dir, 'latest.json'), json);
  return file;
}
