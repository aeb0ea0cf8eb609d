/**
 * The live events' part of the benchmark (`npm run bench -- --only live`): 2,000 readers hold one live
 * event's stream open on one server process while an editor, signed in, makes 20 changes through the
 * real forms over HTTP (10 publications of claims in review, 10 status changes with evidence, each with
 * its CSRF token and the claim's version, as a browser sends them). Measured: the readers that received
 * every change, the latency from the change to each reader's receipt, the server's RSS before and with
 * the streams, and the event page's requests/s against the static ceiling with and without the page cache.
 *
 * When a change is committed: the app answers a form after its transaction has committed (and after it
 * saved the flash message in the session), so the commit lies between the moment the editor's client
 * sent the form and the moment it received the answer. The latency is given from both: from the answer
 * (the commit time this part takes, as the issue defines it; a little short of the truth) and from the
 * sending (an upper bound, which also holds the form's own work). The target is checked on the upper bound.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { hashPassword } from '../src/lib/passwords';
import { prepareDataset } from './dataset';
import { type LoadSettings, measureRoute, type RouteResult } from './load';
import { type Machine, machineAtEnd, machineLine, percentile } from './machine';
import { firstContest } from './routes';
import { type BenchServer, projectRoot, startServer } from './server';

export const LIVE_TARGETS = { missed: 0, p99Ms: 1_000, rssGrowthMb: 80, cachedRatio: 0.8 };

const EVENT_SLUG = 'debat-langsung-bench';
const EDITOR_EMAIL = 'editor-langsung@bench.example';
/** Claims of the event published before the run, rated during it; each has a piece of evidence. */
const PUBLISHED = 20;
/**
 * Statement statuses a change moves between (none of them asks for a reason). Not half-true: the main
 * part picks its verdict page by the count of half-true claims (bench/routes.ts).
 */
const RATINGS = ['true', 'mostly_true', 'misleading', 'false'] as const;

