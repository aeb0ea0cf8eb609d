import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareDataset } from './dataset';
import { type LoadSettings, measureRoute } from './load';
import { type Machine, machineAtEnd } from './machine';
import { sampleDataset } from './routes';
import { type BenchServer, projectRoot, type Runner, startServer } from './server';

/**
 * The build's part of the benchmark (`npm run bench -- --only build`): the same app run two ways, on the
 * same dataset, in one run, round after round in turn so that a change in the machine's load falls on
 * both. For each: the time from spawning the process to the first 200 from /readyz, the resident memory
 * at rest (once ready and idle), the verdict page's throughput with the page cache off (every request
 * renders), and the resident memory at its peak under that load.
 */
export interface BuildRound {
  runner: Runner;
  readyMs: number;
  restRssMb: number | undefined;
  requestsPerSecond: number | undefined;
  p99Ms: number | undefined;
  peakRssMb: number | undefined;
  non2xx: number;
}

export interface BuildReport {
  startedAt: string;
  command: string;
  machine: Machine;
  dataset: { database: string; claims: number };
  verdictPath: string;
  load: LoadSettings;
  rounds: BuildRound[];
}

/** Idle time between /readyz answering and reading the memory at rest: start-up's garbage settles. */
const SETTLE_MS = 2_000;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export async function buildBench(options: {
  databaseUrl: string;
  claims: number;
  rounds: number;
  load: LoadSettings;
  fresh: boolean;
  command: string;
  resultsDir: string;
  stamp: string;
  say: (line: string) => void;
}): Promise<BuildReport> {
  const { say } = options;
  const loadAverage = os.loadavg();
  say(`dataset: ${options.claims} claims on ${new URL(options.databaseUrl).pathname.slice(1)}`);
  const dataset = await prepareDataset(options.databaseUrl, options.claims, {
    fresh: options.fresh,
    log: (line) => say(`  ${line}`),
  });
  say(`  ${dataset.generated ? `generated in ${dataset.seconds.toFixed(1)} s` : 'already there, reused'}`);
  const sample = await sampleDataset(options.databaseUrl, 100);
  const verdictPath = `/claims/${sample.verdictSlug}`;
  const rounds: BuildRound[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    // Alternate which goes first, so that neither always meets the machine just after the other.
    const order: Runner[] = round % 2 === 0 ? ['tsx', 'compiled'] : ['compiled', 'tsx'];
    for (const runner of order) {
      say(`  round ${round + 1}, ${runner}`);
      let server: BenchServer | undefined;
      try {
        server = await startServer({
          databaseUrl: options.databaseUrl,
          logFile: path.join(options.resultsDir, `${options.stamp}-server-build-${runner}.log`),
          pageCache: false,
          staticCeiling: false,
          runner,
        });
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const rest = server.memory();
        const result = await measureRoute(
          server.origin,
          { name: `verdict page, page cache off, ${runner}`, path: verdictPath },
          options.load,
          () => server?.memory()?.rssMb,
        );
        rounds.push({
          runner,
          readyMs: server.readyMs,
          restRssMb: rest?.rssMb,
          requestsPerSecond: result.requestsPerSecond,
          p99Ms: result.latencyMs?.p99,
          peakRssMb: server.memory()?.peakRssMb,
          non2xx: (result.non2xx ?? 0) + (result.errors ?? 0),
        });
      } finally {
        await server?.stop();
      }
    }
  }
  const report: BuildReport = {
    startedAt: new Date().toISOString(),
    command: options.command,
    machine: machineAtEnd(loadAverage),
    dataset: { database: new URL(options.databaseUrl).pathname.slice(1), claims: options.claims },
    verdictPath,
    load: options.load,
    rounds,
  };
  fs.mkdirSync(options.resultsDir, { recursive: true });
  const file = path.join(options.resultsDir, `${options.stamp}-build.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  say(`\nwritten to ${path.relative(projectRoot, file)}`);
  return report;
}

const fixed = (value: number | undefined, digits = 0) => (value === undefined ? '–' : value.toFixed(digits));

/** A Markdown table: the median of the rounds for each way of running, and the compiled one's change. */
export function renderBuildReport(report: BuildReport): string {
  const values = (runner: Runner, pick: (round: BuildRound) => number | undefined) =>
    report.rounds
      .filter((round) => round.runner === runner)
      .map(pick)
      .filter((value): value is number => value !== undefined);
  const of = (runner: Runner, pick: (round: BuildRound) => number | undefined) =>
    median(values(runner, pick));
  /** The median, then the range over the rounds: on a shared machine the spread matters. */
  const cell = (runner: Runner, pick: (round: BuildRound) => number | undefined, digits: number) => {
    const all = values(runner, pick);
    if (all.length === 0) return '–';
    const range =
      all.length > 1 ? ` (${fixed(Math.min(...all), digits)}–${fixed(Math.max(...all), digits)})` : '';
    return `${fixed(median(all), digits)}${range}`;
  };
  const rows: [string, (round: BuildRound) => number | undefined, number][] = [
    ['start-up to /readyz 200 (ms)', (r) => r.readyMs, 0],
    ['RSS at rest (MiB)', (r) => r.restRssMb, 0],
    ['verdict page, page cache off (requests/s)', (r) => r.requestsPerSecond, 0],
    ['verdict page, page cache off, p99 (ms)', (r) => r.p99Ms, 0],
    ['peak RSS under that load (MiB)', (r) => r.peakRssMb, 0],
  ];
  const perRunner = report.rounds.length / 2;
  const lines = [
    `build part: ${report.dataset.claims} claims, ${report.load.connections} connections, ` +
      `${report.load.durationSeconds} s per run, median of ${perRunner} round(s) each ` +
      `(load average ${report.machine.loadAverage.map((n) => n.toFixed(2)).join(' ')} → ` +
      `${report.machine.loadAverageAtEnd.map((n) => n.toFixed(2)).join(' ')})`,
    '',
    '| measure (median, range) | tsx src/server.ts | node dist/server.js | change of the medians |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const [name, pick, digits] of rows) {
    const tsx = of('tsx', pick);
    const compiled = of('compiled', pick);
    const change =
      tsx !== undefined && compiled !== undefined && tsx !== 0
        ? `${compiled >= tsx ? '+' : ''}${(((compiled - tsx) / tsx) * 100).toFixed(0)} %`
        : '–';
    lines.push(`| ${name} | ${cell('tsx', pick, digits)} | ${cell('compiled', pick, digits)} | ${change} |`);
  }
  const failed = report.rounds.reduce((sum, round) => sum + round.non2xx, 0);
  lines.push('', `non-2xx responses or errors under load: ${failed}`);
  return lines.join('\n');
}
