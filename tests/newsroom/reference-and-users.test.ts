import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/lib/passwords';
import { createCandidate, createElection, createUser } from '../helpers/factories';
import { signIn, signInAs, useNewsroomApp } from '../helpers/newsroom';

describe('elections, candidates and topics', () => {
  const ctx = useNewsroomApp();

  it('an election is created with a slug from its name that stays when it is renamed; a stale rename is 409', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor', { display_name: 'Editor Pertama' });
    const other = await signInAs(ctx.app, ctx.db, 'editor');
    const invalid = await editor
      .post('/newsroom/elections/new', {
        name: 'Pilkada Kota Uji 2024',
        office: 'Wali Kota',
        region: 'Kota Uji',
        voting_day: '2024-11-27',
        term_start: '2025-02-20',
        term_end: '2025-01-01',
      })
      .expect(400);
    expect(invalid.text).toContain('Akhir masa jabatan harus setelah awalnya.');
    expect(invalid.text).toContain('value="Pilkada Kota Uji 2024"');
    const fields = {
      name: 'Pilkada Kota Uji 2024',
      office: 'Wali Kota',
      region: 'Kota Uji',
      voting_day: '2024-11-27',
    };
    await editor.post('/newsroom/elections/new', fields).expect(303);
    const election = await ctx.db('elections').where({ name: fields.name }).first();
    expect(election.slug).toBe('pilkada-kota-uji-2024');

    await editor
      .post(`/newsroom/elections/${election.id}/edit`, {
        ...fields,
        version: 1,
        name: 'Pilkada Serentak Kota Uji 2024',
        term_start: '2025-02-20',
        term_end: '2030-02-20',
      })
      .expect(303);
    const renamed = await ctx.db('elections').where({ id: election.id }).first();
    expect(renamed).toMatchObject({
      slug: 'pilkada-kota-uji-2024',
      name: 'Pilkada Serentak Kota Uji 2024',
      term_end: '2030-02-20',
      version: 2,
    });

    const stale = await other
      .post(`/newsroom/elections/${election.id}/edit`, { ...fields, version: 1, region: 'Wilayah lain' })
      .expect(409);
    expect(stale.text).toContain('Editor Pertama');
    expect(stale.text).toContain('value="Wilayah lain"');
    expect(stale.text).toContain('Pilkada Serentak Kota Uji 2024');
    expect((await ctx.db('elections').where({ id: election.id }).first()).region).toBe('Kota Uji');
  });

  it('a ticket is added to an election; a ballot number is used once per election', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const election = await createElection(ctx.db);
    await editor
      .post(`/newsroom/elections/${election.id}/candidates/new`, {
        name: 'Andi Uji',
        running_mate: 'Zuhri Uji',
        party: 'Koalisi Uji',
        is_incumbent: 'true',
        ballot_number: '1',
        bio: 'Petahana.',
      })
      .expect(303);
    const candidate = await ctx.db('candidates').where({ election_id: election.id }).first();
    expect(candidate).toMatchObject({
      slug: 'andi-uji',
      running_mate: 'Zuhri Uji',
      is_incumbent: true,
      ballot_number: 1,
    });
    const taken = await editor
      .post(`/newsroom/elections/${election.id}/candidates/new`, { name: 'Calon Lain', ballot_number: '1' })
      .expect(400);
    expect(taken.text).toContain('Nomor urut ini sudah dipakai dalam pemilihan ini.');
    await editor
      .post(`/newsroom/candidates/${candidate.id}/edit`, { name: 'Andi Uji', version: 1, ballot_number: '2' })
      .expect(303);
    expect(await ctx.db('candidates').where({ id: candidate.id }).first()).toMatchObject({
      ballot_number: 2,
      is_incumbent: false,
      slug: 'andi-uji',
    });
    const page = await editor.get('/newsroom/elections').expect(200);
    expect(page.text).toContain('Andi Uji');
  });

  it('topics: anyone in the newsroom adds one, names are unique whatever the case, editors rename them', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    await reporter.post('/newsroom/topics', { name: 'Reformasi Birokrasi' }).expect(303);
    const dup = await reporter.post('/newsroom/topics', { name: 'reformasi birokrasi' }).expect(400);
    expect(dup.text).toContain('Topik dengan nama ini sudah ada.');
    const topic = await ctx.db('topics').where({ name: 'Reformasi Birokrasi' }).first();
    expect(topic.slug).toBe('reformasi-birokrasi');
    await reporter.post(`/newsroom/topics/${topic.id}/edit`, { name: 'x', version: 1 }).expect(403);
    await editor
      .post(`/newsroom/topics/${topic.id}/edit`, { name: 'Reformasi birokrasi daerah', version: 1 })
      .expect(303);
    expect(await ctx.db('topics').where({ id: topic.id }).first()).toMatchObject({
      name: 'Reformasi birokrasi daerah',
      slug: 'reformasi-birokrasi',
    });
  });

  it('the claim form lists candidates grouped by election', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db, { name: 'Calon Dalam Grup' });
    const election = await ctx.db('elections').where({ id: candidate.election_id }).first();
    const form = await reporter.get('/newsroom/claims/new').expect(200);
    expect(form.text).toContain(`<optgroup label="${election.name}">`);
    expect(form.text).toContain('Calon Dalam Grup');
  });
});