export interface LiveReport {
  startedAt: string;
  command: string;
  machine: Machine;
  dataset: { database: string; claims: number; event: string; eventClaims: number };
  settings: LoadSettings & { readers: number; changes: number; streamsPerIp: number; heartbeatMs: number };
  readers: {
    connected: number;
    connectSeconds: number;
    /** Readers that received every change. */
    complete: number;
    missed: number;
    /** Streams that ended or failed before the run was over. */
    dropped: number;
  };
  changes: { kind: 'publish' | 'status'; claimId: number; formMs: number; status: number }[];
  latencyMs: {
    fromAnswer: { p50: number; p99: number; max: number };
    fromSending: { p50: number; p99: number; max: number };
    samples: number;
  };
  /** The server's resident memory (VmRSS), MiB. */
  rssMb: { before: number; withStreams: number; afterChanges: number; peak: number; growth: number };
  /** CPU the server and this process used while the changes were made, in seconds. */
  cpuSeconds: { server: number; client: number; changesSeconds: number };
  pages: {
    staticCeiling: RouteResult[];
    cached: RouteResult;
    uncached: RouteResult;
    ratioCached: number | undefined;
    ratioUncached: number | undefined;
  };
  targets: { name: string; value: string; met: boolean }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A live event of the dataset's first election with PUBLISHED rated-able claims, and claims to publish. */
async function setUpEvent(db: Knex, toPublish: number) {
  const contest = await firstContest(db);
  const election = { election_id: contest.electionId };
  const candidates = contest.candidates.map((c) => c.id);
  let event = await db('events').where({ slug: EVENT_SLUG }).first();
  if (!event) {
    [event] = await db('events')
      .insert({
        slug: EVENT_SLUG,
        election_id: election.election_id,
        kind: 'debate',
        name: 'Debat langsung Pilkada Kota Fiktif (benchmark)',
        held_on: '2024-11-04',
        starts_at: '19:00:00',
        place: 'Gedung Serbaguna Kota Fiktif',
      })
      .returning('*');
  }
  if (event.live_state !== 'live') {
    await db('events')
      .where({ id: event.id })
      .update({ live_state: 'live', live_started_at: db.fn.now(), version: db.raw('version + 1') });
  }
  const claim = (n: number, extra: Record<string, unknown>) => ({
    election_id: election.election_id,
    candidate_id: candidates[n % candidates.length],
    kind: 'statement',
    status: 'unverified',
    said_on: '2024-11-04',
    event_id: event.id,
    moment: `${String(Math.floor(n / 60) % 24).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00`,
    ...extra,
  });
  const published = await db('claims').where({ event_id: event.id, workflow_state: 'published' }).count();
  for (let n = Number(published[0]!.count); n < PUBLISHED; n += 1) {
    const [row] = await db('claims')
      .insert(
        claim(n, {
          slug: `klaim-debat-langsung-${n}`,
          title: `Pernyataan ke-${n + 1} dalam debat langsung`,
          quote: `Kutipan ke-${n + 1} yang diucapkan dalam debat langsung benchmark.`,
          workflow_state: 'published',
          published_at: db.fn.now(),
        }),
      )
      .returning('id');
    await db('evidence').insert({
      claim_id: row.id,
      url: `https://berita.contoh.example/debat-langsung/${n}`,
      title: `Data pembanding pernyataan ke-${n + 1}`,
      publisher: 'Harian Fiktif',
      published_on: '2024-11-05',
      stance: 'supports',
    });
  }
  // The claims the editor publishes: the same ones every run, put back in review here (by SQL: the app
  // never unpublishes), so that the event page and the dataset stay the same size from run to run.
  await db('claims')
    .where({ event_id: event.id })
    .whereRaw(`slug NOT LIKE 'klaim-debat-langsung-%'`)
    .whereNot({ workflow_state: 'in_review' })
    .update({ workflow_state: 'in_review', published_at: null, version: db.raw('version + 1') });
  const drafts: number[] = (
    await db('claims')
      .where({ event_id: event.id, workflow_state: 'in_review' })
      .orderBy('id')
      .limit(toPublish)
      .pluck('id')
  ).map(Number);
  for (let n = drafts.length; n < toPublish; n += 1) {
    const [row] = await db('claims')
      .insert(
        claim(PUBLISHED + n, {
          slug: `klaim-baru-debat-langsung-${n}`,
          title: `Klaim baru ke-${n + 1} dalam debat langsung`,
          quote: `Kutipan baru ke-${n + 1} dalam debat langsung benchmark.`,
          workflow_state: 'in_review',
        }),
      )
      .returning('id');
    drafts.push(row.id);
  }
  const rated: { id: number; status: string }[] = await db('claims')
    .select('id', 'status')
    .where({ event_id: event.id, workflow_state: 'published', kind: 'statement' })
    .whereLike('slug', 'klaim-debat-langsung-%')
    .orderBy('id')
    .limit(toPublish);
  const password = randomBytes(18).toString('base64url');
  const password_hash = await hashPassword(password);
  const editor = await db('users').where({ email: EDITOR_EMAIL }).first();
  if (editor)
    await db('users').where({ id: editor.id }).update({ password_hash, active: true, role: 'editor' });
  else
    await db('users').insert({
      email: EDITOR_EMAIL,
      display_name: 'Editor Benchmark',
      role: 'editor',
      password_hash,
    });
  const last = await db('event_updates').where({ event_id: event.id }).max('id as id').first();
  const eventClaims = await db('claims').where({ event_id: event.id }).count();
  return {
    event: event as { id: number; slug: string },
    drafts,
    rated,
    password,
    lastUpdateId: Number(last?.id ?? 0),
    eventClaims: Number(eventClaims[0]!.count),
  };
}

// --- the editor's browser, as far as the forms need one: cookies, forms sent as a browser sends them ---

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function editorClient(origin: string) {
  const cookies = new Map<string, string>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (method: 'GET' | 'POST', pathname: string, form?: Record<string, string>): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const body = form ? new URLSearchParams(form).toString() : undefined;
      const req = http.request(
        `${origin}${pathname}`,
        {
          method,
          agent,
          headers: {
            // The app runs as in production, behind a TLS proxy: its cookies are Secure.
            'X-Forwarded-Proto': 'https',
            Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(body
              ? {
                  'Content-Type': 'application/x-www-form-urlencoded',
                  'Content-Length': Buffer.byteLength(body),
                }
              : {}),
          },
        },
        (res) => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair] = line.split(';');
            const at = pair!.indexOf('=');
            cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
          }
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

function field(html: string, name: string, after = 0): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html.slice(after));
  if (!match) throw new Error(`no ${name} field in the form`);
  return match[1]!.replaceAll('&#34;', '"').replaceAll('&amp;', '&');
}

