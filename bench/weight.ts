import http from 'node:http';

/** One response's size as sent, with and without compression asked for. */
export interface Weight {
  path: string;
  status: number;
  contentType: string | null;
  /** Bytes of the body without compression (Accept-Encoding: identity). */
  bytes: number;
  /** Content-Encoding when a browser's Accept-Encoding is sent, and the bytes then sent. */
  encoding: string | null;
  compressedBytes: number;
}

function get(origin: string, path: string, acceptEncoding: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: number }>(
    (resolve, reject) => {
      const request = http.get(
        new URL(path, origin),
        { headers: { 'accept-encoding': acceptEncoding } },
        (response) => {
          let bytes = 0;
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
    },
  );
}

/** The bytes on the wire (node:http does not decompress, unlike fetch). */
export async function weigh(origin: string, path: string): Promise<Weight> {
  const plain = await get(origin, path, 'identity');
  const compressed = await get(origin, path, 'gzip, deflate, br');
  const encoding = compressed.headers['content-encoding'];
  return {
    path,
    status: plain.status,
    contentType: plain.headers['content-type'] ?? null,
    bytes: plain.bytes,
    encoding: typeof encoding === 'string' ? encoding : null,
    compressedBytes: compressed.bytes,
  };
}
