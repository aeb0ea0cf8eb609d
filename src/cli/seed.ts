import { loadSeedIfEmpty } from '../lib/seed-runner';
import { withDatabase } from './context';

await withDatabase(async (db) => {
  const loaded = await loadSeedIfEmpty(db);
  process.stdout.write(
    loaded
      ? 'Loaded the Samarinda 2024 seed.\n'
      : 'The database already has data; the seed was not loaded again.\n',
  );
});
