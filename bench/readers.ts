import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { readerKeys } from '../src/features/following/reader-keys';
import { hashPassword } from '../src/lib/passwords';
import { prepareDataset } from './dataset';
import { type LoadSettings, measureRoute, type RouteResult, type RouteSpec } from './load';
import { type Machine, machineAtEnd, machineLine } from './machine';
import { sampleDataset } from './routes';
import { projectRoot, startServer } from './server';
import type { SinkStats } from './smtp-sink';

/**
 * The readers' part of the benchmark (`npm run bench -- --only readers`): N confirmed followers of one
 * candidate (inserted in SQL), one status change of one of the candidate's published claims made by an
 * editor through the real newsroom form over HTTP (so the outbox is filled in the approving transaction,
 * as in production), and the app's own outbox worker sending it to an SMTP server on this machine
 * (bench/smtp-sink.ts, a process of its own). Measured: the time from the form's POST to the last
 * message accepted, messages accepted and repeated, and the public pages' throughput (the verdict page
 * rendered on every request, and a list page, side by side) without a send and during it.
 */
export const READERS_TARGETS = { seconds: 300, throughputRatio: 0.8 };

const EDITOR_EMAIL = 'editor-pembaca@bench.contoh.example';
const FOLLOWER_DOMAIN = 'pembaca.contoh.example';

export interface ReadersReport {
  startedAt: string;
  command: string;
  machine: Machine;
  dataset: { database: string; claims: number };
  followers: number;
  candidate: string;
  claim: { slug: string; from: string; to: string };
  /** The app's outbox and mail settings during the run (its defaults unless stated). */
  settings: Record<string, string | number | boolean>;
  load: LoadSettings;
  send: {
    /** From the status form's POST to the last message the SMTP server accepted. */
    secondsToLast: number | undefined;
    secondsToFirst: number | undefined;
    accepted: number;
    recipients: number;
    duplicateRecipients: number;
    duplicateMessages: number;
    repeatedMessageIds: number;
    smtpConnections: number;
    /** The outbox's rows of this change by state, once the send was over. */
    outbox: Record<string, number>;
    /** Messages per second from the first acceptance to the last. */
    messagesPerSecond: number | undefined;
  };
  without: RouteResult[];
  during: RouteResult[];
  /** Share of the measured window during the send that the send lasted (1: the send outlasted it). */
  duringCoverage: number;
  ratios: { name: string; ratio: number | undefined }[];
  targets: { name: string; value: string; met: boolean }[];
}

/** A cookie jar for one signed-in editor, as a browser behind the site's TLS proxy would be. */
function browser(origin: string) {
  const cookies = new Map<string, string>();
  const headers = () => ({
    cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    // The app trusts its loopback proxy: this says the request came in over https (secure cookies).
    'x-forwarded-proto': 'https',
  });
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
  };
  return {
    async get(url: string): Promise<{ status: number; text: string }> {
      const response = await fetch(`${origin}${url}`, { headers: headers(), redirect: 'manual' });
      keep(response);
      return { status: response.status, text: await response.text() };
    },
    async post(url: string, fields: Record<string, string>): Promise<{ status: number; location: string }> {
      const response = await fetch(`${origin}${url}`, {
        method: 'POST',
        headers: {
          ...headers(),
          'content-type': 'application/x-www-form-urlencoded',
          origin,
          'sec-fetch-site': 'same-origin',
        },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      keep(response);
      await response.arrayBuffer();
      return { status: response.status, location: response.headers.get('location') ?? '' };
    },
  };
}

function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf field on this page');
  return match[1]!;
}

