import type { Role } from './users.repository';

/** The signed-in newsroom account, as every later middleware and handler sees it (no password hash). */
export interface SessionUser {
  id: number;
  email: string;
  display_name: string;
  role: Role;
}

/** Who does a write, for its audit row. */
export interface Actor {
  id: number;
  role: Role;
  requestId?: string | undefined;
}

// Each role can do everything the one before it can.
const RANK: Record<Role, number> = { reporter: 1, editor: 2, admin: 3 };

export function hasRole(user: Pick<SessionUser, 'role'> | undefined, role: Role): boolean {
  return user !== undefined && RANK[user.role] >= RANK[role];
}
