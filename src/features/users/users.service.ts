import type { Knex } from 'knex';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors';
import { hashPassword } from '../../lib/passwords';
import { parseOrThrow } from '../../lib/validation';
import { recordAudit } from '../audit/audit.repository';
import { StaleVersionError } from '../newsroom/stale-version-error';
import { type PublicUser, type Role, toPublicUser, type UsersRepository } from './users.repository';
import {
  emailSchema,
  type NewUserInput,
  newUserSchema,
  passwordSchema,
  roleSchema,
  userEditSchema,
} from './users.schemas';

export interface Actor {
  id: number | null;
  requestId?: string | undefined;
}

/** The command line and scripts act as no user; the audit row says so with a null actor. */
export const SYSTEM_ACTOR: Actor = { id: null };

export function usersService(deps: { db: Knex; users: UsersRepository }) {
  const { db, users } = deps;

  async function loadByEmail(trx: Knex, rawEmail: string) {
    const email = parseOrThrow(emailSchema, rawEmail);
    const user = await users.findByEmail(email, trx);
    if (!user) throw new NotFoundError('user_not_found');
    return user;
  }

  return {
    async create(input: NewUserInput, actor: Actor): Promise<PublicUser> {
      const data = parseOrThrow(newUserSchema, input);
      const password_hash = await hashPassword(data.password);
      return db.transaction(async (trx) => {
        if (await users.findByEmail(data.email, trx)) throw new ConflictError('email_taken');
        const user = toPublicUser(
          await users.insert(trx, {
            email: data.email,
            display_name: data.display_name,
            role: data.role,
            password_hash,
          }),
        );
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'user.create',
          entity: 'user',
          entityId: user.id,
          after: user,
          requestId: actor.requestId,
        });
        return user;
      });
    },

    list(): Promise<PublicUser[]> {
      return users.list();
    },

    /** Disables an account and ends its open sessions at once. */
    async disable(email: string, actor: Actor): Promise<PublicUser> {
      return db.transaction(async (trx) => {
        const before = await loadByEmail(trx, email);
        const after = toPublicUser(await users.update(trx, before.id, { active: false }));
        await users.endSessions(trx, before.id);
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'user.disable',
          entity: 'user',
          entityId: before.id,
          before: toPublicUser(before),
          after,
          requestId: actor.requestId,
        });
        return after;
      });
    },

    /** Sets a new password and ends the user's open sessions (a reset must lock out whoever had the old one). */
    async setPassword(email: string, password: string, actor: Actor): Promise<PublicUser> {
      const valid = parseOrThrow(passwordSchema, password);
      const password_hash = await hashPassword(valid);
      return db.transaction(async (trx) => {
        const before = await loadByEmail(trx, email);
        const after = toPublicUser(await users.update(trx, before.id, { password_hash }));
        await users.endSessions(trx, before.id);
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'user.password',
          entity: 'user',
          entityId: before.id,
          requestId: actor.requestId,
        });
        return after;
      });
    },

    async setRole(email: string, role: Role, actor: Actor): Promise<PublicUser> {
      const validRole = parseOrThrow(roleSchema, role);
      return db.transaction(async (trx) => {
        const before = await loadByEmail(trx, email);
        const after = toPublicUser(await users.update(trx, before.id, { role: validRole }));
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'user.role',
          entity: 'user',
          entityId: before.id,
          before: toPublicUser(before),
          after,
          requestId: actor.requestId,
        });
        return after;
      });
    },

    // --- the admin pages (/newsroom/users) work by id ---

    async findById(id: number): Promise<PublicUser> {
      const user = await users.findById(id);
      if (!user) throw new NotFoundError('user_not_found');
      return toPublicUser(user);
    },

    /** Name and role from the edit form, against the version it was filled in on. */
    async update(id: number, input: unknown, actor: Actor): Promise<PublicUser> {
      const data = parseOrThrow(userEditSchema, input);
      return db.transaction(async (trx) => {
        const before = await users.findById(id, trx);
        if (!before) throw new NotFoundError('user_not_found');
        // An admin who demoted themselves could leave the newsroom without anyone to manage accounts.
        if (actor.id === id && data.role !== before.role)
          throw new ValidationError({ role: 'cannot_change_own_role' });
        const stale = () =>
          new StaleVersionError(before.version, [], { display_name: before.display_name, role: before.role });
        if (before.version !== data.version) throw stale();
        const updated = await users.updateIfVersion(trx, id, data.version, {
          display_name: data.display_name,
          role: data.role,
        });
        if (!updated) throw stale();
        const after = toPublicUser(updated);
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'user.update',
          entity: 'user',
          entityId: id,
          before: toPublicUser(before),
          after,
          requestId: actor.requestId,
        });
        return after;
      });
    },

    /** Disables (ending every open session at once) or re-enables an account. */
    async setActive(id: number, active: boolean, actor: Actor): Promise<PublicUser> {
      if (actor.id === id && !active) throw new ConflictError('cannot_disable_self');
      return db.transaction(async (trx) => {
        const before = await users.findById(id, trx);
        if (!before) throw new NotFoundError('user_not_found');
        const after = toPublicUser(await users.update(trx, id, { active }));
        if (!active) await users.endSessions(trx, id);
        await recordAudit(trx, {
          actorId: actor.id,
          action: active ? 'user.enable' : 'user.disable',
          entity: 'user',
          entityId: id,
          before: toPublicUser(before),
          after,
          requestId: actor.requestId,
        });
        return after;
      });
    },

    /** An admin sets a new password for someone (their open sessions end). */
    async resetPassword(id: number, password: unknown, actor: Actor): Promise<PublicUser> {
      const { password: valid } = parseOrThrow(z.object({ password: passwordSchema }), {
        password: typeof password === 'string' ? password : '',
      });
      const password_hash = await hashPassword(valid);
      return db.transaction(async (trx) => {
        const before = await users.findById(id, trx);
        if (!before) throw new NotFoundError('user_not_found');
        const after = toPublicUser(await users.update(trx, id, { password_hash }));
        await users.endSessions(trx, id);
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'user.password',
          entity: 'user',
          entityId: id,
          requestId: actor.requestId,
        });
        return after;
      });
    },
  };
}

export type UsersService = ReturnType<typeof usersService>;
