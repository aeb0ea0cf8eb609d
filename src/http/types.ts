import type { Lang, Translate } from '../lib/i18n';

declare global {
  namespace Express {
    interface Request {
      lang: Lang;
      t: Translate;
    }
  }
}
