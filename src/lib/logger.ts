import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level: string }): Logger {
  return pino({
    level: options.level,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password'],
      censor: '[redacted]',
    },
  });
}
