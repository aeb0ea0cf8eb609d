import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import { NotFoundError } from '../../lib/errors';
import type { ReferenceService } from '../election-editing/reference.service';
import { formFailure, formValues, pathId, redirectWithFlash } from '../newsroom/forms';
import { PHOTO_FILE_FORMATS, PHOTO_VARIANTS, type PhotoFileFormat, type PhotoVariant } from './photo-images';
import { type PhotosRepository, photoUrl } from './photos.repository';
import { PHOTO_FIELDS, type PhotosService } from './photos.service';

/** A year: a photo's address names its digest, so what is there never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const FILE = /^(\d{1,9})-([0-9a-f]{16})-(large|small)\.(webp|jpg)$/;

/** The public files of candidate photos, under addresses that change with the photo. */
export function photoFileRoutes(deps: { photos: PhotosRepository }): Router {
  const router = Router();
  router.get('/photos/:file', async (req, res) => {
    const match = FILE.exec(req.params.file);
    if (!match) throw new NotFoundError();
    const [, id, digest, variant, extension] = match as unknown as [
      string,
      string,
      string,
      PhotoVariant,
      string,
    ];
    const format: PhotoFileFormat = extension === 'jpg' ? 'jpeg' : 'webp';
    const bytes = await deps.photos.file(Number(id), digest, variant, format);
    if (!bytes) throw new NotFoundError();
    res.setHeader('Cache-Control', IMMUTABLE);
    res.setHeader('Content-Type', format === 'jpeg' ? 'image/jpeg' : 'image/webp');
    res.setHeader('ETag', `"${digest}-${variant}-${format}"`);
    if (req.headers['if-none-match'] === res.getHeader('ETag')) {
      res.status(304).end();
      return;
    }
    res.send(bytes);
  });
  return router;
}

/** The newsroom's photo page of a candidate (ticket): the photos shown now, and the upload form. */
export function photoRoutes(deps: { photos: PhotosService; reference: ReferenceService }): Router {
  const router = Router();
  const editor = requireRole('editor');

  async function render(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    const id = pathId(req.params.id);
    const candidate = await deps.reference.candidate(id);
    const photos = (await deps.photos.current(id)).map((photo) => ({
      ...photo,
      src: photoUrl(photo, 'small', 'jpeg'),
      webp: photoUrl(photo, 'small', 'webp'),
    }));
    res.status(status).render('newsroom/candidate-photos', {
      title: req.t('newsroom.photos.title', { name: candidate.name }),
      candidate,
      photos,
      values: formValues({}, PHOTO_FIELDS),
      errors: {},
      sizes: PHOTO_VARIANTS,
      formats: PHOTO_FILE_FORMATS,
      ...locals,
    });
  }

  router.get('/newsroom/candidates/:id/photos', editor, async (req, res) => {
    await render(req, res, 200, {});
  });

  router.post('/newsroom/candidates/:id/photos', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await deps.photos.upload(id, req.body ?? {}, req.file, req.uploadRefusal, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', `/newsroom/candidates/${id}/photos`);
    } catch (err) {
      const failure = formFailure(err);
      await render(req, res, failure.errors.photo === 'photo_too_large' ? 413 : failure.status, {
        values: formValues(req.body ?? {}, PHOTO_FIELDS),
        errors: failure.errors,
      });
    }
  });

  router.post('/newsroom/candidates/:id/photos/:photoId/remove', editor, async (req, res) => {
    const id = pathId(req.params.id);
    await deps.photos.remove(id, pathId(req.params.photoId), actorOf(req));
    await redirectWithFlash(req, res, 'newsroom.flash.saved', `/newsroom/candidates/${id}/photos`);
  });

  return router;
}
