import type { Knex } from 'knex';

/**
 * Optimistic concurrency for every edit form: the update applies only while the row still has the
 * version the form was filled in against, and bumps it. Undefined means someone saved first.
 * (Repository-level helper: only repositories call it.)
 */
export async function updateVersioned<T>(
  trx: Knex,
  table: string,
  id: number,
  version: number,
  changes: Record<string, unknown>,
  returning: readonly string[] | '*' = '*',
): Promise<T | undefined> {
  const rows = (await trx(table)
    .where({ id, version })
    .update({ ...changes, version: trx.raw('version + 1'), updated_at: trx.fn.now() })
    .returning(returning as string[])) as T[];
  return rows[0];
}

/**
 * The first free slug among `base`, `base-2`, `base-3`… in a table, in one query. Slugs are made once,
 * at creation, and never change afterwards: public URLs are built from them.
 */
export async function freeSlug(trx: Knex, table: string, base: string): Promise<string> {
  const rows: { slug: string }[] = await trx(table)
    .select('slug')
    .where('slug', base)
    .orWhereRaw('slug ~ ?', [`^${base}-[0-9]+$`]);
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const slug = `${base}-${n}`;
    if (!taken.has(slug)) return slug;
  }
}
