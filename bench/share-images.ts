import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareDataset } from './dataset';
import { type LoadSettings, measureRoute, type RouteResult } from './load';
import { type Machine, machineAtEnd, machineLine, percentile } from './machine';
import { sampleDataset } from './routes';
import { projectRoot, startServer } from './server';

/**
 * The share images' part of the benchmark (`npm run bench -- --only share-images`): how long a share
 * image takes to draw the first time (distinct claims, one request at a time, on an otherwise idle
 * server), and how many a second the page cache answers once drawn, against the static ceiling of
 * the same image's bytes (and, for comparison, the verdict page's).
 */
export const SHARE_TARGETS = { firstRenderP50Ms: 150, cachedRatio: 0.8, maxBytes: 300 * 1024 };

export interface ShareImagesReport {
  startedAt: string;
  command: string;
  machine: Machine;
  dataset: { database: string; claims: number };
  firstRender: {
    count: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    maxBytes: number;
    statuses: number[];
  };
  /** The very first image the process draws (modules, font files and templates loaded then). */
  coldStartMs: number;
  cached: RouteResult;
  /** The share image's own bytes, sent from memory behind the same middleware: the target's ceiling. */
  staticCeiling: RouteResult[];
  ratioToStatic: number | undefined;
  /** The verdict page's ceiling, for comparison with the pages' figures. */
  pageCeiling: RouteResult[];
  ratioToPage: number | undefined;
  targets: { name: string; value: string; met: boolean }[];
}

async function timedFetch(url: string): Promise<{ ms: number; status: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  return { ms: performance.now() - started, status: response.status, bytes: body.length };
}

