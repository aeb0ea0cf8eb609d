import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.text('email').notNullable();
    t.text('display_name').notNullable();
    t.text('role').notNullable();
    t.text('password_hash').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("role IN ('reporter', 'editor', 'admin')", [], 'users_role_valid');
    t.check("email = lower(email) AND email LIKE '%_@_%'", [], 'users_email_normalised');
    t.check("password_hash LIKE '$argon2id$%'", [], 'users_password_argon2id');
  });
  await knex.raw('CREATE UNIQUE INDEX users_email_unique ON users (email)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