/** The SMTP server in a process of its own, counting what it accepts. */
async function startSink(): Promise<{ url: string; stats(): Promise<SinkStats>; stop(): Promise<void> }> {
  const child: ChildProcess = fork(path.join(projectRoot, 'bench/smtp-sink.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the SMTP server exited (${code})`)));
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message.type === 'listening') resolve(message.port!);
    });
  });
  child.removeAllListeners('exit');
  return {
    url: `smtp://127.0.0.1:${port}`,
    stats: () =>
      new Promise<SinkStats>((resolve) => {
        const listener = (message: { type?: string; stats?: SinkStats }) => {
          if (message.type !== 'stats') return;
          child.off('message', listener);
          resolve(message.stats!);
        };
        child.on('message', listener);
        child.send({ type: 'stats' });
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

interface Setup {
  candidateId: number;
  candidateName: string;
  claimId: number;
  claimSlug: string;
  fromStatus: string;
  password: string;
}

/**
 * Leaves the database with exactly `followers` confirmed followers of one candidate (every reader row of
 * an earlier run deleted, so the per-address cap starts from nothing), and an active editor whose
 * password is known. Tokens are made as the app makes them, under the server's secret.
 */
async function setUp(
  db: Knex,
  databaseUrl: string,
  followers: number,
  sessionSecret: string,
): Promise<Setup> {
  const pick = await db.raw<{
    rows: { candidate_id: number; name: string; id: number; slug: string; status: string }[];
  }>(
    `SELECT c.candidate_id, ca.name, c.id, c.slug, c.status
       FROM claims c JOIN candidates ca ON ca.id = c.candidate_id
      WHERE c.kind = 'promise' AND c.workflow_state = 'published' AND c.status <> 'in_progress'
      ORDER BY c.candidate_id, c.id LIMIT 1`,
  );
  const claim = pick.rows[0];
  if (!claim) throw new Error('the benchmark database has no published promise left to change');
  await db.transaction(async (trx) => {
    await trx('outbox').delete();
    await trx('digest_items').delete();
    await trx('follows').delete();
    await trx('subscribers').delete();
    await trx('reader_requests').delete();
  });
  const keys = readerKeys(sessionSecret);
  const rows = Array.from({ length: followers }, (_, i) => {
    const salt = keys.newSalt();
    const followSalt = keys.newSalt();
    return {
      email: `pembaca-${String(i + 1).padStart(5, '0')}@${FOLLOWER_DOMAIN}`,
      salt,
      manage: keys.hash(keys.token('manage', salt)),
      digest: keys.hash(keys.token('unsubscribe_digest', salt)),
      followSalt,
      confirm: keys.hash(keys.token('confirm', followSalt)),
      unsubscribe: keys.hash(keys.token('unsubscribe', followSalt)),
      lang: i % 4 === 3 ? 'en' : 'id',
    };
  });
  const column = (key: keyof (typeof rows)[number]) => rows.map((row) => row[key]);
  // Through pg itself: knex would spread each array binding into a list.
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'kawal-janji-bench' });
  await client.connect();
  try {
    await client.query(
      `WITH s AS (
         INSERT INTO subscribers (email, token_salt, manage_token_hash, digest_unsubscribe_token_hash)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         RETURNING id, email)
       INSERT INTO follows (subscriber_id, target_kind, candidate_id, lang, digest, token_salt,
                            confirm_token_hash, unsubscribe_token_hash, confirmed_at)
       SELECT s.id, 'candidate', $5, f.lang, false, f.salt, f.confirm, f.unsubscribe, now()
         FROM unnest($1::text[], $6::text[], $7::text[], $8::text[], $9::text[])
              AS f(email, lang, salt, confirm, unsubscribe)
         JOIN s ON s.email = f.email`,
      [
        column('email'),
        column('salt'),
        column('manage'),
        column('digest'),
        claim.candidate_id,
        column('lang'),
        column('followSalt'),
        column('confirm'),
        column('unsubscribe'),
      ],
    );
  } finally {
    await client.end();
  }
  const password = randomBytes(18).toString('base64url');
  await db('users')
    .insert({
      email: EDITOR_EMAIL,
      display_name: 'Editor Pembaca Contoh',
      role: 'editor',
      password_hash: await hashPassword(password),
      active: true,
    })
    .onConflict('email')
    .merge(['password_hash', 'active', 'role']);
  await db.raw('ANALYZE subscribers, follows, outbox');
  return {
    candidateId: claim.candidate_id,
    candidateName: claim.name,
    claimId: claim.id,
    claimSlug: claim.slug,
    fromStatus: claim.status,
    password,
  };
}

/** The public pages, measured side by side, each on half of the connections. */
async function measurePublic(origin: string, routes: RouteSpec[], load: LoadSettings) {
  const share = { ...load, connections: Math.max(1, Math.round(load.connections / routes.length)) };
  return Promise.all(routes.map((route) => measureRoute(origin, route, share)));
}

export async function readersBench(input: {
  databaseUrl: string;
  claims: number;
  followers: number;
  load: LoadSettings;
  fresh: boolean;
  command: string;
  resultsDir: string;
  stamp: string;
  say: (line: string) => void;
}): Promise<ReadersReport> {
  const { say, load } = input;
  const startedAt = new Date();
  const loadAverage = os.loadavg();
  say(`dataset: ${input.claims} claims on ${new URL(input.databaseUrl).pathname.slice(1)}`);
  await prepareDataset(input.databaseUrl, input.claims, { fresh: input.fresh, log: (s) => say(`  ${s}`) });
  const sample = await sampleDataset(input.databaseUrl, 1);
  const sessionSecret = randomBytes(32).toString('hex');
  const db = knex({
    client: 'pg',
    connection: { connectionString: input.databaseUrl, application_name: 'kawal-janji-bench' },
    pool: { min: 0, max: 2 },
  });
  const sink = await startSink();
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const setup = await setUp(db, input.databaseUrl, input.followers, sessionSecret);
    say(`${input.followers} confirmed followers of ${setup.candidateName}; SMTP server at ${sink.url}`);
    server = await startServer({
      databaseUrl: input.databaseUrl,
      logFile: path.join(input.resultsDir, `${input.stamp}-server-readers.log`),
      pageCache: false,
      env: { SESSION_SECRET: sessionSecret, SMTP_URL: sink.url },
    });
    const origin = server.origin;

    // The editor signs in through the real forms, before anything is measured.
    const editor = browser(origin);
    const login = await editor.get('/login');
    const signedIn = await editor.post('/login', {
      email: EDITOR_EMAIL,
      password: setup.password,
      _csrf: csrfFrom(login.text),
    });
    if (signedIn.status !== 303 || !signedIn.location.endsWith('/newsroom')) {
      throw new Error(`signing in answered ${signedIn.status} ${signedIn.location}`);
    }
    const form = await editor.get(`/newsroom/claims/${setup.claimId}/status`);
    if (form.status !== 200) throw new Error(`the status form answered ${form.status}`);
    const version = /name="version" value="(\d+)"/.exec(form.text)?.[1];
    if (!version) throw new Error('no version field on the status form');

    const routes: RouteSpec[] = [
      { name: 'verdict page, page cache off', path: `/claims/${sample.verdictSlug}` },
      { name: 'claims by status, page cache off', path: '/claims?status=broken' },
    ];
    say('measuring the public pages without a send');
    const without = await measurePublic(origin, routes, load);

    say(`changing ${setup.claimSlug} from ${setup.fromStatus} to in_progress through the newsroom form`);
    const postedAt = Date.now();
    const changed = await editor.post(`/newsroom/claims/${setup.claimId}/status`, {
      _csrf: csrfFrom(form.text),
      version,
      status: 'in_progress',
      note: 'Pekerjaan dimulai menurut laporan dinas (benchmark).',
    });
    if (changed.status !== 303) throw new Error(`the status change answered ${changed.status}`);
    say('measuring the public pages during the send');
    const during = await measurePublic(origin, routes, load);
    const measuredUntil = Date.now();

    const deadline = postedAt + (READERS_TARGETS.seconds + 60) * 1000;
    let stats = await sink.stats();
    while (stats.accepted < input.followers && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      stats = await sink.stats();
    }
    // A moment more for a repeat that would come after the last first delivery.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    stats = await sink.stats();
    const { rows: states } = await db.raw<{ rows: { state: string; count: number }[] }>(
      `SELECT o.state, count(*)::int AS count FROM outbox o
         JOIN status_updates su ON su.id = o.status_update_id
        WHERE su.claim_id = ? GROUP BY o.state ORDER BY o.state`,
      [setup.claimId],
    );
    const outbox = Object.fromEntries(states.map((row) => [row.state, row.count]));

    const measuredFrom = measuredUntil - load.durationSeconds * 1000;
    const sendEnd = stats.lastAt ?? measuredUntil;
    const duringCoverage = Math.max(
      0,
      Math.min(1, (sendEnd - measuredFrom) / Math.max(1, measuredUntil - measuredFrom)),
    );
    const ratios = routes.map((route, i) => ({
      name: route.name,
      ratio:
        without[i]?.requestsPerSecond && during[i]?.requestsPerSecond
          ? during[i]!.requestsPerSecond! / without[i]!.requestsPerSecond!
          : undefined,
    }));
    const sumRps = (results: RouteResult[]) => results.reduce((s, r) => s + (r.requestsPerSecond ?? 0), 0);
    const overall = sumRps(without) ? sumRps(during) / sumRps(without) : undefined;
    ratios.push({ name: 'both pages together', ratio: overall });

    const secondsToLast = stats.lastAt === undefined ? undefined : (stats.lastAt - postedAt) / 1000;
    const secondsToFirst = stats.firstAt === undefined ? undefined : (stats.firstAt - postedAt) / 1000;
    const allOnce =
      stats.recipients === input.followers &&
      stats.duplicateMessages === 0 &&
      stats.accepted === input.followers;
    const errors = [...without, ...during].reduce((s, r) => s + (r.errors ?? 0) + (r.non2xx ?? 0), 0);
    const report: ReadersReport = {
      startedAt: startedAt.toISOString(),
      command: input.command,
      machine: machineAtEnd(loadAverage),
      dataset: { database: new URL(input.databaseUrl).pathname.slice(1), claims: input.claims },
      followers: input.followers,
      candidate: setup.candidateName,
      claim: { slug: setup.claimSlug, from: setup.fromStatus, to: 'in_progress' },
      settings: {
        WEB_CONCURRENCY: 1,
        PAGE_CACHE: 'off',
        MAIL_LEASE_SECONDS: 60,
        dailyCapPerAddress: 20,
        ...workerSettings(),
      },
      load,
      send: {
        secondsToLast,
        secondsToFirst,
        accepted: stats.accepted,
        recipients: stats.recipients,
        duplicateRecipients: stats.duplicateRecipients,
        duplicateMessages: stats.duplicateMessages,
        repeatedMessageIds: stats.repeatedMessageIds,
        smtpConnections: stats.connections,
        outbox,
        messagesPerSecond:
          stats.firstAt !== undefined && stats.lastAt !== undefined && stats.lastAt > stats.firstAt
            ? stats.accepted / ((stats.lastAt - stats.firstAt) / 1000)
            : undefined,
      },
      without,
      during,
      duringCoverage,
      ratios,
      targets: [
        {
          name: `all ${input.followers} accepted within ${READERS_TARGETS.seconds / 60} minutes`,
          value:
            secondsToLast === undefined
              ? 'none accepted'
              : `${stats.recipients} of ${input.followers} in ${secondsToLast.toFixed(1)} s`,
          met:
            stats.recipients === input.followers &&
            secondsToLast !== undefined &&
            secondsToLast <= READERS_TARGETS.seconds,
        },
        {
          name: 'none twice (one message per follower, none capped)',
          value: `${stats.accepted} accepted, ${stats.duplicateMessages} repeats, ${outbox.capped ?? 0} capped`,
          met: allOnce && !outbox.capped,
        },
        ...ratios.map((r) => ({
          name: `${r.name}: during the send ≥ ${READERS_TARGETS.throughputRatio} of without`,
          value: r.ratio === undefined ? 'not measured' : r.ratio.toFixed(2),
          met: (r.ratio ?? 0) >= READERS_TARGETS.throughputRatio,
        })),
        {
          name: 'no errors or non-2xx under load',
          value: String(errors),
          met: errors === 0,
        },
      ],
    };
    fs.mkdirSync(input.resultsDir, { recursive: true });
    fs.writeFileSync(
      path.join(input.resultsDir, `${input.stamp}-readers.json`),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    return report;
  } finally {
    await server?.stop();
    await sink.stop();
    await db.destroy();
  }
}

/** The outbox worker's settings as the app starts it (src/app.ts, src/features/following/outbox.worker.ts). */
function workerSettings(): Record<string, string | number> {
  return { batchSize: 50, concurrency: 4, pollMs: 1000, smtpPool: 'pool: true, maxConnections 4' };
}

export function renderReadersReport(report: ReadersReport): string {
  const rps = (r: RouteResult | undefined) => (r?.requestsPerSecond ? r.requestsPerSecond.toFixed(0) : '—');
  const p99 = (r: RouteResult | undefined) => (r?.latencyMs ? `${r.latencyMs.p99.toFixed(0)} ms` : '—');
  const send = report.send;
  const lines = [
    `# Following by email (${report.command}, ${report.startedAt})`,
    '',
    machineLine(report.machine),
    `${report.followers} confirmed followers of ${report.candidate}; ${report.claim.slug} from ${report.claim.from} to ${report.claim.to} by an editor through the newsroom form; ${report.dataset.claims} claims on ${report.dataset.database}`,
    `send: first accepted ${send.secondsToFirst?.toFixed(1) ?? '—'} s after the POST, last ${send.secondsToLast?.toFixed(1) ?? '—'} s; ${send.accepted} accepted for ${send.recipients} addresses, ${send.duplicateMessages} repeats (${send.repeatedMessageIds} repeated Message-IDs); ${send.messagesPerSecond?.toFixed(0) ?? '—'} messages/s; ${send.smtpConnections} SMTP connections; outbox ${Object.entries(
      send.outbox,
    )
      .map(([state, count]) => `${state} ${count}`)
      .join(', ')}`,
    `public pages measured ${report.load.durationSeconds} s each way, ${report.load.connections} connections split between them; the send lasted ${(report.duringCoverage * 100).toFixed(0)} % of the window measured during it`,
    `settings: ${Object.entries(report.settings)
      .map(([key, value]) => `${key} ${value}`)
      .join('; ')}`,
    '',
    '| page | without a send, req/s (p99) | during the send, req/s (p99) | ratio |',
    '| --- | --- | --- | --- |',
    ...report.without.map(
      (r, i) =>
        `| ${r.name} | ${rps(r)} (${p99(r)}) | ${rps(report.during[i])} (${p99(report.during[i])}) | ${report.ratios[i]?.ratio?.toFixed(2) ?? '—'} |`,
    ),
    '',
    '| target | measured | met |',
    '| --- | --- | --- |',
    ...report.targets.map((t) => `| ${t.name} | ${t.value} | ${t.met ? 'yes' : 'no'} |`),
  ];
  return lines.join('\n');
}
