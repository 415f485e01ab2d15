// Recording consent in the browser: the admin requires it, the rep's call records nothing
// until "The prospect agreed", and the call page names who confirmed. Consent is switched
// off again at the end so later steps are unaffected.
import assert from 'node:assert/strict';

const ADMIN = { email: 'ada@example.com', password: 'e2e-password-123', name: 'Ada Admin' };
const TITLE = 'Consent check with Initech';
const EMPTY_TRANSCRIPT = 'The transcript appears here as people speak.';

async function api(ctx, method, path, body) {
  if (!ctx.state.consentToken) {
    const login = await fetch(`${ctx.server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    assert.equal(login.status, 200, 'API login failed');
    ctx.state.consentToken = (await login.json()).access_token;
  }
  const res = await fetch(`${ctx.server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ctx.state.consentToken}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(res.status, 200, `${method} ${path} answered ${res.status}`);
  return res.json();
}

export const consentSteps = [
  {
    name: 'the admin requires recording consent in Admin → Privacy',
    async run(ctx) {
      const page = ctx.state.rep;
      await page.goto(`${ctx.server.url}/admin`);
      const form = page.getByRole('form', { name: 'Privacy settings' });
      await form.getByLabel('Recording consent').selectOption('required');
      await form.getByRole('button', { name: 'Save privacy settings' }).click();
      await form.getByText('Saved.').waitFor({ timeout: 10_000 });
      assert.equal((await api(ctx, 'GET', '/api/v1/team/settings')).consent_mode, 'required');
    },
  },
  {
    name: 'with consent required nothing is transcribed until the rep confirms',
    timeoutMs: 120_000,
    async run(ctx) {
      const page = ctx.state.rep;
      await page.goto(`${ctx.server.url}/live`);
      await page.getByLabel('Call title (optional)').fill(TITLE);
      await page.getByRole('button', { name: 'Start call' }).click();
      const banner = page.getByRole('region', { name: 'Recording consent' });
      await banner.getByRole('button', { name: 'The prospect agreed' }).waitFor({ timeout: 15_000 });
      await page.waitForTimeout(6000); // the fake microphone speaks all along
      const transcript = page.getByRole('region', { name: 'Transcript' });
      await transcript.getByText(EMPTY_TRANSCRIPT).waitFor({ timeout: 1000 });
      await banner.getByRole('button', { name: 'The prospect agreed' }).click();
      await banner.getByText('Consent confirmed').waitFor({ timeout: 10_000 });
      await transcript.getByText(EMPTY_TRANSCRIPT).waitFor({ state: 'detached', timeout: 40_000 });
      await page.getByRole('button', { name: 'End call' }).click();
      await page.getByText(/Call ended/).waitFor({ timeout: 20_000 });
    },
  },
  {
    name: 'the call page shows who confirmed the consent',
    async run(ctx) {
      const page = ctx.state.rep;
      const calls = await api(ctx, 'GET', `/api/v1/calls?q=${encodeURIComponent('Initech')}`);
      assert.equal(calls.total, 1, 'the consent call is in the history');
      await page.goto(`${ctx.server.url}/calls/${calls.items[0].id}`);
      await page.getByText(`confirmed by ${ADMIN.name}`, { exact: false }).waitFor({ timeout: 10_000 });
      await api(ctx, 'PATCH', '/api/v1/team/settings', { consent_mode: 'off' });
    },
  },
];