// --- the readers: plain sockets, SSE frames parsed by hand (only the id and the event name are read) ---

interface Reader {
  /** Update id → when it arrived (performance.now()). */
  got: Map<number, number>;
  open: boolean;
  buffer: string;
}

function openReaders(
  url: string,
  count: number,
  agent: http.Agent,
): Promise<{ readers: Reader[]; failed: number; seconds: number }> {
  const started = performance.now();
  const readers: Reader[] = [];
  let failed = 0;
  const openOne = () =>
    new Promise<void>((resolve) => {
      const reader: Reader = { got: new Map(), open: false, buffer: '' };
      const req = http.get(url, { agent, headers: { Accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          failed += 1;
          res.resume();
          resolve();
          return;
        }
        reader.open = true;
        readers.push(reader);
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => {
          const now = performance.now();
          let text = reader.buffer + chunk;
          let cut = text.indexOf('\n\n');
          while (cut >= 0) {
            // `id: N\nevent: claim\n…`: a change. The rest (retry, heartbeats, empty ids) is skipped.
            if (text.startsWith('id: ')) {
              const nl = text.indexOf('\n');
              if (text.startsWith('event: claim', nl + 1)) reader.got.set(Number(text.slice(4, nl)), now);
            }
            text = text.slice(cut + 2);
            cut = text.indexOf('\n\n');
          }
          reader.buffer = text;
        });
        const closed = () => {
          reader.open = false;
        };
        res.on('end', closed);
        res.on('close', closed);
        resolve();
      });
      req.on('error', () => {
        failed += 1;
        reader.open = false;
        resolve();
      });
    });
  return (async () => {
    // In batches, as readers arrive over a few seconds rather than in one instant.
    for (let i = 0; i < count; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, count - i) }, openOne));
    }
    return { readers, failed, seconds: (performance.now() - started) / 1000 };
  })();
}

