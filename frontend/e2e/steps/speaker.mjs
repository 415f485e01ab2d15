// One-microphone calls: the rep flips a line's speaker and the listening coach sees it.
// Runs after the main journey, reusing its rep and coach pages (ctx.state.rep / .coach).
import assert from 'node:assert/strict';
import { join } from 'node:path';

const TITLE = 'Speakerphone call with Initech';
const transcript = (page) => page.getByRole('region', { name: 'Transcript' });

async function apiJson(ctx, path, init = {}) {
  const res = await fetch(`${ctx.server.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${ctx.state.token}`, ...(init.headers ?? {}) },
  });
  assert.equal(res.status, 200, `${init.method ?? 'GET'} ${path} answered ${res.status}`);
  return res.json();
}

export const speakerSteps = [
  {
    name: 'a call on the microphone alone: lines carry an attributed speaker',
    async run(ctx) {
      const page = ctx.state.rep;
      await page.goto(`${ctx.server.url}/live`);
      await page.getByLabel('Call title (optional)').fill(TITLE);
      await page.getByRole('button', { name: 'Start call' }).click();
      await page.locator('.conn-live').waitFor({ timeout: 15_000 });
      await transcript(page).getByRole('button', { name: /^That was (them|me)$/ }).first().waitFor({ timeout: 40_000 });
      const live = await apiJson(ctx, '/api/v1/calls?state=live');
      ctx.state.micCallId = live.items.find((c) => c.title === TITLE)?.id;
      assert.ok(ctx.state.micCallId, 'the one-microphone call is live');
    },
  },
  {
    name: "the rep flips a line's speaker and the coach's view shows the change",
    async run(ctx) {
      const { rep, coach } = ctx.state;
      await coach.goto(`${ctx.server.url}/coach`);
      await coach.getByRole('link', { name: `Join ${TITLE} of Ada Admin` }).click();
      await coach.getByRole('heading', { name: 'Listening in' }).waitFor({ timeout: 10_000 });
      await transcript(coach).locator('.line-rep').first().waitFor({ timeout: 20_000 });

      const stored = await apiJson(ctx, `/api/v1/calls/${ctx.state.micCallId}/transcript`);
      const first = stored.items[0];
      assert.ok(first.attribution, 'the stored line carries its attribution');
      // Flip it to the other side, whichever side the attribution chose.
      const [button, flippedTo, shownAs] =
        first.source === 'rep' ? ['That was them', 'prospect', 'Prospect'] : ['That was me', 'rep', 'Rep'];
      const line = transcript(rep).locator('.line').filter({ hasText: first.text }).first();
      await line.getByRole('button', { name: button, exact: true }).click();

      const flipped = transcript(coach).locator(`.line-${flippedTo}`).filter({ hasText: first.text });
      await flipped.first().waitFor({ timeout: 10_000 });
      assert.equal((await flipped.first().locator('.line-speaker').innerText()).trim(), shownAs);
      const after = await apiJson(ctx, `/api/v1/calls/${ctx.state.micCallId}/transcript`);
      const corrected = after.items.find((u) => u.utterance_id === first.utterance_id);
      assert.deepEqual([corrected.source, corrected.attribution.method], [flippedTo, 'correction']);
      await coach.screenshot({ path: join(ctx.shots, 'speaker-corrected.png') });
      await rep.getByRole('button', { name: 'End call' }).click();
      await rep.getByText(/Call ended/).waitFor({ timeout: 20_000 });
    },
  },
  {
    name: 'the rep records a voice profile on the settings page, then deletes it',
    timeoutMs: 60_000,
    async run(ctx) {
      const page = ctx.state.rep;
      await page.goto(`${ctx.server.url}/settings`);
      const panel = page.getByRole('region', { name: 'Your voice' });
      // The journey's first call had a meeting tab: with five rep lines or more transcribed
      // there (machine speed decides), the profile was learned from them.
      await panel.getByText(/No voice profile yet|Learned from \d+ of your lines/).waitFor({ timeout: 10_000 });
      await panel.getByRole('button', { name: /^Record (my voice|again)$/ }).click();
      await panel.getByText(/Read aloud/).waitFor({ timeout: 5000 });
      await panel.getByText(/Recorded from \d+ s of speech/).waitFor({ timeout: 30_000 });
      const profile = await apiJson(ctx, '/api/v1/users/me/voice-profile');
      assert.equal(profile.method, 'recorded');
      assert.ok(!('vector' in profile), 'the voice features stay on the server');
      await page.screenshot({ path: join(ctx.shots, 'voice-profile.png') });
      await panel.getByRole('button', { name: 'Delete my voice profile' }).click();
      await panel.getByText(/No voice profile yet/).waitFor({ timeout: 10_000 });
    },
  },
];
