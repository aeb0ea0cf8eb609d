import type { Knex } from 'knex';
import { recordAudit } from '../../src/features/audit/audit.repository';
import {
  createCandidate,
  createClaim,
  createElection,
  createEvidence,
  createTopic,
  createUser,
} from '../helpers/factories';

/** Text that breaks naive serialisers: quotes, backslashes, newlines, NBSP, RTL, emoji, markup, SQL. */
export const AWKWARD_TEXT =
  'Kata "kutip" \\ garis miring\nbaris baru\ttab, spasi\u00a0tak-putus, عربى, 👩🏽‍⚖️, <b>tebal</b>, \'; drop table claims; --, \u0024{7*7} {{7*7}} <%= process.env %>';

/** Bytes of every value, a backslash-x and a NUL among them, as a photo file's. */
export const PHOTO_BYTES = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff]),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from('\\x00', 'latin1'),
]);

/** A timestamp with microseconds, which a Date object would round to milliseconds. */
export const MICROSECOND_TIME = '2024-11-04T10:15:30.123456Z';

/**
 * Puts rows into every table (the backed-up ones and the left-out ones), with awkward values: full
 * timestamp precision, nulls, gaps in ids, JSON that a JavaScript round trip would change.
 */
export async function fillEveryTable(db: Knex) {
  const editor = await createUser(db, { role: 'editor' });
  const reporter = await createUser(db, { role: 'reporter', display_name: AWKWARD_TEXT });
  const election = await createElection(db, {
    description: AWKWARD_TEXT,
    term_start: '2025-02-20',
    term_end: '2030-02-20',
  });
  const candidate = await createCandidate(db, {
    election_id: election.id,
    ballot_number: 1,
    bio: AWKWARD_TEXT,
  });
  await db('candidates')
    .where({ id: candidate.id })
    .update({ aliases: db.raw('?::text[]', [['Kang Uji', AWKWARD_TEXT, '{koma,kurung}']]) });
  // A photo's files are bytes (bytea): every byte value, which a text round trip would mangle.
  const [photo] = await db('candidate_photos')
    .insert({
      candidate_id: candidate.id,
      person: 'candidate',
      credit: AWKWARD_TEXT,
      licence: 'CC BY 4.0',
      digest: '0123456789abcdef',
      source_format: 'jpeg',
      source_width: 1200,
      source_height: 1500,
      uploaded_by: editor.id,
      created_at: MICROSECOND_TIME,
    })
    .returning('*');
  await db('candidate_photo_files').insert([
    { photo_id: photo.id, variant: 'large', format: 'jpeg', width: 480, height: 600, bytes: PHOTO_BYTES },
    {
      photo_id: photo.id,
      variant: 'small',
      format: 'webp',
      width: 160,
      height: 200,
      bytes: Buffer.from([0]),
    },
  ]);
  await db('candidates').where({ id: candidate.id }).update({ is_winner: true });
  const [agency] = await db('agencies')
    .insert({ election_id: election.id, slug: 'bkpsdm', name: AWKWARD_TEXT, short_name: 'BKPSDM' })
    .returning('*');
  const topic = await createTopic(db, { name: 'Reformasi birokrasi' });
  // A gap in the topic ids: the restore keeps ids as they are, and new ids continue after the largest.
  const doomed = await createTopic(db);
  await db('topics').where({ id: doomed.id }).delete();
  const last = await createTopic(db, { name: AWKWARD_TEXT });

  const [event] = await db('events')
    .insert({
      slug: 'debat-uji-cadangan',
      election_id: election.id,
      kind: 'debate',
      name: AWKWARD_TEXT,
      held_on: '2024-11-04',
      starts_at: '19:30',
      video_url: 'https://www.youtube.com/watch?v=abc',
      live_state: 'live',
      live_started_at: MICROSECOND_TIME,
      created_by: editor.id,
    })
    .returning('*');
  const promise = await createClaim(db, {
    event_id: event.id,
    moment: '01:02:03',
    candidate_id: candidate.id,
    election_id: election.id,
    kind: 'promise',
    status: 'in_progress',
    title: 'Memangkas OPD dari 40 menjadi 30',
    quote: AWKWARD_TEXT,
    deadline: '2029-12-31',
    agency_id: agency.id,
    explanation: `# Penjelasan\n\n${AWKWARD_TEXT}`,
    created_by: reporter.id,
    published_at: MICROSECOND_TIME as unknown as Date,
    topic_ids: [topic.id, last.id],
  });
  const draft = await createClaim(db, {
    candidate_id: candidate.id,
    election_id: election.id,
    workflow_state: 'draft',
    title: null,
    said_on: null,
    created_by: reporter.id,
  });
  const retracted = await createClaim(db, {
    candidate_id: candidate.id,
    election_id: election.id,
    workflow_state: 'retracted',
    topic_ids: [topic.id],
  });
  // A repeat whose original was logged after it (a larger id): the restore must still find it.
  const original = await createClaim(db, { candidate_id: candidate.id, election_id: election.id });
  await db('claims').where({ id: draft.id }).update({ repeat_of: original.id });

  await db('claim_checks').insert({ claim_id: draft.id, user_id: reporter.id, started_at: MICROSECOND_TIME });

  const supports = await createEvidence(db, { claim_id: promise.id, added_by: reporter.id });
  const removed = await createEvidence(db, {
    claim_id: promise.id,
    stance: 'contradicts',
    added_by: editor.id,
  });
  await db('evidence')
    .where({ id: removed.id })
    .update({ removed_at: MICROSECOND_TIME, removed_by: editor.id, removal_reason: AWKWARD_TEXT });

  const [approved] = await db('status_updates')
    .insert({
      claim_id: promise.id,
      from_status: 'not_rated',
      to_status: 'in_progress',
      note: AWKWARD_TEXT,
      proposed_by: reporter.id,
      created_at: MICROSECOND_TIME,
    })
    .returning('*');
  const [rejected] = await db('status_updates')
    .insert({ claim_id: promise.id, from_status: 'in_progress', to_status: 'kept', note: 'Terlalu dini' })
    .returning('*');
  await db('status_update_evidence').insert([
    { status_update_id: approved.id, evidence_id: supports.id },
    { status_update_id: rejected.id, evidence_id: supports.id },
    { status_update_id: rejected.id, evidence_id: removed.id },
  ]);
  await db('status_reviews').insert([
    {
      status_update_id: approved.id,
      decision: 'approved',
      applied_from_status: 'not_rated',
      reviewed_by: editor.id,
    },
    { status_update_id: rejected.id, decision: 'rejected', reason: AWKWARD_TEXT, reviewed_by: editor.id },
  ]);
  await db('corrections').insert([
    { claim_id: promise.id, kind: 'verdict_changed', note: AWKWARD_TEXT, created_by: editor.id },
    { claim_id: retracted.id, kind: 'retracted', note: 'Ditarik', created_by: null },
  ]);

  // A response to a verdict (the right of reply) with a time to the microsecond, and its correction.
  const [response] = await db('claim_responses')
    .insert({
      claim_id: promise.id,
      responded_at: MICROSECOND_TIME,
      responder: AWKWARD_TEXT,
      responder_role: null,
      text: AWKWARD_TEXT,
      url: 'https://example.org/tanggapan?a=1&b=2',
      created_by: editor.id,
    })
    .returning('*');
  await db('claim_response_corrections').insert({
    response_id: response.id,
    note: AWKWARD_TEXT,
    text: null,
    url: 'https://example.org/tanggapan-lengkap',
    created_by: editor.id,
  });

  // A milestone report: its snapshot is JSON with text that a round trip must keep exactly.
  const [report] = await db('milestone_reports')
    .insert({
      candidate_id: candidate.id,
      slug: '100-hari',
      milestone: '100_days',
      title: '100 hari',
      as_of: '2025-05-31',
      intro: AWKWARD_TEXT,
      snapshot: JSON.stringify({
        as_of: '2025-05-31',
        counts: [{ kind: 'promise', status: 'in_progress', count: 1 }],
        promises: [{ id: promise.id, slug: promise.slug, title: AWKWARD_TEXT, status: 'in_progress' }],
      }),
      published_by: editor.id,
      published_at: MICROSECOND_TIME,
    })
    .returning('*');
  await db('milestone_report_corrections').insert({
    report_id: report.id,
    note: AWKWARD_TEXT,
    intro: 'Pengantar yang diperbaiki',
    created_by: editor.id,
  });

  await recordAudit(db, {
    actorId: editor.id,
    action: 'claim.update',
    entity: 'claim',
    entityId: promise.id,
    before: { title: null, topics: [], nested: { deep: [1, 'dua', { tiga: true }] } },
    after: { title: AWKWARD_TEXT, topics: [topic.id, last.id], version: 2 },
    requestId: 'req-0001',
  });
  await recordAudit(db, { actorId: null, action: 'user.create', entity: 'user', entityId: reporter.id });
  // JSON that JavaScript cannot carry unchanged: a 20-digit number, and a JSON null beside SQL NULL.
  await db('audit_log').insert({
    actor_id: editor.id,
    action: 'claim.import',
    entity: 'claim',
    entity_id: draft.id,
    before: db.raw("'null'::jsonb"),
    after: db.raw('?::jsonb', [
      '{"count": 12345678901234567890, "ratio": 0.1000000000000000055511151231257827}',
    ]),
  });

  await db('sessions').insert({
    sid: 'sesi-uji',
    sess: JSON.stringify({ userId: editor.id }),
    expired: new Date(Date.now() + 3_600_000),
  });
  await db('sign_in_attempts').insert({
    email: editor.email,
    ip: '127.0.0.1',
    succeeded: true,
    user_id: editor.id,
  });

  // Readers' tables, which the backup leaves out: rows here show that it does.
  const [subscriber] = await db('subscribers')
    .insert({
      email: 'pembaca@example.org',
      token_salt: 'garam',
      manage_token_hash: 'kelola',
      digest_unsubscribe_token_hash: 'ringkasan',
    })
    .returning('*');
  const [tip] = await db('tips')
    .insert({ kind: 'claim', quote: AWKWARD_TEXT, lang: 'id', fingerprint: 'sidik', ip_hash: 'hash' })
    .returning('*');
  const [follow] = await db('follows')
    .insert({
      subscriber_id: subscriber.id,
      target_kind: 'tip',
      tip_id: tip.id,
      lang: 'id',
      token_salt: 'garam',
      confirm_token_hash: 'konfirmasi',
      unsubscribe_token_hash: 'berhenti',
      confirmed_at: new Date(),
    })
    .returning('*');
  await db('outbox').insert({
    kind: 'confirm',
    recipient: subscriber.email,
    lang: 'id',
    idempotency_key: 'confirm:uji',
    follow_id: follow.id,
    subscriber_id: subscriber.id,
  });
  await db('digest_items').insert({ follow_id: follow.id, status_update_id: approved.id });
  await db('reader_requests').insert({ action: 'tip', key_hash: 'hash' });

  return {
    editor,
    reporter,
    election,
    candidate,
    photo,
    topic,
    promise,
    draft,
    retracted,
    supports,
    removed,
  };
}
