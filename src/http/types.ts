import type { Role } from '../features/users/users.repository';
import type { Lang, Translate } from '../lib/i18n';

/** The signed-in newsroom account, as every later middleware and handler sees it (no password hash). */
export interface SessionUser {
  id: number;
  email: string;
  display_name: string;
  role: Role;
}

declare global {
  namespace Express {
    interface Request {
      lang: Lang;
      t: Translate;
      /** Set by the session middleware when a newsroom account is signed in; undefined for the public. */
      user?: SessionUser | undefined;
    }
  }
}
