import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtherOrigin {
  /** The page's address: another port, so another origin than the app's. */
  url: string;
  stop(): Promise<void>;
}

/** A tiny web server of "another newsroom" that serves one HTML page, for the embedding journey. */
export async function serveOtherOrigin(html: string): Promise<OtherOrigin> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/berita/debat-kedua.html`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