/** Server process CPU (user + system) in seconds, from /proc. */
function serverCpu(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export async function liveBench(input: {
  databaseUrl: string;
  claims: number;
  readers: number;
  changes: number;
  load: LoadSettings;
  fresh: boolean;
  command: string;
  say: (line: string) => void;
}): Promise<LiveReport> {
  const { say } = input;
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.join(projectRoot, 'bench/results');
  const loadAverage = os.loadavg();
  say(`dataset: ${input.claims} claims on ${new URL(input.databaseUrl).pathname.slice(1)}`);
  await prepareDataset(input.databaseUrl, input.claims, { fresh: input.fresh, log: (s) => say(`  ${s}`) });
  const db = knex({ client: 'pg', connection: input.databaseUrl, pool: { min: 0, max: 2 } });
  const publishes = Math.ceil(input.changes / 2);
  const setup = await setUpEvent(db, publishes);
  say(`event /events/${setup.event.slug}: live, ${setup.eventClaims} claims; ${publishes} to publish`);

  // One process holds every stream: the per-address cap (8 by default) is raised to let 127.0.0.1 hold them.
  const streamsPerIp = input.readers + 50;
  const heartbeatMs = 15_000;
  let server: BenchServer | undefined;
  let uncached: BenchServer | undefined;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  try {
    say('starting the compiled app twice (production mode; the second with the page cache off)');
    [server, uncached] = await Promise.all([
      startServer({
        databaseUrl: input.databaseUrl,
        logFile: path.join(resultsDir, `${stamp}-server-live.log`),
        env: { EVENT_STREAMS_PER_IP: String(streamsPerIp), EVENT_STREAM_HEARTBEAT_MS: String(heartbeatMs) },
      }),
      startServer({
        databaseUrl: input.databaseUrl,
        logFile: path.join(resultsDir, `${stamp}-server-live-uncached.log`),
        pageCache: false,
      }),
    ]);
    const origin = server.origin;
    const pagePath = `/events/${setup.event.slug}`;

    // The editor signs in through the login form, then opens each form once (templates compiled).
    const editor = editorClient(origin);
    const login = await editor.send('GET', '/login');
    const signedIn = await editor.send('POST', '/login', {
      _csrf: field(login.body, '_csrf'),
      email: EDITOR_EMAIL,
      password: setup.password,
    });
    if (signedIn.status !== 303) throw new Error(`signing in answered ${signedIn.status}`);
    await editor.send('GET', `/newsroom/claims/${setup.drafts[0]}`);
    await editor.send('GET', `/newsroom/claims/${setup.rated[0]!.id}/status`);
    for (let i = 0; i < 20; i += 1) await (await fetch(`${origin}${pagePath}`)).arrayBuffer();
    await sleep(1_000);
    const rssBefore = server.memory()?.rssMb ?? Number.NaN;

    say(`opening ${input.readers} streams`);
    const streamUrl = `${origin}${pagePath}/stream?lang=id&last_id=${setup.lastUpdateId}`;
    const opened = await openReaders(streamUrl, input.readers, agent);
    if (opened.failed > 0)
      throw new Error(`${opened.failed} of ${input.readers} streams were refused or failed`);
    say(`  ${opened.readers.length} open in ${opened.seconds.toFixed(1)} s`);
    await sleep(2_000);
    const rssWithStreams = server.memory()?.rssMb ?? Number.NaN;

    // The changes, one after another, each once every reader has the one before (or 10 s have passed).
    const changes: LiveReport['changes'] = [];
    const fromAnswer: number[] = [];
    const fromSending: number[] = [];
    let missedAny = new Set<Reader>();
    const cpuBefore = { server: serverCpu(server.pid), client: process.cpuUsage() };
    const changesStarted = performance.now();
    let lastId = setup.lastUpdateId;
    for (let i = 0; i < input.changes; i += 1) {
      const publish = i % 2 === 0 && setup.drafts.length > i / 2;
      let claimId: number;
      let answer: Answer;
      let sentAt: number;
      if (publish) {
        claimId = setup.drafts[i / 2]!;
        const page = await editor.send('GET', `/newsroom/claims/${claimId}`);
        const form = page.body.indexOf(`action="/newsroom/claims/${claimId}/publish"`);
        if (form < 0) throw new Error(`claim ${claimId} has no publish form`);
        const body = { _csrf: field(page.body, '_csrf', form), version: field(page.body, 'version', form) };
        sentAt = performance.now();
        answer = await editor.send('POST', `/newsroom/claims/${claimId}/publish`, body);
      } else {
        const target = setup.rated[Math.floor(i / 2)]!;
        claimId = target.id;
        const page = await editor.send('GET', `/newsroom/claims/${claimId}/status`);
        const current = await db('claims').where({ id: claimId }).first('status');
        const status = RATINGS.find((s) => s !== current.status)!;
        const form = page.body.indexOf(`action="/newsroom/claims/${claimId}/status"`);
        const body = {
          _csrf: field(page.body, '_csrf', form),
          version: field(page.body, 'version', form),
          status,
          note: `Dinilai ulang dalam benchmark ${stamp}, perubahan ke-${i + 1}.`,
          evidence_ids: field(page.body, 'evidence_ids', form),
        };
        sentAt = performance.now();
        answer = await editor.send('POST', `/newsroom/claims/${claimId}/status`, body);
      }
      const answeredAt = performance.now();
      changes.push({
        kind: publish ? 'publish' : 'status',
        claimId,
        formMs: answeredAt - sentAt,
        status: answer.status,
      });
      if (answer.status !== 303)
        throw new Error(`change ${i + 1} (${publish ? 'publish' : 'status'}) answered ${answer.status}`);
      const ids: number[] = (
        await db('event_updates')
          .where({ event_id: setup.event.id, claim_id: claimId })
          .where('id', '>', lastId)
          .pluck('id')
      ).map(Number);
      if (ids.length === 0) throw new Error(`change ${i + 1} wrote no event update`);
      lastId = Math.max(lastId, ...ids);
      const receipt = (reader: Reader) => {
        let first = Number.POSITIVE_INFINITY;
        for (const id of ids) first = Math.min(first, reader.got.get(id) ?? Number.POSITIVE_INFINITY);
        return first;
      };
      const deadline = performance.now() + 10_000;
      let waiting = opened.readers;
      while (waiting.length > 0 && performance.now() < deadline) {
        waiting = waiting.filter((r) => receipt(r) === Number.POSITIVE_INFINITY);
        if (waiting.length > 0) await sleep(10);
      }
      for (const reader of opened.readers) {
        const at = receipt(reader);
        if (at === Number.POSITIVE_INFINITY) continue;
        fromAnswer.push(at - answeredAt);
        fromSending.push(at - sentAt);
      }
      missedAny = new Set([...missedAny, ...waiting]);
      say(
        `  change ${i + 1} (${publish ? 'publish' : 'status'}, claim ${claimId}): form ${(answeredAt - sentAt).toFixed(0)} ms, ${opened.readers.length - waiting.length} readers have it`,
      );
      await sleep(200);
    }
    const changesSeconds = (performance.now() - changesStarted) / 1000;
    const client = process.cpuUsage(cpuBefore.client);
    const cpuSeconds = {
      server: serverCpu(server.pid) - cpuBefore.server,
      client: (client.user + client.system) / 1e6,
      changesSeconds,
    };
    const rssAfterChanges = server.memory()?.rssMb ?? Number.NaN;
    const dropped = opened.readers.filter((r) => !r.open).length;
    agent.destroy();
    editor.close();
    await sleep(1_000);

    say('the event page against the static ceiling');
    const ceilingRoute = {
      name: 'static ceiling, the event page',
      path: `/__bench/static/events/${setup.event.slug}`,
    };
    const ceilings = [await measureRoute(origin, ceilingRoute, input.load)];
    const cached = await measureRoute(origin, { name: 'event page', path: pagePath }, input.load);
    const uncachedPage = await measureRoute(
      uncached.origin,
      { name: 'event page, page cache off', path: pagePath },
      input.load,
    );
    ceilings.push(
      await measureRoute(origin, { ...ceilingRoute, name: `${ceilingRoute.name}, again` }, input.load),
    );
    const measured = ceilings.filter((r) => r.requestsPerSecond);
    const ceiling = measured.reduce((sum, r) => sum + r.requestsPerSecond!, 0) / (measured.length || 1);
    const ratio = (r: RouteResult) =>
      r.requestsPerSecond && ceiling ? r.requestsPerSecond / ceiling : undefined;
    cached.ratioToStatic = ratio(cached);
    uncachedPage.ratioToStatic = ratio(uncachedPage);

    fromAnswer.sort((a, b) => a - b);
    fromSending.sort((a, b) => a - b);
    const spread = (sorted: number[]) => ({
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? 0,
    });
    const missed = missedAny.size;
    const growth = rssWithStreams - rssBefore;
    const report: LiveReport = {
      startedAt: startedAt.toISOString(),
      command: input.command,
      machine: machineAtEnd(loadAverage),
      dataset: {
        database: new URL(input.databaseUrl).pathname.slice(1),
        claims: input.claims,
        event: setup.event.slug,
        eventClaims: setup.eventClaims,
      },
      settings: { ...input.load, readers: input.readers, changes: input.changes, streamsPerIp, heartbeatMs },
      readers: {
        connected: opened.readers.length,
        connectSeconds: opened.seconds,
        complete: opened.readers.length - missed,
        missed,
        dropped,
      },
      changes,
      latencyMs: {
        fromAnswer: spread(fromAnswer),
        fromSending: spread(fromSending),
        samples: fromAnswer.length,
      },
      rssMb: {
        before: rssBefore,
        withStreams: rssWithStreams,
        afterChanges: rssAfterChanges,
        peak: server.memory()?.peakRssMb ?? Number.NaN,
        growth,
      },
      cpuSeconds,
      pages: {
        staticCeiling: ceilings,
        cached,
        uncached: uncachedPage,
        ratioCached: cached.ratioToStatic,
        ratioUncached: uncachedPage.ratioToStatic,
      },
      targets: [
        {
          name: 'readers that missed a change: 0',
          value: `${missed} of ${opened.readers.length} (${dropped} streams dropped)`,
          met: missed === LIVE_TARGETS.missed && dropped === 0,
        },
        {
          name: `latency p99 ≤ ${LIVE_TARGETS.p99Ms} ms (from the form's sending)`,
          value: `${spread(fromSending).p99.toFixed(0)} ms (p50 ${spread(fromSending).p50.toFixed(0)} ms)`,
          met: spread(fromSending).p99 <= LIVE_TARGETS.p99Ms,
        },
        {
          name: `RSS growth ≤ ${LIVE_TARGETS.rssGrowthMb} MB for ${input.readers} streams`,
          value: `${growth.toFixed(1)} MB (${rssBefore.toFixed(0)} → ${rssWithStreams.toFixed(0)} MB)`,
          met: growth <= LIVE_TARGETS.rssGrowthMb,
        },
        {
          name: `cached event page ≥ ${LIVE_TARGETS.cachedRatio} of the static ceiling`,
          value: cached.ratioToStatic === undefined ? 'not measured' : cached.ratioToStatic.toFixed(2),
          met: (cached.ratioToStatic ?? 0) >= LIVE_TARGETS.cachedRatio,
        },
      ],
    };
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(path.join(resultsDir, `${stamp}-live.json`), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    agent.destroy();
    await Promise.all([server?.stop(), uncached?.stop()]);
    await db.destroy();
  }
}

export function renderLiveReport(report: LiveReport): string {
  const rps = (r: RouteResult) => (r.requestsPerSecond ? r.requestsPerSecond.toFixed(0) : '—');
  const ms = (n: number) => n.toFixed(0);
  const { latencyMs: l, rssMb: m, readers: r, pages: p } = report;
  const lines = [
    `# Live events (${report.command}, ${report.startedAt})`,
    '',
    machineLine(report.machine),
    `readers: ${r.connected} streams open in ${r.connectSeconds.toFixed(1)} s; ${r.complete} received all ${report.settings.changes} changes, ${r.missed} missed one, ${r.dropped} dropped`,
    `latency (${l.samples} receipts): from the form's answer p50 ${ms(l.fromAnswer.p50)} ms, p99 ${ms(l.fromAnswer.p99)} ms, max ${ms(l.fromAnswer.max)} ms; from its sending p50 ${ms(l.fromSending.p50)} ms, p99 ${ms(l.fromSending.p99)} ms, max ${ms(l.fromSending.max)} ms`,
    `server RSS: ${m.before.toFixed(0)} MB before, ${m.withStreams.toFixed(0)} MB with the streams (+${m.growth.toFixed(1)} MB), ${m.afterChanges.toFixed(0)} MB after the changes, peak ${m.peak.toFixed(0)} MB`,
    `CPU over the ${report.cpuSeconds.changesSeconds.toFixed(1)} s of changes: server ${report.cpuSeconds.server.toFixed(2)} s, readers and editor ${report.cpuSeconds.client.toFixed(2)} s`,
    `event page: cached ${rps(p.cached)} req/s (× ${p.ratioCached?.toFixed(2) ?? '—'}), page cache off ${rps(p.uncached)} req/s (× ${p.ratioUncached?.toFixed(2) ?? '—'}); static ceiling ${p.staticCeiling.map(rps).join(' and ')} req/s`,
    '',
    '| target | measured | met |',
    '| --- | --- | --- |',
    ...report.targets.map((t) => `| ${t.name} | ${t.value} | ${t.met ? 'yes' : 'no'} |`),
  ];
  return lines.join('\n');
}
