import { Router } from 'express';
import { TooManyRequestsError, ValidationError } from '../../lib/errors';
import { pathId } from '../newsroom/forms';
import type { FollowingService } from './following.service';
import { readerFormBody, readerPage, sameSiteOnly, throttledPage, useFormLanguage } from './public-forms';

/** Follow by email: the form's POST, and the pages its email links lead to. */
export function followingRoutes(deps: { following: FollowingService; baseUrl: string }): Router {
  const { following } = deps;
  const router = Router();
  const page = readerPage;

  router.post('/follow', sameSiteOnly(deps.baseUrl), ...readerFormBody, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    useFormLanguage(req, res);
    const { lang, t } = req;
    try {
      const target = await following.follow({ body, lang, ip: req.ip ?? '' });
      page(res, 200, {
        title: t('follow.sent.title'),
        lines: [t('follow.sent.body', { target: target.label })],
        link: {
          href: `/${target.kind === 'claim' ? 'claims' : `${target.kind}s`}/${target.slug}`,
          label: target.label,
        },
      });
    } catch (err) {
      if (err instanceof TooManyRequestsError) {
        throttledPage(res, t, err);
        return;
      }
      if (err instanceof ValidationError) {
        const lines = Object.entries(err.fieldErrors).map(([field, key]) =>
          field === '_form'
            ? t(`follow.error.${key}`)
            : `${t(`follow.${field}`)}: ${t(`reader.error.${key}`)}`,
        );
        page(res, 400, { title: t('error.bad_request.title'), lines });
        return;
      }
      throw err;
    }
  });

  router.get('/follow/confirm/:token', async (req, res) => {
    const follow = await following.pendingConfirmation(req.params.token);
    page(res, 200, {
      title: req.t('follow.confirm.title'),
      lines: [req.t('follow.confirm.body', { target: follow.target_label ?? req.t('follow.kind.tip') })],
      button: { action: `/follow/confirm/${req.params.token}`, label: req.t('follow.confirm.button') },
    });
  });

  // Confirming takes a POST (the page's button), so that a link scanner that opens every link in an
  // email does not confirm on the reader's behalf. The token in the path is what authenticates it.
  router.post('/follow/confirm/:token', sameSiteOnly(deps.baseUrl), ...readerFormBody, async (req, res) => {
    const { follow, manageToken } = await following.confirm(req.params.token);
    page(res, 200, {
      title: req.t('follow.confirmed.title'),
      lines: [req.t('follow.confirmed.body', { target: follow.target_label ?? req.t('follow.kind.tip') })],
      link: { href: `/follow/manage/${manageToken}`, label: req.t('follow.manage_link') },
    });
  });

  router.get('/follow/unsubscribe/:token', async (req, res) => {
    const { labels } = await following.unsubscribeTarget(req.params.token);
    page(res, 200, {
      title: req.t('follow.unsubscribe.title'),
      lines: [req.t('follow.unsubscribe.body', { targets: labels.join('; ') })],
      button: {
        action: `/follow/unsubscribe/${req.params.token}`,
        label: req.t('follow.unsubscribe.button'),
      },
    });
  });

  // RFC 8058 one-click unsubscribe (the List-Unsubscribe-Post header) and the page's button alike. No
  // CSRF token by design: mail providers POST this from their servers; the unguessable token is the key.
  router.post('/follow/unsubscribe/:token', ...readerFormBody, async (req, res) => {
    await following.unsubscribe(req.params.token);
    page(res, 200, {
      title: req.t('follow.unsubscribed.title'),
      lines: [req.t('follow.unsubscribed.body')],
    });
  });

  router.get('/follow/manage/:token', async (req, res) => {
    const manage = await following.manage(req.params.token);
    res.set('Cache-Control', 'no-store');
    res.set('X-Robots-Tag', 'noindex');
    res.render('following/manage', {
      title: req.t('follow.manage.title'),
      email: manage.subscriber.email,
      follows: manage.follows,
      token: manage.token,
    });
  });

  router.post(
    '/follow/manage/:token/cancel',
    sameSiteOnly(deps.baseUrl),
    ...readerFormBody,
    async (req, res) => {
      const raw = (req.body as Record<string, unknown>).follow_id;
      const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
      const ids = values.includes('all') ? 'all' : values.map(pathId).filter((id) => id > 0);
      const { remaining } = await following.cancel(req.params.token, ids);
      if (remaining > 0) {
        res.redirect(303, `/follow/manage/${req.params.token}`);
        return;
      }
      page(res, 200, { title: req.t('follow.manage.title'), lines: [req.t('follow.manage.none')] });
    },
  );

  router.post(
    '/follow/manage/:token/forget',
    sameSiteOnly(deps.baseUrl),
    ...readerFormBody,
    async (req, res) => {
      await following.forget(req.params.token);
      page(res, 200, {
        title: req.t('follow.forgotten.title'),
        lines: [req.t('follow.forgotten.body')],
      });
    },
  );

  return router;
}
