import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { usersRepository } from '../features/users/users.repository';
import { newUserSchema } from '../features/users/users.schemas';
import { SYSTEM_ACTOR, usersService } from '../features/users/users.service';
import { AppError, ValidationError } from '../lib/errors';
import { parseOrThrow } from '../lib/validation';
import { withDatabase } from './context';

const USAGE = `Usage:
  npm run user -- add --email E --name N --role reporter|editor|admin   (password from stdin or a prompt)
  npm run user -- list
  npm run user -- disable --email E
  npm run user -- password --email E                                    (password from stdin or a prompt)
  npm run user -- role --email E --role reporter|editor|admin`;

const MESSAGES: Record<string, string> = {
  email_invalid: 'is not a valid email address',
  email_too_long: 'is too long',
  password_too_short: 'must be at least 12 characters',
  password_too_long: 'must be at most 256 characters',
  role_invalid: 'must be reporter, editor or admin',
  required: 'is required',
  too_long: 'is too long',
};

/** One line from standard input, or a hidden prompt (asked twice) on a terminal. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line.replace(/\r$/, '');
    }
    return '';
  }
  const first = await promptHidden('Password: ');
  const second = await promptHidden('Repeat password: ');
  if (first !== second) throw new ValidationError({ password: 'the two passwords differ' });
  return first;
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    output._writeToOutput = (s: string) => {
      // Echo the question once, then nothing of what is typed.
      if (!asked) {
        process.stdout.write(s);
        asked = true;
      }
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

function describe(err: unknown): string {
  if (err instanceof ValidationError) {
    return Object.entries(err.fieldErrors)
      .map(([field, key]) => `${field} ${MESSAGES[key] ?? key}`)
      .join('; ');
  }
  if (err instanceof AppError) {
    if (err.message === 'email_taken') return 'a user with this email already exists';
    if (err.message === 'user_not_found') return 'no user has this email';
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
  });
  const command = positionals[0];
  const need = (value: string | undefined, flag: string) => {
    if (!value) throw new Error(`--${flag} is required\n${USAGE}`);
    return value;
  };
  switch (command) {
    case 'add': {
      const email = need(values.email, 'email');
      const name = need(values.name, 'name');
      const role = need(values.role, 'role');
      const password = await readPassword();
      // Refuse bad input before opening the database: the answer is immediate and nothing is touched.
      const input = parseOrThrow(newUserSchema, { email, display_name: name, role, password });
      const user = await withDatabase((db) =>
        usersService({ db, users: usersRepository(db) }).create(input, SYSTEM_ACTOR),
      );
      process.stdout.write(`Added ${user.role} ${user.email} (${user.display_name}).\n`);
      return 0;
    }
    case 'list': {
      const users = await withDatabase((db) => usersService({ db, users: usersRepository(db) }).list());
      if (users.length === 0) process.stdout.write('No users yet.\n');
      for (const u of users) {
        process.stdout.write(
          `${u.email}\t${u.role}\t${u.active ? 'active' : 'disabled'}\t${u.display_name}\n`,
        );
      }
      return 0;
    }
    case 'disable': {
      const email = need(values.email, 'email');
      const user = await withDatabase((db) =>
        usersService({ db, users: usersRepository(db) }).disable(email, SYSTEM_ACTOR),
      );
      process.stdout.write(`Disabled ${user.email}; their sessions have ended.\n`);
      return 0;
    }
    case 'password': {
      const email = need(values.email, 'email');
      const password = await readPassword();
      const user = await withDatabase((db) =>
        usersService({ db, users: usersRepository(db) }).setPassword(email, password, SYSTEM_ACTOR),
      );
      process.stdout.write(`Changed the password of ${user.email}; their sessions have ended.\n`);
      return 0;
    }
    case 'role': {
      const email = need(values.email, 'email');
      const role = need(values.role, 'role');
      const user = await withDatabase((db) =>
        usersService({ db, users: usersRepository(db) }).setRole(email, role as 'reporter', SYSTEM_ACTOR),
      );
      process.stdout.write(`${user.email} is now ${user.role}.\n`);
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`Error: ${describe(err)}\n`);
  process.exitCode = 1;
}
