import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../lib/logger';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Logs every request with a request id: the caller's X-Request-Id when it looks like one, else a new UUID. */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel(_req, res, err) {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
    serializers: {
      req(req: { id: string; method: string; url: string }) {
        // Readers' links carry their tokens in the path: those are credentials, and stay out of logs.
        return { id: req.id, method: req.method, url: req.url.replace(/^(\/follow\/\w+\/)[^/?]+/, '$1…') };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
    },
  });
}
