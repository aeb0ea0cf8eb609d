import type { Knex } from 'knex';
import type { Db } from '../../db';
import type { PhotoFile, PhotoFileFormat, PhotoVariant } from './photo-images';

export const PHOTO_PERSONS = ['candidate', 'running_mate'] as const;
export type PhotoPerson = (typeof PHOTO_PERSONS)[number];

/** A candidate's photo as pages show it (the files are fetched by URL). */
export interface CandidatePhoto {
  id: number;
  person: PhotoPerson;
  credit: string;
  licence: string;
  digest: string;
}

export interface PhotoRecord extends CandidatePhoto {
  candidate_id: number;
  source_format: string;
  source_width: number;
  source_height: number;
  uploaded_by: number | null;
  created_at: Date;
}

/**
 * The current photos of the candidate aliased `k`, as one JSON array, for a query that reads candidates
 * (no query of its own): the newest upload not removed, per person.
 */
export const CURRENT_PHOTOS_SQL = `(SELECT coalesce(json_agg(json_build_object('id', p.id, 'person', p.person,
    'credit', p.credit, 'licence', p.licence, 'digest', p.digest) ORDER BY p.person), '[]'::json)
  FROM (SELECT DISTINCT ON (x.person) x.* FROM candidate_photos x
         WHERE x.candidate_id = k.id AND x.removed_at IS NULL ORDER BY x.person, x.id DESC) p)`;

export function photosRepository(db: Db) {
  return {
    async insert(
      trx: Knex,
      photo: Omit<PhotoRecord, 'id' | 'created_at'>,
      files: PhotoFile[],
    ): Promise<PhotoRecord> {
      const [row] = await trx('candidate_photos').insert(photo).returning('*');
      await trx('candidate_photo_files').insert(
        files.map((file) => ({
          photo_id: row.id,
          variant: file.variant,
          format: file.format,
          width: file.width,
          height: file.height,
          bytes: file.bytes,
        })),
      );
      return row as PhotoRecord;
    },

    async current(trx: Knex, candidateId: number): Promise<CandidatePhoto[]> {
      const rows = await trx.raw(`SELECT ${CURRENT_PHOTOS_SQL} AS photos FROM candidates k WHERE k.id = ?`, [
        candidateId,
      ]);
      return (rows.rows[0]?.photos ?? []) as CandidatePhoto[];
    },

    async remove(trx: Knex, photoId: number, actorId: number): Promise<PhotoRecord | undefined> {
      const [row] = await trx('candidate_photos')
        .where({ id: photoId })
        .whereNull('removed_at')
        .update({ removed_at: trx.fn.now(), removed_by: actorId })
        .returning('*');
      return row as PhotoRecord | undefined;
    },

    /** One file of a photo, when the digest is the photo's (a URL that names a photo as it was). */
    async file(
      photoId: number,
      digest: string,
      variant: PhotoVariant,
      format: PhotoFileFormat,
    ): Promise<Buffer | undefined> {
      const row = await db('candidate_photo_files as f')
        .join('candidate_photos as p', 'p.id', 'f.photo_id')
        .where({ 'p.id': photoId, 'p.digest': digest, 'f.variant': variant, 'f.format': format })
        // A removed photo (a licence withdrawn, the wrong person) is gone from its address too.
        .whereNull('p.removed_at')
        .first('f.bytes');
      return row ? asBuffer(row.bytes) : undefined;
    },

    /** The large JPEG of each photo, for the share images, which draw them in. */
    async jpegs(photoIds: number[]): Promise<Map<number, Buffer>> {
      if (photoIds.length === 0) return new Map();
      const rows: { photo_id: number; bytes: Uint8Array }[] = await db('candidate_photo_files')
        .whereIn('photo_id', photoIds)
        .andWhere({ variant: 'large', format: 'jpeg' })
        .select('photo_id', 'bytes');
      return new Map(rows.map((row) => [row.photo_id, asBuffer(row.bytes)]));
    },
  };
}

/** bytea as a Buffer: pg gives one, the embedded engine a plain Uint8Array (whose toString is no base64). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export type PhotosRepository = ReturnType<typeof photosRepository>;

/** Where a photo's file is served: the digest makes the address change with the photo. */
export function photoUrl(
  photo: Pick<CandidatePhoto, 'id' | 'digest'>,
  variant: PhotoVariant,
  format: PhotoFileFormat,
) {
  return `/photos/${photo.id}-${photo.digest}-${variant}.${format === 'jpeg' ? 'jpg' : 'webp'}`;
}
