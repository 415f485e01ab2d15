#!/usr/bin/env node
// E2E runner: serves dist/ with `vite preview` (proxying /api, /socket.io to the backend on
// 127.0.0.1:5000), drives Debian's Chromium with a fake microphone, prints "N passed, N failed".
// E2E_BASE_URL=http://127.0.0.1:5000 tests a running server directly instead of the preview.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser } from './browser.mjs';
import { scenarios } from './scenarios.mjs';
import { writeToneWav } from './wav.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(root, 'e2e', 'artifacts');
const PREVIEW_PORT = Number(process.env.E2E_PREVIEW_PORT || 4173);
const BACKEND = process.env.E2E_BACKEND_URL || 'http://127.0.0.1:5000';

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status < 500) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function startPreview() {
  if (!existsSync(join(root, 'dist', 'index.html'))) throw new Error('dist/ missing: run `npm run build` first');
  const child = spawn(join(root, 'node_modules', '.bin', 'vite'), ['preview', '--port', String(PREVIEW_PORT), '--strictPort', '--host', '127.0.0.1'], {
    cwd: root,
    stdio: 'ignore',
  });
  return child;
}

function findWorklet() {
  const dir = join(root, 'dist', 'assets');
  const file = existsSync(dir) ? readdirSync(dir).find((f) => /^pcm-capture\.worklet-.*\.js$/.test(f)) : undefined;
  return file ? `/assets/${file}` : null;
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  const wav = process.env.E2E_AUDIO_WAV || join(artifacts, 'tone.wav');
  if (!process.env.E2E_AUDIO_WAV) writeToneWav(wav);
  const preview = process.env.E2E_BASE_URL ? null : startPreview();
  const baseUrl = process.env.E2E_BASE_URL || `http://127.0.0.1:${PREVIEW_PORT}`;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const browser = await launchBrowser(wav);
  try {
    if (!(await waitFor(baseUrl, 20_000))) throw new Error(`${baseUrl} did not come up`);
    const backendUp = await waitFor(`${BACKEND}/health/live`, 2000);
    for (const scenario of scenarios) {
      if (scenario.needsBackend && !backendUp) {
        skipped += 1;
        console.log(`SKIP ${scenario.name} (no backend at ${BACKEND})`);
        continue;
      }
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        await Promise.race([
          scenario.run({ page, baseUrl, workletPath: findWorklet() }),
          new Promise((_, reject) => setTimeout(() => reject(new Error('scenario timed out')), 60_000)),
        ]);
        passed += 1;
        console.log(`PASS ${scenario.name}`);
      } catch (error) {
        failed += 1;
        const shot = join(artifacts, `${scenario.name.replace(/\W+/g, '-')}.png`);
        await page.screenshot({ path: shot }).catch(() => {});
        console.log(`FAIL ${scenario.name}: ${error instanceof Error ? error.message : error} (screenshot ${shot})`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    preview?.kill('SIGTERM');
  }
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
