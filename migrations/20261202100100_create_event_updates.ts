import type { Knex } from 'knex';

// What a live event's stream sends, as a durable, ordered record: one row per public change to one of
// the event's claims (published, its status or text changed, retracted, moved to another event) and one
// when the desk starts or ends the event. A trigger writes it, so every writer (the forms, the CSV
// import, a psql session) is recorded; the id is the stream's event id, so a reader reconnecting with
// Last-Event-ID gets exactly the rows after it. A claim in draft or in review writes nothing.
// The rows carry no content: the stream reads the claim's public fields when it sends.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE event_updates (
      id bigserial PRIMARY KEY,
      event_id integer NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      claim_id integer REFERENCES claims (id) ON DELETE CASCADE,
      kind text NOT NULL CONSTRAINT event_updates_kind_valid CHECK (kind IN ('claim', 'live', 'ended')),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT event_updates_claim_kind CHECK ((kind = 'claim') = (claim_id IS NOT NULL))
    )`);
  await knex.raw('CREATE INDEX event_updates_event ON event_updates (event_id, id)');
  await knex.raw('CREATE INDEX event_updates_claim ON event_updates (claim_id)');

  await knex.raw(`
    CREATE FUNCTION record_claim_event_update() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      was_public boolean := TG_OP = 'UPDATE' AND OLD.workflow_state IN ('published', 'retracted');
      is_public boolean := NEW.workflow_state IN ('published', 'retracted');
    BEGIN
      IF TG_OP = 'UPDATE' AND was_public AND OLD.event_id IS NOT NULL
         AND OLD.event_id IS DISTINCT FROM NEW.event_id THEN
        INSERT INTO event_updates (event_id, claim_id, kind) VALUES (OLD.event_id, NEW.id, 'claim');
      END IF;
      IF NEW.event_id IS NOT NULL AND (is_public OR was_public) THEN
        INSERT INTO event_updates (event_id, claim_id, kind) VALUES (NEW.event_id, NEW.id, 'claim');
      END IF;
      RETURN NULL;
    END
    $$`);
  await knex.raw(`
    CREATE TRIGGER claims_record_event_update AFTER INSERT OR UPDATE ON claims
    FOR EACH ROW EXECUTE FUNCTION record_claim_event_update()`);

  await knex.raw(`
    CREATE FUNCTION record_event_live_state() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.live_state IN ('live', 'ended') AND NEW.live_state IS DISTINCT FROM OLD.live_state THEN
        INSERT INTO event_updates (event_id, kind) VALUES (NEW.id, NEW.live_state);
      END IF;
      RETURN NULL;
    END
    $$`);
  await knex.raw(`
    CREATE TRIGGER events_record_live_state AFTER UPDATE OF live_state ON events
    FOR EACH ROW EXECUTE FUNCTION record_event_live_state()`);

  // Heard by every instance's change feed (migration 20261128120000's function): the page cache forgets
  // event pages, and the streams read the new rows.
  for (const table of ['events', 'event_updates']) {
    await knex.raw(
      `CREATE TRIGGER ${table}_notify_public_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change()`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER events_notify_public_change ON events');
  await knex.raw('DROP TRIGGER events_record_live_state ON events');
  await knex.raw('DROP FUNCTION record_event_live_state()');
  await knex.raw('DROP TRIGGER claims_record_event_update ON claims');
  await knex.raw('DROP FUNCTION record_claim_event_update()');
  await knex.raw('DROP TABLE event_updates');
}
