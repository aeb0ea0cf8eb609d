import type { Knex } from 'knex';

// The verdict's explanation as HTML, rendered by the app (src/lib/markdown.ts) when the explanation is
// saved, so that a first view of a verdict page does not run the Markdown renderer. NULL means "render it
// when showing it": rows saved before this column, rows written by anything but the app, and every row
// whose explanation changed without new HTML alongside (the trigger below clears it), so that the HTML
// shown can never be that of an older explanation. Changing what renderMarkdown produces: add a migration
// that sets the column to NULL.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('claims', (t) => {
    t.text('explanation_html');
  });
  await knex.raw(`
    CREATE FUNCTION forget_stale_explanation_html() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.explanation IS NULL
         OR (TG_OP = 'UPDATE' AND NEW.explanation IS DISTINCT FROM OLD.explanation
             AND NEW.explanation_html IS NOT DISTINCT FROM OLD.explanation_html) THEN
        NEW.explanation_html := NULL;
      END IF;
      RETURN NEW;
    END
    $$`);
  await knex.raw(
    'CREATE TRIGGER claims_forget_stale_explanation_html BEFORE INSERT OR UPDATE OF explanation, explanation_html ON claims FOR EACH ROW EXECUTE FUNCTION forget_stale_explanation_html()',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER claims_forget_stale_explanation_html ON claims');
  await knex.raw('DROP FUNCTION forget_stale_explanation_html()');
  await knex.schema.alterTable('claims', (t) => {
    t.dropColumn('explanation_html');
  });
}
