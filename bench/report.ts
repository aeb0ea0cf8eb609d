import fs from 'node:fs';
import path from 'node:path';
import type { DatasetSize } from './dataset';
import type { LoadSettings, RouteResult } from './load';

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
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    /** 1, 5 and 15 minute load averages when the run started and when it ended: the machine is shared. */
    loadAverage: number[];
    loadAverageAtEnd: number[];
  };
  settings: LoadSettings & { quick: boolean; deepPages: number; search: string; status: string };
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
  server: { large?: MemoryReport; small?: MemoryReport };
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
    `${report.settings.durationSeconds} s per route after ${report.settings.warmupRequests ? `${report.settings.warmupRequests} requests` : `${report.settings.warmupSeconds} s`} of warm-up, ${report.settings.connections} connections, ${report.settings.acceptEncoding ? `Accept-Encoding: ${report.settings.acceptEncoding}` : 'no compression asked for'}`,
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
