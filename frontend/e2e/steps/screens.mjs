// Every screen after the live call, with real data on it: the MVP call logs imported through
// the admin CLI (metrics and analysis computed on import), the call page's analysis with a
// coach's score override, each export, search and filters, today's analytics, a toolkit edit,
// users and API keys. Each step asserts on what is visible and takes the README screenshot.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const EDITED_TITLE = 'Price objection (budget)';

async function download(ctx, page, label) {
  const [file] = await Promise.all([
    page.waitForEvent('download', { timeout: 20_000 }),
    page.getByRole('button', { name: label }).click(),
  ]);
  const path = join(ctx.artifacts, file.suggestedFilename());
  await file.saveAs(path);
  return readFileSync(path);
}

/** The fields of `form` laid out for the calls list search. */
async function search(page, text, state = '') {
  const form = page.getByRole('search', { name: 'Search calls' });
  await form.getByLabel('Search transcripts and titles').fill(text);
  await form.getByLabel('State').selectOption(state);
  await form.getByLabel('Search transcripts and titles').press('Enter');
}

export function screenSteps({ admin, callTitle }) {
  return [
    {
      name: 'the MVP call logs are imported with their metrics and analysis',
      timeoutMs: 120_000,
      async run(ctx) {
        const fixtures = join(ctx.server.repo, 'tests', 'fixtures', 'mvp-call-logs');
        const output = ctx.server.flask('calls', 'import-legacy', fixtures, '--owner', admin.email);
        ctx.log(output.trim().replace(/\n/g, ' / '));
        assert.match(output, /Imported 3 calls/);
        assert.match(output, /Analysis of 3 calls done/);
      },
    },
    {
      name: 'the call page shows the analysis: summary, action items, scorecard, and a coach override',
      timeoutMs: 60_000,
      async run(ctx) {
        const page = ctx.state.rep;
        await page.goto(`${ctx.server.url}/calls/${ctx.state.callId}`);
        const analysis = page.getByRole('region', { name: 'Analysis' });
        await analysis.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 45_000 });
        const summary = await analysis.locator('.summary').innerText();
        assert.ok(summary.trim().length > 20, `the summary is "${summary}"`);
        await analysis.getByRole('heading', { name: 'Action items' }).waitFor();
        await analysis.getByRole('heading', { name: 'Next steps' }).waitFor();
        const scorecard = analysis.getByRole('form', { name: 'Scorecard' });
        const rows = scorecard.getByRole('row');
        assert.ok((await rows.count()) >= 4, 'the scorecard lists the rubric criteria');
        const discovery = rows.filter({ has: page.getByRole('rowheader', { name: 'Discovery' }) });
        await discovery.getByText(/[1-5] \/ 5/).waitFor();
        await scorecard.getByLabel('Coach score for Discovery').fill('4');
        await scorecard.getByRole('button', { name: 'Save scores' }).click();
        await scorecard.getByText('Scores saved.').waitFor({ timeout: 10_000 });
        await discovery.getByText('4 / 5').waitFor();
        await discovery.getByText(/coach; AI: [1-5]/).waitFor();
        await page.screenshot({ path: join(ctx.shots, 'call-detail.png'), fullPage: true });
      },
    },
    {
      name: 'each export downloads: JSON with the transcript, CSV, PDF',
      async run(ctx) {
        const page = ctx.state.rep;
        const json = JSON.parse((await download(ctx, page, 'Export JSON')).toString('utf8'));
        assert.equal(json.id, ctx.state.callId);
        assert.ok(json.utterances.some((u) => /expensive/i.test(u.text)), 'the JSON export holds the transcript');
        const csv = (await download(ctx, page, 'Export CSV')).toString('utf8');
        assert.ok(csv.split('\n').length > 3 && /expensive/i.test(csv), 'the CSV export holds the transcript');
        const pdf = await download(ctx, page, 'Export PDF');
        assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the download is a PDF');
      },
    },
    {
      name: 'the calls list searches transcripts and filters by state',
      async run(ctx) {
        const page = ctx.state.rep;
        await page.goto(`${ctx.server.url}/calls`);
        await page.getByText('(4 calls)').waitFor({ timeout: 10_000 });
        const table = page.getByRole('table');
        await search(page, 'attorneys');
        await page.getByText('(1 calls)').waitFor({ timeout: 10_000 });
        await table.getByRole('link', { name: /Imported call/ }).waitFor();
        await table.locator('.snippet').getByText(/attorneys/i).first().waitFor();
        await search(page, 'expensive', 'ended');
        await table.getByRole('link', { name: callTitle }).waitFor({ timeout: 10_000 });
        assert.equal(await table.getByRole('link', { name: /Imported call/ }).count(), 0);
        await search(page, '', 'live');
        await page.getByText('No calls match.').waitFor({ timeout: 10_000 });
        await search(page, '');
        await page.getByText('(4 calls)').waitFor({ timeout: 10_000 });
        await page.screenshot({ path: join(ctx.shots, 'history.png') });
      },
    },
    {
      name: "analytics shows today's call by default, then the imported calls' talk time and ratio",
      async run(ctx) {
        const page = ctx.state.rep;
        await page.goto(`${ctx.server.url}/analytics`);
        const table = page.getByRole('table');
        const row = table.getByRole('row').filter({ hasText: admin.name });
        await row.waitFor({ timeout: 15_000 });
        assert.equal(await row.getByRole('cell').nth(1).innerText(), '1', "today's call is counted");
        await page.getByRole('region', { name: 'Weekly trend' }).getByRole('figure', { name: 'Rep talk ratio' }).waitFor();
        await page.getByRole('region', { name: 'Reps compared' }).waitFor();
        await page.getByLabel('From').fill('2025-11-20');
        await row.getByRole('cell').nth(1).getByText('4').waitFor({ timeout: 15_000 });
        const talkTime = await row.getByRole('cell').nth(2).innerText();
        assert.notEqual(talkTime, '0:00', 'the imported calls add their talk time');
        await page.waitForLoadState('networkidle', { timeout: 10_000 });
        await page.screenshot({ path: join(ctx.shots, 'analytics.png'), fullPage: true });
      },
    },
    {
      name: 'the admin edits a toolkit entry',
      async run(ctx) {
        const page = ctx.state.rep;
        await page.goto(`${ctx.server.url}/toolkit`);
        const card = page.getByRole('article', { name: 'Price objection' });
        await card.getByRole('button', { name: 'Edit' }).click();
        const form = page.getByRole('form', { name: 'Edit Price objection' });
        await form.getByLabel('Title').fill(EDITED_TITLE);
        await form.getByRole('button', { name: 'Save' }).click();
        await page.getByRole('article', { name: EDITED_TITLE }).waitFor({ timeout: 10_000 });
        await page.screenshot({ path: join(ctx.shots, 'toolkit.png') });
      },
    },
    {
      name: 'admin: users and a new API key shown once',
      async run(ctx) {
        const page = ctx.state.rep;
        await page.goto(`${ctx.server.url}/admin`);
        await page.getByRole('cell', { name: admin.email }).waitFor({ timeout: 10_000 });
        const keys = page.getByRole('region', { name: 'API keys' });
        await keys.getByLabel('Key name').fill('CRM sync');
        await keys.getByRole('button', { name: 'Create key' }).click();
        await keys.getByRole('cell', { name: 'CRM sync' }).waitFor({ timeout: 10_000 });
        await page.screenshot({ path: join(ctx.shots, 'admin.png'), fullPage: true });
      },
    },
  ];
}
