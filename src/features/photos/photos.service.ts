import type { Knex } from 'knex';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../lib/errors';
import { type AuditRepository, recordAudit } from '../audit/audit.repository';
import type { ReferenceRepository } from '../election-editing/reference.repository';
import { requiredText } from '../newsroom/forms';
import type { Actor } from '../users/accounts';
import { PhotoRefused } from './photo-check';
import { processPhoto } from './photo-images';
import { PHOTO_PERSONS, type PhotoRecord, type PhotosRepository } from './photos.repository';

export const PHOTO_FIELDS = ['person', 'photo_credit', 'photo_licence'] as const;

const photoSchema = z.object({
  person: z.preprocess(
    (v) => (v === undefined || v === '' ? 'candidate' : v),
    z.enum(PHOTO_PERSONS, { message: 'invalid' }),
  ),
  photo_credit: requiredText(300),
  photo_licence: requiredText(300),
});

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
}

/** Candidate photos: uploaded by editors, checked and re-encoded, kept in the database. */
export function photosService(deps: {
  db: Knex;
  photos: PhotosRepository;
  reference: ReferenceRepository;
  audit: AuditRepository;
}) {
  const { db, photos, reference } = deps;

  /** Marks the candidate changed, so that its pages (and every page that shows it) get a new version. */
  const touch = (trx: Knex, candidateId: number) =>
    trx('candidates').where({ id: candidateId }).update({ updated_at: trx.fn.now() });

  return {
    current: (candidateId: number) => photos.current(db, candidateId),

    /**
     * Stores a photo of a candidate or their running mate, or refuses it with every reason at once
     * (fields, then the file); nothing is stored unless all is well.
     */
    async upload(
      candidateId: number,
      input: Record<string, unknown>,
      file: UploadedFile | undefined,
      refusal: string | undefined,
      actor: Actor,
    ): Promise<PhotoRecord> {
      const candidate = await reference.findCandidate(candidateId);
      if (!candidate) throw new NotFoundError();
      const errors: Record<string, string> = {};
      const parsed = photoSchema.safeParse(input);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          errors[String(issue.path[0])] ??=
            issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
        }
      }
      if (parsed.success && parsed.data.person === 'running_mate' && !candidate.running_mate) {
        errors.person = 'photo_no_running_mate';
      }
      let processed: Awaited<ReturnType<typeof processPhoto>> | undefined;
      if (refusal) errors.photo = refusal;
      else if (!file) errors.photo = 'photo_missing';
      else {
        try {
          processed = await processPhoto(file.buffer, file.originalname);
        } catch (err) {
          if (!(err instanceof PhotoRefused)) throw err;
          errors.photo = err.reason;
        }
      }
      if (Object.keys(errors).length > 0 || !parsed.success || !processed) throw new ValidationError(errors);
      const fields = parsed.data;
      const made = processed;
      return db.transaction(async (trx) => {
        const row = await photos.insert(
          trx,
          {
            candidate_id: candidateId,
            person: fields.person,
            credit: fields.photo_credit,
            licence: fields.photo_licence,
            digest: made.digest,
            source_format: made.source.format,
            source_width: made.source.width,
            source_height: made.source.height,
            uploaded_by: actor.id,
          },
          made.files,
        );
        await touch(trx, candidateId);
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'candidate.photo',
          entity: 'candidate',
          entityId: candidateId,
          after: {
            photo_id: row.id,
            person: row.person,
            credit: row.credit,
            licence: row.licence,
            digest: row.digest,
          },
          requestId: actor.requestId,
        });
        return row;
      });
    },

    async remove(candidateId: number, photoId: number, actor: Actor): Promise<void> {
      await db.transaction(async (trx) => {
        const current = await photos.current(trx, candidateId);
        if (!current.some((photo) => photo.id === photoId)) throw new NotFoundError();
        const row = await photos.remove(trx, photoId, actor.id);
        if (!row) throw new NotFoundError();
        await touch(trx, candidateId);
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'candidate.photo_remove',
          entity: 'candidate',
          entityId: candidateId,
          before: { photo_id: row.id, person: row.person, credit: row.credit, licence: row.licence },
          requestId: actor.requestId,
        });
      });
    },
  };
}

export type PhotosService = ReturnType<typeof photosService>;