export async function shareImagesBench(input: {
  databaseUrl: string;
  claims: number;
  firstRenders: number;
  load: LoadSettings;
  fresh: boolean;
  command: string;
  say: (line: string) => void;
}): Promise<ShareImagesReport> {
  const { say } = input;
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.join(projectRoot, 'bench/results');
  const loadAverage = os.loadavg();
  say(`dataset: ${input.claims} claims on ${new URL(input.databaseUrl).pathname.slice(1)}`);
  await prepareDataset(input.databaseUrl, input.claims, { fresh: input.fresh, log: (s) => say(`  ${s}`) });
  const sample = await sampleDataset(input.databaseUrl, input.firstRenders + 1);
  const server = await startServer({
    databaseUrl: input.databaseUrl,
    logFile: path.join(resultsDir, `${stamp}-server-share-images.log`),
  });
  try {
    const [first, ...rest] = sample.longTail;
    const cold = await timedFetch(`${server.origin}/claims/${first}/share.png`);
    say(`first share image of the process: ${cold.ms.toFixed(0)} ms`);
    const times: number[] = [];
    const statuses = new Set<number>();
    let maxBytes = cold.bytes;
    for (const slug of rest) {
      const result = await timedFetch(`${server.origin}/claims/${slug}/share.png`);
      times.push(result.ms);
      statuses.add(result.status);
      maxBytes = Math.max(maxBytes, result.bytes);
    }
    times.sort((a, b) => a - b);
    say(`first renders of ${times.length} share images: p50 ${percentile(times, 50).toFixed(0)} ms`);

    // Two ceilings: the share image's own bytes sent from memory (what serving a 60 KB picture costs
    // whatever the cache does: the target's), and the verdict page's (the ceiling every page is held to).
    const imageCeiling = {
      name: 'static ceiling, the image',
      path: `/__bench/static/${sample.verdictSlug}/share.png`,
    };
    const pageCeiling = {
      name: 'static ceiling, the verdict page',
      path: `/__bench/static/${sample.verdictSlug}`,
    };
    const imagePath = `/claims/${sample.verdictSlug}/share.png`;
    await timedFetch(`${server.origin}${imagePath}`);
    const ceilings = [await measureRoute(server.origin, imageCeiling, input.load)];
    const pageCeilings = [await measureRoute(server.origin, pageCeiling, input.load)];
    const cached = await measureRoute(
      server.origin,
      { name: 'share image, cached', path: imagePath },
      input.load,
    );
    ceilings.push(
      await measureRoute(server.origin, { ...imageCeiling, name: `${imageCeiling.name}, again` }, input.load),
    );
    pageCeilings.push(
      await measureRoute(server.origin, { ...pageCeiling, name: `${pageCeiling.name}, again` }, input.load),
    );
    const mean = (runs: RouteResult[]) => {
      const measured = runs.filter((r) => r.requestsPerSecond);
      return measured.reduce((sum, r) => sum + r.requestsPerSecond!, 0) / (measured.length || 1);
    };
    const ratioTo = (runs: RouteResult[]) => {
      const ceiling = mean(runs);
      return cached.requestsPerSecond && ceiling ? cached.requestsPerSecond / ceiling : undefined;
    };
    const ratioToStatic = ratioTo(ceilings);
    const ratioToPage = ratioTo(pageCeilings);
    const firstRender = {
      count: times.length,
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
      maxMs: times[times.length - 1] ?? 0,
      maxBytes,
      statuses: [...statuses],
    };
    const report: ShareImagesReport = {
      startedAt: startedAt.toISOString(),
      command: input.command,
      machine: machineAtEnd(loadAverage),
      dataset: { database: new URL(input.databaseUrl).pathname.slice(1), claims: input.claims },
      firstRender,
      coldStartMs: cold.ms,
      cached,
      staticCeiling: ceilings,
      ratioToStatic,
      pageCeiling: pageCeilings,
      ratioToPage,
      targets: [
        {
          name: `share image first render p50 ≤ ${SHARE_TARGETS.firstRenderP50Ms} ms`,
          value: `${firstRender.p50Ms.toFixed(0)} ms (p99 ${firstRender.p99Ms.toFixed(0)} ms)`,
          met: firstRender.p50Ms <= SHARE_TARGETS.firstRenderP50Ms,
        },
        {
          name: `cached share image ≥ ${SHARE_TARGETS.cachedRatio} of the static ceiling (its own bytes)`,
          value: ratioToStatic === undefined ? 'not measured' : ratioToStatic.toFixed(2),
          met: (ratioToStatic ?? 0) >= SHARE_TARGETS.cachedRatio,
        },
        {
          name: 'share image PNG ≤ 300 KB',
          value: `${(maxBytes / 1024).toFixed(0)} KB (largest)`,
          met: maxBytes <= SHARE_TARGETS.maxBytes,
        },
      ],
    };
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(
      path.join(resultsDir, `${stamp}-share-images.json`),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    return report;
  } finally {
    await server.stop();
  }
}

export function renderShareImagesReport(report: ShareImagesReport): string {
  const rps = (r: RouteResult) => (r.requestsPerSecond ? r.requestsPerSecond.toFixed(0) : '—');
  const lines = [
    `# Share images (${report.command}, ${report.startedAt})`,
    '',
    machineLine(report.machine),
    `first render (${report.firstRender.count} distinct claims, one at a time): p50 ${report.firstRender.p50Ms.toFixed(0)} ms, p99 ${report.firstRender.p99Ms.toFixed(0)} ms, max ${report.firstRender.maxMs.toFixed(0)} ms; statuses ${report.firstRender.statuses.join(', ')}; the process's first image ${report.coldStartMs.toFixed(0)} ms`,
    `cached: ${rps(report.cached)} req/s (p99 ${report.cached.latencyMs?.p99 ?? '—'} ms); static ceiling of the image's bytes ${report.staticCeiling.map(rps).join(' and ')} req/s, ratio ${report.ratioToStatic?.toFixed(2) ?? '—'}; of the verdict page ${report.pageCeiling.map(rps).join(' and ')} req/s, ratio ${report.ratioToPage?.toFixed(2) ?? '—'}`,
    '',
    '| target | measured | met |',
    '| --- | --- | --- |',
    ...report.targets.map((t) => `| ${t.name} | ${t.value} | ${t.met ? 'yes' : 'no'} |`),
  ];
  return lines.join('\n');
}