describe('account management', () => {
  const ctx = useNewsroomApp();

  it('an admin creates an account; the new account can sign in; field errors in the page language', async () => {
    const admin = await signInAs(ctx.app, ctx.db, 'admin');
    const short = await admin
      .post('/newsroom/users', {
        email: 'baru@redaksi.test',
        display_name: 'Baru',
        role: 'reporter',
        password: 'pendek',
      })
      .expect(400);
    expect(short.text).toContain('Kata sandi sedikitnya 12 karakter.');
    expect(short.text).toContain('value="baru@redaksi.test"');
    expect(short.text).not.toContain('value="pendek"');
    const password = 'kata-sandi-awal-yang-panjang';
    await admin
      .post('/newsroom/users', {
        email: 'Baru@Redaksi.test',
        display_name: 'Reporter Baru',
        role: 'reporter',
        password,
      })
      .expect(303);
    const user = await ctx.db('users').where({ email: 'baru@redaksi.test' }).first();
    expect(user).toMatchObject({ display_name: 'Reporter Baru', role: 'reporter', active: true });
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.password_hash, password)).toBe(true);
    await signIn(ctx.app, { ...user, password });
    const taken = await admin
      .post('/newsroom/users?lang=en', {
        email: 'baru@redaksi.test',
        display_name: 'Lagi',
        role: 'editor',
        password,
      })
      .expect(409);
    expect(taken.text).toContain('An account with this email already exists.');
  });

  it('an admin changes a name and role against the version; a stale save is 409 and overwrites nothing', async () => {
    const admin = await signInAs(ctx.app, ctx.db, 'admin');
    const user = await createUser(ctx.db, { role: 'reporter', display_name: 'Nama Lama' });
    await admin
      .post(`/newsroom/users/${user.id}`, { display_name: 'Nama Baru', role: 'editor', version: 1 })
      .expect(303);
    const stale = await admin
      .post(`/newsroom/users/${user.id}`, { display_name: 'Nama Basi', role: 'admin', version: 1 })
      .expect(409);
    expect(stale.text).toContain('value="Nama Basi"');
    expect(stale.text).toContain('Nama Baru');
    expect(await ctx.db('users').where({ id: user.id }).first()).toMatchObject({
      display_name: 'Nama Baru',
      role: 'editor',
      version: 2,
    });
    const page = await admin.get(`/newsroom/users/${user.id}`).expect(200);
    expect(page.text).not.toContain('$argon2');
  });

  it('an admin cannot lock themselves out: no disabling or demoting their own account', async () => {
    const admin = await signInAs(ctx.app, ctx.db, 'admin');
    await admin.post(`/newsroom/users/${admin.user.id}/disable`).expect(409);
    const demote = await admin
      .post(`/newsroom/users/${admin.user.id}`, {
        display_name: admin.user.display_name,
        role: 'reporter',
        version: 1,
      })
      .expect(400);
    expect(demote.text).toContain('Anda tidak dapat mengubah peran akun Anda sendiri.');
    expect(await ctx.db('users').where({ id: admin.user.id }).first()).toMatchObject({
      role: 'admin',
      active: true,
    });
  });

  it('an admin re-enables a disabled account', async () => {
    const admin = await signInAs(ctx.app, ctx.db, 'admin');
    const user = await createUser(ctx.db, { active: false });
    await admin.post(`/newsroom/users/${user.id}/enable`).expect(303);
    expect((await ctx.db('users').where({ id: user.id }).first()).active).toBe(true);
    await signIn(ctx.app, user);
  });
});
