// Live guidance in the browser: the call setup reaches the stored call, the guidance panel
// (the brief, then the objection focus) and the toolkit panel show real content during the
// call, a talk track copies to the clipboard (click and keyboard), and muting the meeting tab
// shows the gap in the transcript. journey.mjs fills the setup with `fillCallSetup` when it
// starts the call, runs `guidanceSteps` while the call is live and `guidanceAfterCallSteps`
// on the stored call's page.
import assert from 'node:assert/strict';
import { join } from 'node:path';

export const SETUP = {
  goal: 'Book a demo with the head of sales',
  prospect_name: 'Dana Scully',
  prospect_company: 'Globex',
  notes: 'Met at the trade fair; budget review in March.',
};

/**
 * Fill the setup form on /live before "Start call", and watch the page for whether the brief
 * (a focus in the guidance panel) shows before the transcript's first line.
 */
export async function fillCallSetup(page) {
  await page.evaluate(() => {
    window.briefBeforeSpeech = null;
    const observer = new MutationObserver(() => {
      if (!document.querySelector('.focus-what')) return;
      window.briefBeforeSpeech = !document.querySelector('.transcript .line');
      observer.disconnect();
    });
    observer.observe(document.body, { subtree: true, childList: true });
  });
  await page.getByLabel('Goal of the call').fill(SETUP.goal);
  await page.getByLabel('Prospect name').fill(SETUP.prospect_name);
  await page.getByLabel('Company').fill(SETUP.prospect_company);
  await page.getByLabel('Notes for the call').fill(SETUP.notes);
}

const region = (page, name) => page.getByRole('region', { name, exact: true });

async function noErrorsShown(page, where) {
  const errors = await page.locator('.error-message, .field-error').allInnerTexts();
  assert.deepEqual(errors, [], `error text on the page (${where})`);
}

export const guidanceSteps = [
  {
    name: 'the brief showed before the first word; the guidance panel shows a focus, key questions with alternatives and the stage objectives',
    async run({ state }) {
      state.consoleErrors = [];
      state.rep.on('console', (message) => message.type() === 'error' && state.consoleErrors.push(message.text()));
      assert.equal(await state.rep.evaluate(() => window.briefBeforeSpeech), true, 'the brief showed before the first transcript line');
      const guidance = region(state.rep, 'Guidance');
      const what = guidance.locator('.focus-what');
      await what.waitFor({ timeout: 10_000 });
      assert.ok((await what.innerText()).trim().length > 5, 'the focus says what to achieve');
      assert.ok((await guidance.locator('.focus-why').innerText()).startsWith('Why: '), 'the focus says why');
      const questions = guidance.locator('.key-question');
      assert.ok((await questions.count()) >= 2, 'at least two key questions');
      assert.ok((await questions.first().locator('.kq-alternatives li').count()) >= 2, 'the first question has two or more alternatives');
      await region(state.rep, 'Stage objectives').getByText(/of \d+ done/).waitFor({ timeout: 5000 });
      await state.rep.locator('.roadmap li.current .stage-detail').waitFor({ timeout: 5000 });
    },
  },
  {
    name: "after the prospect's price objection the focus turns to handling it",
    async run({ state }) {
      await state.rep.locator('.roadmap li.current').filter({ hasText: 'Objections' }).waitFor({ timeout: 25_000 });
      const focus = await region(state.rep, 'Guidance').locator('.focus-what').innerText();
      assert.match(focus, /objection/i, `focus during the objection: ${focus}`);
    },
  },
  {
    name: 'the toolkit panel lists talk tracks; clicking one (or Enter) copies its text',
    async run(ctx) {
      const page = ctx.state.rep;
      // Chromium replaces the origin's grants: keep the microphone, or the rep's capture ends here.
      await page.context().grantPermissions(['microphone', 'clipboard-read', 'clipboard-write'], { origin: ctx.server.url });
      const toolkit = region(page, 'Toolkit');
      await toolkit.getByRole('button', { name: 'Objections', exact: true }).click();
      const price = toolkit.getByRole('article', { name: 'Price objection' });
      const tracks = price.locator('button.talk-track');
      assert.ok((await tracks.count()) >= 2, 'the price objection has several talk tracks');
      assert.ok((await price.locator('.talk-track-when').count()) >= 1, 'talk tracks say when to use them');
      const first = (await tracks.first().locator('.talk-track-text').innerText()).trim();
      await tracks.first().click();
      await tracks.first().getByText('Copied ✓').waitFor({ timeout: 5000 });
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first);
      const second = (await tracks.nth(1).locator('.talk-track-text').innerText()).trim();
      await tracks.nth(1).focus();
      await page.keyboard.press('Enter');
      await tracks.nth(1).getByText('Copied ✓').waitFor({ timeout: 5000 });
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), second);
      await toolkit.getByLabel('Search the toolkit').fill('zzzz-nothing');
      await toolkit.getByText('No talk track matches.').waitFor({ timeout: 5000 });
      await toolkit.getByLabel('Search the toolkit').fill('');
      await toolkit.getByRole('button', { name: 'All', exact: true }).click();
    },
  },
  {
    name: 'muting the meeting tab shows the gap in the transcript',
    async run({ state, shots }) {
      const page = state.rep;
      const viewport = page.viewportSize();
      await page.getByRole('button', { name: 'Mute the meeting tab' }).click();
      await page.getByText('Muted: nothing is sent').waitFor({ timeout: 5000 });
      const gap = page.getByRole('log', { name: 'Transcript' }).locator('.line-gap');
      await gap.getByText(/Prospect muted \d+:\d\d–now/).waitFor({ timeout: 5000 });
      await new Promise((r) => setTimeout(r, 2000));
      await page.getByRole('button', { name: 'Mute the meeting tab' }).click();
      await gap.getByText(/Prospect muted \d+:\d\d–\d+:\d\d/).waitFor({ timeout: 5000 });
      await noErrorsShown(page, 'live call');
      // The board beside a call on a laptop screen.
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.screenshot({ path: join(shots, 'live-guidance-1366x768.png') });
      await page.setViewportSize(viewport);
      assert.deepEqual(state.consoleErrors, [], 'console errors during the guidance steps');
    },
  },
];

/** Run once the call has ended and its detail page is open. */
export const guidanceAfterCallSteps = [
  {
    name: 'the goal and prospect from the setup form are on the stored call page',
    async run({ state }) {
      const setup = state.rep.getByRole('definition').filter({ hasText: SETUP.goal });
      await setup.waitFor({ timeout: 10_000 });
      await state.rep.getByText(`${SETUP.prospect_name}, ${SETUP.prospect_company}`).waitFor({ timeout: 5000 });
      assert.equal(await state.rep.getByLabel('Goal').inputValue(), SETUP.goal);
    },
  },
];
