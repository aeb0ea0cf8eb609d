import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import { redirectWithFlash } from '../newsroom/forms';
import { IMPORT_COLUMNS, type ImportPreview, type ImportsService, MAX_IMPORT_ROWS } from './imports.service';

/**
 * The CSV text of an import: an uploaded file (field `file`) or the pasted/carried text (field `csv`).
 * Undefined for a file that is not UTF-8, which would otherwise be read with U+FFFD in place of its letters.
 */
function csvText(req: Request): string | undefined {
  const file = (req as Request & { file?: { buffer: Buffer } }).file;
  if (file) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(file.buffer);
    } catch {
      return undefined;
    }
  }
  const pasted = (req.body as Record<string, unknown>)?.csv;
  return typeof pasted === 'string' ? pasted : '';
}

export function importsRoutes(deps: { imports: ImportsService }): Router {
  const { imports } = deps;
  const router = Router();
  const reporter = requireRole('reporter');

  function render(req: Request, res: Response, status: number, preview?: ImportPreview, text = '') {
    res.status(status).render('newsroom/import', {
      title: req.t('newsroom.import.title'),
      columns: IMPORT_COLUMNS,
      maxRows: MAX_IMPORT_ROWS,
      preview,
      csv: text,
    });
  }

  router.get('/newsroom/import', reporter, (req, res) => {
    render(req, res, 200);
  });

  router.post('/newsroom/import', reporter, async (req, res) => {
    const text = csvText(req);
    if (text === undefined) {
      const preview = { fileErrors: [{ key: 'not_utf8' }], ignoredColumns: [], rows: [], valid: false };
      render(req, res, 400, preview);
      return;
    }
    const committing = (req.body as Record<string, unknown>)?.commit === '1';
    if (!committing) {
      const preview = await imports.preview(text);
      render(req, res, preview.valid ? 200 : 400, preview, text);
      return;
    }
    const { preview, created } = await imports.commit(text, actorOf(req));
    if (created === 0) {
      render(req, res, 400, preview, text);
      return;
    }
    await redirectWithFlash(
      req,
      res,
      'newsroom.flash.imported',
      `/newsroom/claims?state=draft&imported=${created}`,
    );
  });

  router.get('/newsroom/export/claims.csv', reporter, async (_req, res) => {
    const csv = await imports.exportClaims();
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', 'attachment; filename="kawal-janji-claims.csv"')
      .send(csv);
  });

  router.get('/newsroom/export/evidence.csv', reporter, async (_req, res) => {
    const csv = await imports.exportEvidence();
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', 'attachment; filename="kawal-janji-evidence.csv"')
      .send(csv);
  });

  router.get('/newsroom/export/status-updates.csv', reporter, async (_req, res) => {
    const csv = await imports.exportStatusUpdates();
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', 'attachment; filename="kawal-janji-status-updates.csv"')
      .send(csv);
  });

  return router;
}
