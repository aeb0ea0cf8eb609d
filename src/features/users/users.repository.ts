import type { Knex } from 'knex';

export const ROLES = ['reporter', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  email: string;
  display_name: string;
  role: Role;
  password_hash: string;
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** A user without the password hash: what may travel to services, logs and views. */
export type PublicUser = Omit<User, 'password_hash'>;

const PUBLIC_COLUMNS = [
  'id',
  'email',
  'display_name',
  'role',
  'active',
  'version',
  'created_at',
  'updated_at',
];

export function toPublicUser(user: User): PublicUser {
  const { password_hash: _hash, ...rest } = user;
  return rest;
}

export function usersRepository(db: Knex) {
  return {
    async findByEmail(email: string, trx: Knex = db): Promise<User | undefined> {
      return trx<User>('users').where({ email: email.toLowerCase() }).first();
    },
    async findById(id: number, trx: Knex = db): Promise<User | undefined> {
      return trx<User>('users').where({ id }).first();
    },
    async list(): Promise<PublicUser[]> {
      return db('users').select(PUBLIC_COLUMNS).orderBy('email');
    },
    async insert(
      trx: Knex.Transaction,
      user: { email: string; display_name: string; role: Role; password_hash: string },
    ): Promise<User> {
      const [row] = await trx<User>('users').insert(user).returning('*');
      return row!;
    },
    async update(
      trx: Knex.Transaction,
      id: number,
      changes: Partial<Pick<User, 'display_name' | 'role' | 'password_hash' | 'active'>>,
    ): Promise<User> {
      const [row] = await trx<User>('users')
        .where({ id })
        .update({ ...changes, version: trx.raw('version + 1'), updated_at: trx.fn.now() })
        .returning('*');
      return row!;
    },
    /** Like update(), but only while the row still has `version` (edit forms); undefined otherwise. */
    async updateIfVersion(
      trx: Knex.Transaction,
      id: number,
      version: number,
      changes: Partial<Pick<User, 'display_name' | 'role'>>,
    ): Promise<User | undefined> {
      const [row] = await trx<User>('users')
        .where({ id, version })
        .update({ ...changes, version: trx.raw('version + 1'), updated_at: trx.fn.now() })
        .returning('*');
      return row;
    },
    /** Ends every open session of a user (sessions keep the user id in sess.userId). */
    async endSessions(trx: Knex.Transaction, userId: number): Promise<number> {
      return trx('sessions')
        .whereRaw("(sess->>'userId') = ?", [String(userId)])
        .delete();
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
