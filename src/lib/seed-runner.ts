import { seed as samarinda2024 } from '../../seeds/samarinda-2024';
import type { Db } from '../db';

const SEED_LOCK = 727_202_4; // any constant: the advisory lock that keeps two starting instances from both seeding

/**
 * Loads the demo data only into an empty database (no elections yet), once: restarts, and several
 * instances starting together, never duplicate it. Returns whether it loaded anything.
 */
export async function loadSeedIfEmpty(db: Db): Promise<boolean> {
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [SEED_LOCK]);
    const row = await trx('elections').count<{ count: number }[]>({ count: '*' }).first();
    if (Number(row?.count ?? 0) > 0) return false;
    await samarinda2024(trx);
    return true;
  });
}
