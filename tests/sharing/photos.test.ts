import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/lib/i18n';
import { createCandidate, createElection } from '../helpers/factories';
import { type NewsroomSession, signInAs, useNewsroomApp } from '../helpers/newsroom';
import { html } from '../public/html';
import { binary, readPng } from './png';

const id = translator('id');
const en = translator('en');

/** A photo as a camera would send it: EXIF with a GPS position. */
async function cameraJpeg(width = 900, height = 1200, colour = '#7a9cc6'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'KameraUji', Model: 'Model 1', Copyright: 'Fotografer Uji' },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '0/1 30/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '117/1 9/1 0/1',
      },
    })
    .toBuffer();
}

function crc(data: Buffer): Buffer {
  const out = Buffer.alloc(4);
  let c = ~0;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  out.writeUInt32BE(~c >>> 0);
  return out;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([length, typed, crc(typed)]);
}

/** A PNG that says it is 20,000 × 20,000 (400 megapixels) in a few hundred bytes: a decompression bomb. */
function bombPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(20_000, 0);
  header.writeUInt32BE(20_000, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(60_001))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('candidate photos', () => {
  const ctx = useNewsroomApp({ PAGE_CACHE: 'on' });
  let editor: NewsroomSession;
  let jpeg: Buffer;
  let png: Buffer;

  beforeAll(async () => {
    editor = await signInAs(ctx.app, ctx.db, 'editor');
    jpeg = await cameraJpeg();
    png = await sharp({ create: { width: 400, height: 400, channels: 4, background: '#c69a7a' } })
      .png()
      .toBuffer();
  });

  async function ticket() {
    const election = await createElection(ctx.db);
    return createCandidate(ctx.db, {
      election_id: election.id,
      name: 'Andi Foto',
      running_mate: 'Budi Foto',
    });
  }

  function upload(
    candidateId: number,
    file: { bytes: Buffer; name: string; type?: string } | undefined,
    fields: Record<string, string> = { photo_credit: 'Humas Pemkot', photo_licence: 'CC BY 4.0' },
    lang = '?lang=id',
  ) {
    const post = editor.agent
      .post(`/newsroom/candidates/${candidateId}/photos${lang}`)
      .field('_csrf', editor.csrf);
    for (const [name, value] of Object.entries(fields)) post.field(name, value);
    if (file)
      post.attach('photo', file.bytes, { filename: file.name, contentType: file.type ?? 'image/jpeg' });
    return post;
  }

  const stored = async () => ({
    photos: Number((await ctx.db('candidate_photos').count({ n: '*' }).first())?.n),
    files: Number((await ctx.db('candidate_photo_files').count({ n: '*' }).first())?.n),
  });

  it('stores an editor’s photo in WebP and JPEG at two sizes, with no metadata, and shows it with alt text and credit', async () => {
    const candidate = await ticket();
    await upload(candidate.id, { bytes: jpeg, name: 'andi.jpg' }).expect(303);
    await upload(
      candidate.id,
      { bytes: png, name: 'budi.png', type: 'image/png' },
      {
        person: 'running_mate',
        photo_credit: 'Tim Budi',
        photo_licence: 'Izin tertulis',
      },
    ).expect(303);
    const photos = await ctx.db('candidate_photos').where({ candidate_id: candidate.id }).orderBy('id');
    expect(photos.map((p) => [p.person, p.credit, p.licence, p.source_format])).toEqual([
      ['candidate', 'Humas Pemkot', 'CC BY 4.0', 'jpeg'],
      ['running_mate', 'Tim Budi', 'Izin tertulis', 'png'],
    ]);
    const files = await ctx
      .db('candidate_photo_files')
      .where({ photo_id: photos[0].id })
      .orderBy(['variant', 'format']);
    expect(files.map((f) => `${f.variant}.${f.format} ${f.width}x${f.height}`)).toEqual([
      'large.jpeg 480x600',
      'large.webp 480x600',
      'small.jpeg 160x200',
      'small.webp 160x200',
    ]);
    for (const file of files) {
      const meta = await sharp(file.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([file.format, file.width, file.height]);
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(file.bytes.includes(Buffer.from('KameraUji'))).toBe(false);
    }
    const audit = await ctx.db('audit_log').where({ action: 'candidate.photo', entity_id: candidate.id });
    expect(audit).toHaveLength(2);

    const doc = html((await request(ctx.app).get(`/candidates/${candidate.slug}`).expect(200)).text);
    const images = [...doc.querySelectorAll('.photos img')];
    expect(images.map((img) => img.getAttribute('alt'))).toEqual(['Foto Andi Foto', 'Foto Budi Foto']);
    expect(doc.querySelector('.photos figcaption')?.textContent).toBe('Foto: Humas Pemkot (CC BY 4.0)');
    const webp = doc.querySelector('.photos source')?.getAttribute('srcset') ?? '';
    const jpg = images[0]?.getAttribute('src') ?? '';
    expect(webp).toMatch(/^\/photos\/\d+-[0-9a-f]{16}-large\.webp$/);
    for (const [url, type] of [
      [webp, 'image/webp'],
      [jpg, 'image/jpeg'],
    ] as const) {
      const res = await request(ctx.app).get(url).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await sharp(res.body as Buffer).metadata()).width).toBe(480);
    }
    const election = html(
      (
        await request(ctx.app)
          .get(
            `/elections/${candidate.election_id === undefined ? '' : (await ctx.db('elections').where({ id: candidate.election_id }).first()).slug}?lang=en`,
          )
          .expect(200)
      ).text,
    );
    expect(
      [...election.querySelectorAll('.ticket .photos img')].map((img) => img.getAttribute('alt')),
    ).toEqual(['Photo of Andi Foto', 'Photo of Budi Foto']);
    expect(election.querySelector('.ticket .photos img')?.getAttribute('src')).toMatch(/-small\.jpg$/);

    // A new photo is a new address; the share image draws it, under a new ETag.
    const before = await request(ctx.app)
      .get(`/candidates/${candidate.slug}/share.png`)
      .buffer(true)
      .parse(binary);
    await upload(candidate.id, { bytes: await cameraJpeg(1000, 1000, '#336699'), name: 'baru.jpeg' }).expect(
      303,
    );
    const again = html((await request(ctx.app).get(`/candidates/${candidate.slug}`).expect(200)).text);
    expect(again.querySelector('.photos source')?.getAttribute('srcset')).not.toBe(webp);
    const after = await request(ctx.app)
      .get(`/candidates/${candidate.slug}/share.png`)
      .buffer(true)
      .parse(binary);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const facts = readPng(after.body as Buffer);
    expect([facts.signature, facts.width, facts.height]).toEqual([true, 1200, 630]);
    expect((after.body as Buffer).length).toBeLessThan(300 * 1024);
    // The new photo (a plain #336699) is drawn where the candidate's photo goes.
    const pixel = await sharp(after.body as Buffer)
      .extract({ left: 100, top: 120, width: 1, height: 1 })
      .removeAlpha()
      .raw()
      .toBuffer();
    const sent = [0x33, 0x66, 0x99];
    expect(
      [...pixel].every((drawn, i) => Math.abs(drawn - (sent[i] ?? 0)) < 12),
      `${[...pixel]}`,
    ).toBe(true);
  }, 60_000);

  const hostile: {
    name: string;
    file: () => Promise<{ bytes: Buffer; name: string; type?: string }>;
    reason: string;
    status: number;
  }[] = [
    {
      name: 'a JPEG with a script appended',
      file: async () => ({
        bytes: Buffer.concat([jpeg, Buffer.from('<script>alert(document.cookie)</script>')]),
        name: 'foto.jpg',
      }),
      reason: 'photo_trailing_data',
      status: 400,
    },
    {
      name: 'a PNG named .jpg',
      file: async () => ({ bytes: png, name: 'foto.jpg' }),
      reason: 'photo_misnamed_png',
      status: 400,
    },
    {
      name: 'a 20,000 × 20,000 image',
      file: async () => ({ bytes: bombPng(), name: 'bom.png', type: 'image/png' }),
      reason: 'photo_too_many_pixels',
      status: 400,
    },
    {
      name: 'an SVG',
      file: async () => ({
        bytes: Buffer.from(
          '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>',
        ),
        name: 'foto.svg',
        type: 'image/svg+xml',
      }),
      reason: 'photo_svg',
      status: 400,
    },
    {
      name: 'an SVG named .jpg',
      file: async () => ({
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        name: 'foto.jpg',
      }),
      reason: 'photo_svg',
      status: 400,
    },
    {
      name: 'a truncated JPEG',
      file: async () => ({ bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)), name: 'foto.jpg' }),
      reason: 'photo_truncated',
      status: 400,
    },
    {
      name: 'a zero-byte file',
      file: async () => ({ bytes: Buffer.alloc(0), name: 'kosong.jpg' }),
      reason: 'photo_empty',
      status: 400,
    },
    {
      name: 'a 6 MB file',
      file: async () => ({
        bytes: Buffer.concat([jpeg, Buffer.alloc(6 * 1024 * 1024 - jpeg.length, 1)]),
        name: 'besar.jpg',
      }),
      reason: 'photo_too_large',
      status: 413,
    },
    {
      name: 'a text file',
      file: async () => ({ bytes: Buffer.from('bukan gambar'), name: 'catatan.txt', type: 'text/plain' }),
      reason: 'photo_not_image',
      status: 400,
    },
  ];

  for (const attempt of hostile) {
    it(`refuses ${attempt.name} with a clear message, in Indonesian and English, and stores nothing`, async () => {
      const candidate = await ticket();
      const before = await stored();
      const file = await attempt.file();
      const res = await upload(candidate.id, file).expect(attempt.status);
      expect(html(res.text).querySelector('#f-photo-error')?.textContent).toBe(
        id(`newsroom.error.${attempt.reason}`),
      );
      const english = await upload(candidate.id, file, undefined, '?lang=en').expect(attempt.status);
      expect(html(english.text).querySelector('#f-photo-error')?.textContent).toBe(
        en(`newsroom.error.${attempt.reason}`),
      );
      // The form keeps what was typed.
      expect(html(english.text).querySelector('#f-photo_credit')?.getAttribute('value')).toBe('Humas Pemkot');
      expect(await stored()).toEqual(before);
      const audit = await ctx.db('audit_log').where({ action: 'candidate.photo', entity_id: candidate.id });
      expect(audit).toHaveLength(0);
    }, 30_000);
  }

  it('requires a credit and a licence, and stores nothing without them', async () => {
    const candidate = await ticket();
    const before = await stored();
    const res = await upload(candidate.id, { bytes: jpeg, name: 'foto.jpg' }, { photo_credit: ' ' }).expect(
      400,
    );
    const doc = html(res.text);
    expect(doc.querySelector('#f-photo_credit-error')?.textContent).toBe(id('newsroom.error.required'));
    expect(doc.querySelector('#f-photo_licence-error')?.textContent).toBe(id('newsroom.error.required'));
    expect(await stored()).toEqual(before);
  });

  it('is for editors only, and a removed photo leaves the pages and its address', async () => {
    const candidate = await ticket();
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    await reporter.get(`/newsroom/candidates/${candidate.id}/photos`).expect(403);
    await reporter.agent
      .post(`/newsroom/candidates/${candidate.id}/photos`)
      .field('_csrf', reporter.csrf)
      .field('photo_credit', 'x')
      .field('photo_licence', 'y')
      .attach('photo', jpeg, 'foto.jpg')
      .expect(403);
    await upload(candidate.id, { bytes: jpeg, name: 'foto.jpg' }).expect(303);
    const page = await editor.get(`/newsroom/candidates/${candidate.id}/photos`).expect(200);
    const photo = await ctx.db('candidate_photos').where({ candidate_id: candidate.id }).first();
    expect(page.text).toContain('Humas Pemkot');
    const url = `/photos/${photo.id}-${photo.digest}-large.jpg`;
    await request(ctx.app).get(url).expect(200);
    await editor.post(`/newsroom/candidates/${candidate.id}/photos/${photo.id}/remove`).expect(303);
    await request(ctx.app).get(url).expect(404);
    const doc = html((await request(ctx.app).get(`/candidates/${candidate.slug}`).expect(200)).text);
    expect(doc.querySelector('.photos')).toBeNull();
    expect(
      await ctx.db('audit_log').where({ action: 'candidate.photo_remove', entity_id: candidate.id }),
    ).toHaveLength(1);
    for (const bad of [
      '1-zz-large.jpg',
      `${photo.id}-${'0'.repeat(16)}-large.jpg`,
      `${photo.id}-${photo.digest}-huge.jpg`,
    ]) {
      await request(ctx.app).get(`/photos/${bad}`).expect(404);
    }
  }, 60_000);
});
