import autocannon, { type RequestSpec, type Result } from 'autocannon';

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

/** Probes the route once, then (unless it is missing) warms it up and measures it. */
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
  const run = (limit: { duration: number } | { amount: number }) =>
    autocannon({
      url: origin,
      connections: settings.connections,
      ...limit,
      timeout: 10,
      requests: requestsFor(route, headers),
      title: route.name,
    });
  if (settings.warmupRequests) await run({ amount: settings.warmupRequests });
  else if (settings.warmupSeconds > 0) await run({ duration: settings.warmupSeconds });
  const result: Result = await run({ duration: settings.durationSeconds });
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
  );
  return {
    name: route.name,
    path: route.path,
    probe: first,
    requestsPerSecond: result.requests.average,
    latencyMs: {
      p50: result.latency.p50,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      mean: result.latency.mean,
      max: result.latency.max,
    },
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    serverRssMb: afterRun(),
  };
}
