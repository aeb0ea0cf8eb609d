import type { SessionUser } from '../features/users/accounts';
import type { Lang, Translate } from '../lib/i18n';

declare global {
  namespace Express {
    interface Request {
      lang: Lang;
      t: Translate;
      /** Set by the session middleware when a newsroom account is signed in; undefined for the public. */
      user?: SessionUser | undefined;
      /** Why an upload was not read (a message key), when the form should say so beside its field. */
      uploadRefusal?: string | undefined;
    }
  }
}
