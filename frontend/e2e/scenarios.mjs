// Browser scenarios. Each gets {page, baseUrl, backend} and throws on failure.
import assert from 'node:assert/strict';

const ADMIN = { team_name: 'E2E Team', name: 'E2E Admin', email: 'e2e-admin@example.com', password: 'e2e-password-123' };

async function ensureAdmin(baseUrl) {
  const status = await (await fetch(`${baseUrl}/api/v1/auth/setup`)).json();
  if (status.needed) {
    const res = await fetch(`${baseUrl}/api/v1/auth/setup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    assert.equal(res.status, 201, 'first-run setup failed');
  }
}

async function logIn(page, baseUrl) {
  await ensureAdmin(baseUrl);
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/live$/, { timeout: 10_000 });
}

export const scenarios = [
  {
    name: 'login page validates input without a backend round trip',
    needsBackend: false,
    async run({ page, baseUrl }) {
      await page.goto(`${baseUrl}/login`);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText('Enter a valid email address').waitFor({ timeout: 5000 });
      assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    },
  },
  {
    name: 'fake microphone goes through our PCM worklet as 100 ms Int16 chunks',
    needsBackend: false,
    async run({ page, baseUrl, workletPath }) {
      assert.ok(workletPath, 'built worklet asset not found in dist/assets');
      await page.goto(`${baseUrl}/login`);
      const result = await page.evaluate(async (path) => {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        const ctx = new AudioContext({ sampleRate: 16000 });
        await ctx.audioWorklet.addModule(path);
        const node = new AudioWorkletNode(ctx, 'pcm-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
        const chunks = [];
        node.port.onmessage = (e) => chunks.push({ bytes: e.data.pcm.byteLength, level: e.data.level, peak: Math.max(...new Int16Array(e.data.pcm).map(Math.abs)) });
        ctx.createMediaStreamSource(stream).connect(node);
        await new Promise((r) => setTimeout(r, 800));
        stream.getTracks().forEach((t) => t.stop());
        await ctx.close();
        return { sampleRate: ctx.sampleRate, chunks };
      }, workletPath);
      assert.equal(result.sampleRate, 16000);
      assert.ok(result.chunks.length >= 4, `expected several chunks, got ${result.chunks.length}`);
      assert.ok(result.chunks.every((c) => c.bytes === 3200), 'every chunk is 1600 samples of Int16');
      assert.ok(result.chunks.some((c) => c.level > 0.01 && c.peak > 1000), 'the tone is audible in the PCM');
    },
  },
  {
    name: 'live call streams the fake microphone and shows the live state',
    needsBackend: true,
    async run({ page, baseUrl }) {
      await logIn(page, baseUrl);
      await page.getByLabel('Call title (optional)').fill('E2E call');
      await page.getByRole('button', { name: 'Start call' }).click();
      await page.locator('.conn-live').waitFor({ timeout: 15_000 });
      await page.getByText('We hear you').waitFor({ timeout: 10_000 });
      await page.getByRole('button', { name: 'End call' }).click();
      await page.getByText('Call ended').waitFor({ timeout: 10_000 });
    },
  },
];
