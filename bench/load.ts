import autocannon, { type RequestSpec } from 'autocannon';
import { percentile } from './machine';

/** One route under load: a fixed path, or a rotation through many (each request takes the next). */
export interface RouteSpec {
  name: string;
  /** What the table shows; for a rotation, an example with `…`. */
  path: string;
  paths?: string[];
}

export interface LoadSettings {
  durationSeconds: number;
  /** Warm-up before each measurement, not counted: this many seconds, or this many requests if given. */
  warmupSeconds: number;
  warmupRequests?: number;
  connections: number;
  /** Sent with every request: none by default (uncompressed), or `gzip` with --gzip. */
  acceptEncoding?: string;
}

export interface RouteResult {
  name: string;
  path: string;
  /** Why the route was not measured (it answered 404 before the run, or the app has no such page yet). */
  missing?: string;
  /** Status and size of one response before the run. */
  probe?: { status: number; bytes: number; contentType: string | null };
  requestsPerSecond?: number;
  latencyMs?: { p50: number; p97_5: number; p99: number; mean: number; max: number };
  requests?: number;
  errors?: number;
  timeouts?: number;
  non2xx?: number;
  statusCodes?: Record<string, number>;
  /** This route's requests/s over the static ceiling's. */
  ratioToStatic?: number;
  /** The server's resident memory right after this route's run, in MiB. */
  serverRssMb?: number;
}

function requestsFor(route: RouteSpec, headers: Record<string, string>): RequestSpec[] {
  if (!route.paths || route.paths.length === 0) return [{ method: 'GET', path: route.path, headers }];
  const paths = route.paths;
  let next = 0;
  return [
    {
      method: 'GET',
      headers,
      setupRequest(request) {
        const path = paths[next % paths.length]!;
        next += 1;
        return { ...request, path };
      },
    },
  ];
}

async function probe(origin: string, path: string, headers: Record<string, string>) {
  const response = await fetch(`${origin}${path}`, { headers, redirect: 'manual' });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, bytes: body.length, contentType: response.headers.get('content-type') };
}

/** What the measured part of a run saw: responses by status, 2xx latencies, errors. */
class Measured {
  readonly latencies: number[] = [];
  readonly statusCodes: Record<string, number> = {};
  responses = 0;
  errors = 0;
  timeouts = 0;

  response(statusCode: number, responseTime: number): void {
    this.responses += 1;
    this.statusCodes[statusCode] = (this.statusCodes[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) this.latencies.push(responseTime);
  }

  error(err: Error): void {
    this.errors += 1;
    if (err.message === 'request timed out') this.timeouts += 1;
  }
}

/**
 * Probes the route once, then (unless it is missing) warms it up and measures it, on the same
 * connections: one autocannon run whose first part (seconds, or a number of responses) is not counted.
 * Opening the measured run's connections after the warm-up would measure how the loaded server accepts
 * 50 new connections as well: Node takes them in over up to a few seconds, one per turn of its event loop
 * once the first are busy, and each one's first request waits meanwhile (docs/PERFORMANCE.md, "How it
 * measures").
 */
export async function measureRoute(
  origin: string,
  route: RouteSpec,
  settings: LoadSettings,
  afterRun: () => number | undefined = () => undefined,
): Promise<RouteResult> {
  const headers: Record<string, string> = settings.acceptEncoding
    ? { 'accept-encoding': settings.acceptEncoding }
    : {};
  const first = await probe(origin, route.paths?.[0] ?? route.path, headers);
  if (first.status === 404) return { name: route.name, path: route.path, missing: '404', probe: first };

  const byCount = settings.warmupRequests ?? 0;
  const instance = autocannon({
    url: origin,
    connections: settings.connections,
    // An upper bound: the run is stopped once the measured part has lasted its duration.
    duration: settings.warmupSeconds + settings.durationSeconds + 60,
    timeout: 10,
    // autocannon acts on stop() at its next sample; its own samples are not used here.
    sampleInt: 100,
    requests: requestsFor(route, headers),
    title: route.name,
  });
  const measured = new Measured();
  let warmupResponses = 0;
  let measuredFrom: number | undefined;
  let measuredUntil: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const startMeasuring = () => {
    measuredFrom = performance.now();
    timer = setTimeout(() => {
      measuredUntil = performance.now();
      instance.stop();
    }, settings.durationSeconds * 1000);
  };
  // Warming up by count ends with the response that reaches it; by time, after that many seconds.
  if (byCount === 0) timer = setTimeout(startMeasuring, settings.warmupSeconds * 1000);
  const measuring = () => measuredFrom !== undefined && measuredUntil === undefined;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (measuring()) measured.response(statusCode, responseTime);
    else if (measuredFrom === undefined) {
      warmupResponses += 1;
      if (warmupResponses === byCount) startMeasuring();
    }
  });
  instance.on('reqError', (err: Error) => {
    if (measuring()) measured.error(err);
  });
  await instance;
  // Ended by its upper bound instead (a warm-up that never reached its count): no timer left behind.
  clearTimeout(timer);
  const seconds = ((measuredUntil ?? performance.now()) - (measuredFrom ?? performance.now())) / 1000;
  const sorted = measured.latencies.sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((sum, value) => sum + value, 0) / sorted.length : 0;
  return {
    name: route.name,
    path: route.path,
    probe: first,
    requestsPerSecond: seconds > 0 ? measured.responses / seconds : 0,
    latencyMs: {
      p50: percentile(sorted, 50),
      p97_5: percentile(sorted, 97.5),
      p99: percentile(sorted, 99),
      mean,
      max: sorted.at(-1) ?? 0,
    },
    requests: measured.responses,
    errors: measured.errors,
    timeouts: measured.timeouts,
    non2xx: measured.responses - sorted.length,
    statusCodes: measured.statusCodes,
    serverRssMb: afterRun(),
  };
}
