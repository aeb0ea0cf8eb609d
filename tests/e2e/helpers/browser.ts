import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// The flags this machine needs: no sandbox as root, and no background traffic to hosts it cannot reach.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A Chromium with a fresh, empty user-data directory of its own. */
export async function launchBrowser(options: BrowserContextOptions = {}): Promise<Browser> {
  const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kj-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  // On a loaded two-core machine a page can take seconds; a real failure still ends well inside the test's time.
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(45_000);
  return {
    context,
    async close() {
      await context.close();
      await fs.rm(userDataDir, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = path.resolve(import.meta.dirname, '../../../node_modules/axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page and returns the serious and critical violations. axe is evaluated as a
 * string, so the page's strict CSP (no inline script) need not be relaxed for it.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const source = await fs.readFile(AXE_SOURCE, 'utf8');
  const violations = (await page.evaluate(async (axeSource: string) => {
    // Indirect eval runs axe-core in the page's global scope, as a script tag would.
    // biome-ignore lint/security/noGlobalEval: the test injects axe-core's own source into the page under test
    const indirectEval = globalThis.eval;
    indirectEval(axeSource);
    // This function runs in the page, where axe and document exist; the test's types know neither.
    const page = globalThis as unknown as {
      axe: { run: (ctx: unknown) => Promise<{ violations: unknown[] }> };
      document: unknown;
    };
    const result = await page.axe.run(page.document);
    return result.violations;
  }, source)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
