/**
 * npm run bench [-- --quick] [-- --claims N] …: builds the synthetic dataset, starts the app in production
 * mode in a process of its own, measures each public route with autocannon from this process, and prints
 * and saves the results. See docs/PERFORMANCE.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildBench, renderBuildReport } from './build';
import { prepareDataset } from './dataset';
import { runFinderBench } from './finder';
import { liveBench, renderLiveReport } from './live';
import { type LoadSettings, measureRoute, type RouteResult, type RouteSpec } from './load';
import { machineAtEnd } from './machine';
import { readersBench, renderReadersReport } from './readers';
import {
  type BenchReport,
  checkTargets,
  type MemoryReport,
  renderReport,
  scalingRows,
  writeReport,
} from './report';
import { benchRoutes, deepListPage, listRoutes, sampleDataset } from './routes';
import { type BenchServer, buildIfStale, projectRoot, SERVER_NODE_OPTIONS, startServer } from './server';
import { renderShareImagesReport, shareImagesBench } from './share-images';
import { weigh } from './weight';

const USAGE = `npm run bench -- [options]
  --quick              small datasets (2,000 and 500 claims), 3 s per route, 10 connections: a smoke test
  --claims N           claims in the large dataset (default 100000; other counts scale with it)
  --small-claims N     claims in the small dataset, for the scaling ratio (default 1000)
  --duration S         seconds of measurement per route (default 10)
  --warmup S           seconds of warm-up per route, on the connections then measured, not counted
                       (default 2; --quick: 5 requests per connection instead)
  --connections N      concurrent connections (default 50)
  --deep-pages N       rel="next" links to follow for the deep page of /claims (default 25)
  --search WORD        the /claims?q= search (default banjir)
  --status STATUS      the /claims?status= filter (default broken)
  --gzip               ask for gzip, as browsers do (default: uncompressed responses)
  --fresh              rebuild the datasets even when they are already there
  --only share-images  only the share images' part: first render p50/p99 over distinct claims, and the
                       cached image's requests/s against the static ceiling (on the large dataset)
  --only finder        only the finder's part: a 20,000-word transcript through the finder against the
                       large dataset, and the similar-claim lookup's p50/p99
  --only build         only the build's part: tsx against the compiled server, in turns, on a dataset of
                       its own (database name + _build, 10,000 claims unless --claims): start-up time to
                       /readyz, RSS at rest and at peak under load, the verdict page with the page cache off
  --only live          only the live events' part: 2,000 readers (--quick: 200) on one event's stream
                       while an editor makes 20 changes through the forms; missed, latency p50/p99,
                       RSS with the streams, the event page against the static ceiling (large dataset)
  --only readers       only following by email: 10,000 confirmed followers of one candidate (--quick:
                       1,000) told of one status change through the outbox to an SMTP server on this
                       machine, on a dataset of its own (database name + _readers, 10,000 claims unless
                       --claims): time to the last message accepted, repeats, and the public pages'
                       throughput during the send against without
  --rounds N           rounds of the build's part, each runner once per round (default 3; --quick: 1)
Databases: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench), and the same name with
_small for the small dataset (_build for the build's part, _readers for the readers'). Both are dropped and recreated when their size or the schema changed.`;

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      claims: { type: 'string' },
      'small-claims': { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'deep-pages': { type: 'string' },
      search: { type: 'string', default: 'banjir' },
      status: { type: 'string', default: 'broken' },
      gzip: { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      only: { type: 'string' },
      rounds: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick;
  const number = (value: string | undefined, fallback: number, name: string) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a number`);
    return parsed;
  };
  const claims = Math.round(number(values.claims, quick ? 2_000 : 100_000, 'claims'));
  const connections = Math.round(number(values.connections, quick ? 10 : 50, 'connections'));
  const load: LoadSettings = {
    durationSeconds: number(values.duration, quick ? 3 : 10, 'duration'),
    warmupSeconds: number(values.warmup, quick ? 0 : 2, 'warmup'),
    // A short run warms up by count: autocannon's timed runs end on whole seconds.
    ...(quick && values.warmup === undefined ? { warmupRequests: 5 * connections } : {}),
    connections,
    ...(values.gzip ? { acceptEncoding: 'gzip' } : {}),
  };
  return {
    quick,
    claims,
    smallClaims: Math.min(
      claims,
      Math.round(number(values['small-claims'], quick ? 500 : 1_000, 'small-claims')),
    ),
    load,
    deepPages: Math.round(number(values['deep-pages'], quick ? 5 : 25, 'deep-pages')),
    longTail: quick ? 2_000 : 20_000,
    search: values.search,
    status: values.status,
    fresh: values.fresh,
    only: values.only,
    claimsGiven: values.claims !== undefined,
    rounds: Math.max(1, Math.round(number(values.rounds, quick ? 1 : 3, 'rounds'))),
  };
}

function databaseUrls() {
  const large = new URL(process.env.BENCH_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/bench');
  const small = new URL(large);
  small.pathname = `${large.pathname}_small`;
  const build = new URL(large);
  build.pathname = `${large.pathname}_build`;
  const readers = new URL(large);
  readers.pathname = `${large.pathname}_readers`;
  return {
    large: large.toString(),
    small: small.toString(),
    build: build.toString(),
    readers: readers.toString(),
  };
}

const say = (line: string) => process.stderr.write(`${line}\n`);

function memoryReport(server: BenchServer | undefined): MemoryReport | undefined {
  const memory = server?.memory();
  if (!server || !memory) return undefined;
  const log = fs.existsSync(server.logFile) ? fs.readFileSync(server.logFile, 'utf8') : '';
  return {
    ...memory,
    logFile: path.relative(projectRoot, server.logFile),
    logLines: log.split('\n').filter(Boolean).length,
  };
}

async function measureAll(
  server: BenchServer,
  routes: RouteSpec[],
  load: LoadSettings,
): Promise<RouteResult[]> {
  const results: RouteResult[] = [];
  for (const route of routes) {
    say(`  ${route.name}: ${route.path}`);
    results.push(await measureRoute(server.origin, route, load, () => server.memory()?.rssMb));
  }
  return results;
}

async function main() {
  const opts = options();
  const urls = databaseUrls();
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.join(projectRoot, 'bench/results');
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const loadAverage = os.loadavg();
  const parts = ['finder', 'share-images', 'build', 'live', 'readers'];
  if (opts.only !== undefined && !parts.includes(opts.only)) {
    throw new Error(`--only knows share-images, finder, build, live and readers, not ${opts.only}`);
  }
  // Every part runs the server as production does: compiled (the build part runs tsx too).
  buildIfStale();
  if (opts.only === 'build') {
    const report = await buildBench({
      databaseUrl: urls.build,
      claims: opts.claimsGiven ? opts.claims : 10_000,
      rounds: opts.rounds,
      load: opts.load,
      fresh: opts.fresh,
      command,
      resultsDir,
      stamp,
      say,
    });
    process.stdout.write(`\n${renderBuildReport(report)}\n`);
    if (report.rounds.some((round) => round.non2xx > 0)) process.exitCode = 1;
    return;
  }
  if (opts.only === 'live') {
    const live = await liveBench({
      databaseUrl: urls.large,
      claims: opts.claims,
      readers: opts.quick ? 200 : 2_000,
      changes: 20,
      load: opts.load,
      fresh: opts.fresh,
      command,
      say,
    });
    process.stdout.write(`\n${renderLiveReport(live)}\n`);
    const pages = [live.pages.cached, live.pages.uncached, ...live.pages.staticCeiling];
    if (live.readers.missed > 0 || pages.some((r) => (r.errors ?? 0) > 0 || (r.non2xx ?? 0) > 0))
      process.exitCode = 1;
    return;
  }
  if (opts.only === 'readers') {
    const report = await readersBench({
      databaseUrl: urls.readers,
      claims: opts.claimsGiven ? opts.claims : 10_000,
      followers: opts.quick ? 1_000 : 10_000,
      load: opts.load,
      fresh: opts.fresh,
      command,
      resultsDir,
      stamp,
      say,
    });
    process.stdout.write(`\n${renderReadersReport(report)}\n`);
    if (report.targets.some((target) => !target.met)) process.exitCode = 1;
    return;
  }
  if (opts.only === 'share-images') {
    const shares = await shareImagesBench({
      databaseUrl: urls.large,
      claims: opts.claims,
      firstRenders: opts.quick ? 20 : 100,
      load: opts.load,
      fresh: opts.fresh,
      command,
      say,
    });
    process.stdout.write(`\n${renderShareImagesReport(shares)}\n`);
    if (shares.firstRender.statuses.some((status) => status !== 200)) process.exitCode = 1;
    return;
  }

  say(`dataset: ${opts.claims} claims on ${new URL(urls.large).pathname.slice(1)}`);
  const large = await prepareDataset(urls.large, opts.claims, {
    fresh: opts.fresh,
    log: (s) => say(`  ${s}`),
  });
  say(`  ${large.generated ? `generated in ${large.seconds.toFixed(1)} s` : 'already there, reused'}`);
  if (opts.only === 'finder') {
    await finderPart(urls.large, opts.claims, { command, stamp, resultsDir, quick: opts.quick });
    return;
  }
  say(`dataset: ${opts.smallClaims} claims on ${new URL(urls.small).pathname.slice(1)}`);
  const small = await prepareDataset(urls.small, opts.smallClaims, { fresh: opts.fresh });
  say(`  ${small.generated ? `generated in ${small.seconds.toFixed(1)} s` : 'already there, reused'}`);
  const sample = await sampleDataset(urls.large, opts.longTail);

  let largeServer: BenchServer | undefined;
  let smallServer: BenchServer | undefined;
  let uncachedServer: BenchServer | undefined;
  let report: BenchReport;
  try {
    // All start together (the others then wait idle), so start-up time is paid once. The third runs
    // with PAGE_CACHE=off, for the verdict page rendered on every request.
    say(
      'starting the compiled app three times (production mode, separate processes; one with the page cache off)',
    );
    [largeServer, smallServer, uncachedServer] = await Promise.all([
      startServer({ databaseUrl: urls.large, logFile: path.join(resultsDir, `${stamp}-server-large.log`) }),
      startServer({ databaseUrl: urls.small, logFile: path.join(resultsDir, `${stamp}-server-small.log`) }),
      startServer({
        databaseUrl: urls.large,
        logFile: path.join(resultsDir, `${stamp}-server-uncached.log`),
        pageCache: false,
      }),
    ]);
    const { routes, deepDepth } = await benchRoutes(largeServer.origin, sample, opts);
    const smallDeep = await deepListPage(smallServer.origin, '/claims', opts.deepPages);

    say(`measuring at ${opts.claims} claims`);
    // The ceiling is measured first and, in a full run, last as well: the machine is shared, and the
    // ratios use the mean of both.
    const again = opts.quick ? [] : [{ ...routes.staticCeiling, name: 'static ceiling, again' }];
    const [verdict, ...otherPages] = routes.pages;
    const measured = [
      ...(await measureAll(largeServer, [routes.staticCeiling, verdict!], opts.load)),
      // The same page, rendered for every request: a first view, as of a long-tail claim.
      ...(await measureAll(
        uncachedServer,
        [{ ...verdict!, name: 'verdict page, page cache off' }],
        opts.load,
      )),
      ...(await measureAll(largeServer, [...otherPages, ...routes.lists, ...again], opts.load)),
    ];
    const ceilings = measured.filter((r) => r.name.startsWith('static ceiling') && r.requestsPerSecond);
    const ceiling = ceilings.reduce((sum, r) => sum + r.requestsPerSecond!, 0) / (ceilings.length || 1);
    for (const r of measured)
      if (r.requestsPerSecond && ceiling) r.ratioToStatic = r.requestsPerSecond / ceiling;

    const html = await weigh(largeServer.origin, `/claims/${sample.verdictSlug}`);
    const page = await (await fetch(`${largeServer.origin}/claims/${sample.verdictSlug}`)).text();
    const stylesheets = [...page.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    const css = await Promise.all(stylesheets.map((href) => weigh(largeServer!.origin, href)));

    say(`measuring the list and search routes at ${opts.smallClaims} claims`);
    const smallResults = await measureAll(smallServer, listRoutes(opts, smallDeep?.path), opts.load);
    const listNames = new Set(routes.lists.map((r) => r.name));

    report = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command,
      machine: { ...machineAtEnd(loadAverage), platform: `${os.platform()} ${os.release()}` },
      settings: {
        ...opts.load,
        quick: opts.quick,
        deepPages: opts.deepPages,
        search: opts.search,
        status: opts.status,
        nodeOptions: SERVER_NODE_OPTIONS,
      },
      dataset: {
        large: {
          ...large.size,
          database: new URL(urls.large).pathname.slice(1),
          generated: large.generated,
          seconds: large.seconds,
        },
        small: {
          ...small.size,
          database: new URL(urls.small).pathname.slice(1),
          generated: small.generated,
          seconds: small.seconds,
        },
        verdictSlug: sample.verdictSlug,
        electionSlug: sample.electionSlug,
        deepDepth: { large: deepDepth, small: smallDeep?.depth ?? 0 },
      },
      routes: measured,
      small: smallResults,
      scaling: scalingRows(
        measured.filter((r) => listNames.has(r.name)),
        smallResults,
      ),
      server: {
        large: memoryReport(largeServer),
        small: memoryReport(smallServer),
        uncached: memoryReport(uncachedServer),
      },
      weight: { html, css },
    };
    report.targets = checkTargets(report);
  } finally {
    await Promise.all([largeServer?.stop(), smallServer?.stop(), uncachedServer?.stop()]);
  }

  process.stdout.write(`\n${renderReport(report)}\n`);
  const file = writeReport(resultsDir, report);
  say(`\nwritten to ${path.relative(projectRoot, file)} and bench/results/latest.json`);

  const failed = [...report.routes, ...report.small].filter(
    (r) => (r.errors ?? 0) > 0 || (r.non2xx ?? 0) > 0,
  );
  if (failed.length > 0) {
    say(`errors or non-2xx responses under load: ${failed.map((r) => r.name).join(', ')}`);
    process.exitCode = 1;
  }
}

/** `--only finder`: the finder's analysis and lookup, printed and saved beside the other results. */
async function finderPart(
  databaseUrl: string,
  claims: number,
  run: { command: string; stamp: string; resultsDir: string; quick: boolean },
) {
  const loadAverage = os.loadavg();
  const result = await runFinderBench(databaseUrl, {
    runs: run.quick ? 2 : 5,
    lookups: run.quick ? 100 : 500,
    log: (line) => say(`  ${line}`),
  });
  const sorted = [...result.analysisMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const worst = sorted.at(-1) ?? 0;
  const lines = [
    `finder at ${claims} claims (load average ${loadAverage.map((n) => n.toFixed(2)).join(' ')})`,
    `  transcript: ${result.words} words, ${result.found} suggestions found, the best ${result.suggestions} kept (${result.withDuplicates} with duplicates), ${result.lookupTexts} texts looked up`,
    `  whole analysis, ${sorted.length} runs: median ${median.toFixed(0)} ms, worst ${worst.toFixed(0)} ms (target ≤ 2000 ms: ${worst <= 2000 ? 'met' : 'MISSED'})`,
    `  lookup, ${result.lookup.count} texts one per query: p50 ${result.lookup.p50.toFixed(1)} ms, p99 ${result.lookup.p99.toFixed(1)} ms, max ${result.lookup.max.toFixed(1)} ms (target p99 ≤ 50 ms: ${result.lookup.p99 <= 50 ? 'met' : 'MISSED'})`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  fs.mkdirSync(run.resultsDir, { recursive: true });
  const file = path.join(run.resultsDir, `${run.stamp}-finder.json`);
  fs.writeFileSync(
    file,
    `${JSON.stringify({ command: run.command, claims, loadAverage, loadAverageAtEnd: os.loadavg(), ...result }, null, 2)}\n`,
  );
  say(`\nwritten to ${path.relative(projectRoot, file)}`);
  if (worst > 2000 || result.lookup.p99 > 50) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(
    `benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
