// The whole product journey against the real server, one step after the other. Each step gets
// the shared `ctx` ({browser, server, shots, artifacts, workletPath, state}) and throws on failure.
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { consentSteps } from './steps/consent.mjs';
import { screenSteps } from './steps/screens.mjs';
import { watchPage } from './steps/watch.mjs';
import { speakerSteps } from './steps/speaker.mjs';
import { watchWire, wireSteps } from './steps/wire.mjs';
import { fillCallSetup, guidanceAfterCallSteps, guidanceSteps } from './steps/guidance.mjs';
import { gapsIn, keywordSequence } from './wav.mjs';

const ADMIN = { team_name: 'Acme Sales', name: 'Ada Admin', email: 'ada@example.com', password: 'e2e-password-123' };
const COACH = { name: 'Cole Coach', email: 'cole@example.com', password: 'e2e-password-456', role: 'coach' };
const CALL_TITLE = 'Discovery call with Globex';
const WHISPER = 'Ask which budget cycle they are in';
const VIEWPORT = { width: 1280, height: 860 };

/** JSON from the API with the admin's token (logged in once per server, reused after restarts). */
async function apiGet(ctx, path) {
  if (!ctx.state.token) {
    const res = await fetch(`${ctx.server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    assert.equal(res.status, 200, 'API login failed');
    ctx.state.token = (await res.json()).access_token;
  }
  const res = await fetch(`${ctx.server.url}${path}`, { headers: { Authorization: `Bearer ${ctx.state.token}` } });
  assert.equal(res.status, 200, `GET ${path} answered ${res.status}`);
  return res.json();
}

async function newPage(ctx, label) {
  const context = await ctx.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const page = await context.newPage();
  watchPage(ctx, page, label);
  return page;
}

async function logIn(page, baseUrl, user) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/live$/, { timeout: 10_000 });
}

const transcript = (page) => page.getByRole('region', { name: 'Transcript' });

export const journey = [
  {
    name: 'first-run setup creates the team and its admin',
    async run(ctx) {
      const page = (ctx.state.rep = await newPage(ctx, 'rep'));
      ctx.state.wire = watchWire(page);
      await page.goto(`${ctx.server.url}/`);
      await page.waitForURL(/\/setup$/, { timeout: 10_000 });
      await page.getByLabel('Team name').fill(ADMIN.team_name);
      await page.getByLabel('Your name').fill(ADMIN.name);
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Create admin account' }).click();
      await page.waitForURL(/\/live$/, { timeout: 10_000 });
    },
  },
  {
    name: 'log out, the login form validates input, log in again',
    async run({ state, server }) {
      const page = state.rep;
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(/\/login/, { timeout: 10_000 });
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText('Enter a valid email address').waitFor({ timeout: 5000 });
      assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
      await logIn(page, server.url, ADMIN);
    },
  },
  {
    name: 'the admin adds a coach in user management',
    async run({ state, server }) {
      const page = state.rep;
      await page.goto(`${server.url}/admin`);
      const form = page.getByRole('form', { name: 'Add a user' });
      await form.getByLabel('Name').fill(COACH.name);
      await form.getByLabel('Email').fill(COACH.email);
      await form.getByLabel('Initial password').fill(COACH.password);
      await form.getByLabel('Role').selectOption(COACH.role);
      await form.getByRole('button', { name: 'Add user' }).click();
      await page.getByRole('cell', { name: COACH.email }).waitFor({ timeout: 10_000 });
    },
  },
  {
    name: 'the fake microphone goes through our PCM worklet as 100 ms Int16 chunks',
    async run({ state, workletPath }) {
      assert.ok(workletPath, 'built worklet asset not found in dist/assets');
      const result = await state.rep.evaluate(async (path) => {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        const ctx = new AudioContext({ sampleRate: 16000 });
        await ctx.audioWorklet.addModule(path);
        const node = new AudioWorkletNode(ctx, 'pcm-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
        const chunks = [];
        node.port.onmessage = (e) => chunks.push({ bytes: e.data.pcm.byteLength, peak: Math.max(...new Int16Array(e.data.pcm).map(Math.abs)) });
        ctx.createMediaStreamSource(stream).connect(node);
        await new Promise((r) => setTimeout(r, 2500));
        stream.getTracks().forEach((t) => t.stop());
        await ctx.close();
        return { sampleRate: ctx.sampleRate, chunks };
      }, workletPath);
      assert.equal(result.sampleRate, 16000);
      assert.ok(result.chunks.length >= 15, `expected ~25 chunks, got ${result.chunks.length}`);
      assert.ok(result.chunks.every((c) => c.bytes === 3200), 'every chunk is 1600 samples of Int16');
      assert.ok(result.chunks.some((c) => c.peak > 1000), 'the speech is audible in the PCM');
    },
  },
  {
    name: 'the rep starts a call with the fake microphone and the meeting tab',
    async run(ctx) {
      const page = ctx.state.rep;
      await page.goto(`${ctx.server.url}/live`);
      await page.getByLabel('Call title (optional)').fill(CALL_TITLE);
      await fillCallSetup(page);
      await page.getByLabel(/share the meeting tab/).check();
      await page.getByRole('button', { name: 'Start call' }).click();
      await page.locator('.conn-live').waitFor({ timeout: 15_000 });
      await page.getByText('We hear you').first().waitFor({ timeout: 10_000 });
      const live = await apiGet(ctx, '/api/v1/calls?state=live');
      assert.equal(live.total, 1, 'exactly one live call');
      ctx.state.callId = live.items[0].id;
    },
  },
  {
    name: 'the transcript shows the spoken sentence',
    timeoutMs: 60_000,
    async run({ state }) {
      // The fake microphone loops its file from wherever it was when the call started: the
      // price sentence may have just gone by, and comes round again within one loop (32 s).
      await transcript(state.rep).getByText(/price is too expensive/i).first().waitFor({ timeout: 50_000 });
    },
  },
  {
    name: 'a price-objection card appears',
    async run({ state }) {
      const cards = state.rep.getByRole('region', { name: 'Suggestions' });
      await cards.getByText('Price objection').first().waitFor({ timeout: 20_000 });
    },
  },
  ...wireSteps,
  ...guidanceSteps,
  {
    name: 'a coach joins the live call from the coach room and sees the transcript',
    async run(ctx) {
      const page = (ctx.state.coach = await newPage(ctx, 'coach'));
      await logIn(page, ctx.server.url, COACH);
      await page.goto(`${ctx.server.url}/coach`);
      await page.getByRole('link', { name: `Join ${CALL_TITLE} of ${ADMIN.name}` }).click();
      await page.getByRole('heading', { name: 'Listening in' }).waitFor({ timeout: 10_000 });
      await transcript(page).getByText(/too expensive/i).first().waitFor({ timeout: 20_000 });
      await ctx.state.rep.getByText(`Listening in: ${COACH.name}`).waitFor({ timeout: 10_000 });
    },
  },
  {
    name: "the coach's whisper reaches the rep",
    async run(ctx) {
      const { coach, rep } = ctx.state;
      await coach.getByRole('textbox', { name: 'Whisper to the rep' }).fill(WHISPER);
      await coach.getByRole('button', { name: 'Send' }).click();
      await rep.getByRole('region', { name: 'Whispers from your coach' }).getByText(WHISPER).waitFor({ timeout: 10_000 });
      await coach.screenshot({ path: join(ctx.shots, 'coach-room.png') });
      await rep.screenshot({ path: join(ctx.shots, 'live-call.png') });
    },
  },
  {
    name: 'server killed mid-call: the page reconnects to the same call',
    timeoutMs: 90_000,
    allowErrors: true, // the page logs the failed reconnection attempts while the server is down
    async run(ctx) {
      const { rep, callId } = ctx.state;
      await ctx.server.kill();
      await rep.getByText('Reconnecting…').waitFor({ timeout: 15_000 });
      await new Promise((r) => setTimeout(r, 3000)); // speech keeps coming and is buffered
      await ctx.server.start();
      await rep.locator('.conn-live').waitFor({ timeout: 30_000 });
      const calls = await apiGet(ctx, '/api/v1/calls');
      assert.equal(calls.total, 1, 'no second call was created');
      assert.equal(calls.items[0].id, callId);
      assert.ok(['live', 'degraded'].includes(calls.items[0].state), `call state ${calls.items[0].state}`);
      await new Promise((r) => setTimeout(r, 18_000)); // resent audio, then enough new speech for the gap check
    },
  },
  {
    name: 'stop: the call is in the history with its transcript',
    async run(ctx) {
      const { rep, callId } = ctx.state;
      await rep.getByRole('button', { name: 'End call' }).click();
      await rep.getByText(/Call ended/).waitFor({ timeout: 20_000 });
      await rep.goto(`${ctx.server.url}/calls`);
      const row = rep.getByRole('row').filter({ hasText: CALL_TITLE });
      await row.getByText('ended').waitFor({ timeout: 10_000 });
      await rep.screenshot({ path: join(ctx.shots, 'history.png') });
      await row.getByRole('link').first().click();
      await rep.waitForURL(new RegExp(`/calls/${callId}$`), { timeout: 10_000 });
      await transcript(rep).getByText(/too expensive/i).first().waitFor({ timeout: 10_000 });
      await rep.screenshot({ path: join(ctx.shots, 'call-detail.png') });
    },
  },
  ...guidanceAfterCallSteps,
  {
    name: 'speech buffered while reconnecting is in the stored transcript (no gap)',
    async run(ctx) {
      const stored = await apiGet(ctx, `/api/v1/calls/${ctx.state.callId}/transcript`);
      const repTexts = stored.items.filter((u) => u.source === 'rep').map((u) => u.text);
      const sequence = keywordSequence(repTexts);
      const { missing, repeated, unheard } = gapsIn(sequence);
      ctx.log(`rep sentences in order: ${sequence.join(' ')} (missing ${missing}, repeated ${repeated}, never heard ${unheard})`);
      assert.ok(sequence.length >= 8, `only ${sequence.length} sentences were transcribed`);
      // One sentence may be lost with the killed process (acknowledged, not yet transcribed)
      // and up to two misheard (tiny.en on espeak speech: seen in 2 of 5 runs); the ~20 s
      // buffered while reconnecting is 5+ sentences (measured: 6 missing when the client
      // does not resend), so a lost resend still fails this.
      assert.ok(missing <= 3, `${missing} sentences are missing from the stored transcript`);
    },
  },
  ...screenSteps({ admin: ADMIN, callTitle: CALL_TITLE }),
  ...consentSteps,
  ...speakerSteps,
];
