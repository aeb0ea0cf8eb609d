import type { Knex } from 'knex';
import type { Page } from 'playwright-core';
import type { Role, User } from '../../../src/features/users/users.repository';
import { createUser } from '../../helpers/factories';
import { focused } from './keyboard';

export type Account = User & { password: string };

export function createAccount(db: Knex, role: Role, displayName: string): Promise<Account> {
  return createUser(db, { role, display_name: displayName });
}

/**
 * Signs in through the real /login form with the keyboard alone: the email field has focus when the page
 * opens, Tab moves to the password, Enter sends the form.
 */
export async function signInWithKeyboard(page: Page, baseUrl: string, account: Account): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  const start = await focused(page);
  if (!/textbox "Email"/.test(start))
    throw new Error(`the sign-in page opened with focus on ${start || 'nothing'}`);
  await page.keyboard.type(account.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(account.password);
  await Promise.all([page.waitForURL(/\/newsroom$/), page.keyboard.press('Enter')]);
}

/**
 * Signs in through the real /login form by filling its fields (for journeys that are not about the
 * keyboard). A browser whose session is still signed in is sent on to the newsroom by /login itself.
 */
export async function signIn(page: Page, baseUrl: string, account: Account): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  if (new URL(page.url()).pathname === '/newsroom') return;
  await page.getByLabel(/^(Email)$/).fill(account.email);
  await page.getByLabel(/^(Kata sandi|Password)$/).fill(account.password);
  await Promise.all([
    page.waitForURL(/\/newsroom$/),
    page.getByRole('button', { name: /^(Masuk|Sign in)$/ }).click(),
  ]);
}
