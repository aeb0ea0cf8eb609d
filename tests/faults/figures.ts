import fs from 'node:fs';
import { engine } from '../helpers/engines';

/**
 * What a reliability test measured (faults injected, requests answered, records lost), appended as one
 * JSON line to the file named by KJ_FIGURES when it is set, for the figures in docs/RELIABILITY.md:
 *   KJ_FIGURES=/tmp/figures.jsonl npx vitest run tests/faults tests/ops tests/backup tests/security
 * Without KJ_FIGURES it does nothing.
 */
export function recordFigures(test: string, figures: Record<string, number | string | boolean>): void {
  const file = process.env.KJ_FIGURES;
  if (!file) return;
  fs.appendFileSync(file, `${JSON.stringify({ test, engine, at: new Date().toISOString(), ...figures })}\n`);
}
