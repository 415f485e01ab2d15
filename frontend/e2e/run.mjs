#!/usr/bin/env node
// Browser end-to-end test: starts the real server (free port, scratch SQLite, local speech
// recognition, playbook coach), synthesises speech for Chromium's fake microphone, drives
// Debian's Chromium through the whole journey (journey.mjs) and prints "N passed, N failed".
// Exits non-zero on any failure. Always kills the server and the browser.
//
//   E2E_SCREENSHOT_DIR  where the screenshots go (default e2e/artifacts/screenshots;
//                       `npm run e2e:screenshots` writes docs/screenshots)
//   E2E_STEP_TIMEOUT_MS default bound of one step (30 s); E2E_PYTHON the venv's python.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser } from './browser.mjs';
import { journey } from './journey.mjs';
import { assertNothingWrong } from './steps/watch.mjs';
import { freePort, ServerProcess } from './server.mjs';
import { writeSpeechWav } from './wav.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(root, '..');
const artifacts = join(root, 'e2e', 'artifacts');
const shots = resolve(root, process.env.E2E_SCREENSHOT_DIR || join(artifacts, 'screenshots'));
const STEP_TIMEOUT_MS = Number(process.env.E2E_STEP_TIMEOUT_MS || 30_000);

class Skip extends Error {}

function findWorklet() {
  const dir = join(root, 'dist', 'assets');
  const file = existsSync(dir) ? readdirSync(dir).find((f) => /^pcm-capture\.worklet-.*\.js$/.test(f)) : undefined;
  return file ? `/assets/${file}` : null;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runSteps(ctx, tally) {
  let broken = null;
  for (const step of journey) {
    if (broken) {
      tally.failed += 1;
      console.log(`FAIL ${step.name}: not run, "${broken}" failed first`);
      continue;
    }
    const started = Date.now();
    try {
      await withTimeout(Promise.resolve().then(() => step.run(ctx)), step.timeoutMs ?? STEP_TIMEOUT_MS, 'step');
      await assertNothingWrong(ctx, step);
      tally.passed += 1;
      console.log(`PASS ${step.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      if (error instanceof Skip) {
        tally.skipped += 1;
        console.log(`SKIP ${step.name}: ${error.message}`);
        continue;
      }
      tally.failed += 1;
      broken = step.name;
      const shot = join(artifacts, `failed-${step.name.replace(/\W+/g, '-')}.png`);
      await ctx.state.rep?.screenshot({ path: shot }).catch(() => {});
      console.log(`FAIL ${step.name}: ${error instanceof Error ? error.message : error}`);
      console.log(`     screenshot ${shot}; server log ${ctx.server.logPath}`);
    }
  }
}

async function main() {
  if (!existsSync(join(root, 'dist', 'index.html'))) throw new Error('dist/ missing: run `npm run build` first');
  mkdirSync(shots, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), 'sales-coach-e2e-'));
  mkdirSync(artifacts, { recursive: true });
  const { wav, seconds } = writeSpeechWav(workDir);
  const server = new ServerProcess({ repo, workDir, port: await freePort() });
  const tally = { passed: 0, failed: 0, skipped: 0 };
  let browser = null;
  const started = Date.now();
  try {
    server.migrate();
    await server.start();
    console.log(`server ${server.url} (log ${server.logPath}); fake microphone loops ${seconds.toFixed(1)} s of speech`);
    browser = await launchBrowser(wav);
    const ctx = {
      browser,
      server,
      shots,
      artifacts,
      workletPath: findWorklet(),
      state: {},
      log: (line) => console.log(`     ${line}`),
      skip: (reason) => {
        throw new Skip(reason);
      },
    };
    await runSteps(ctx, tally);
  } catch (error) {
    tally.failed += 1;
    console.log(`FAIL setup: ${error instanceof Error ? error.message : error} (server log ${server.logPath})`);
  } finally {
    await browser?.close().catch(() => {});
    await server.kill();
    if (!tally.failed && !process.env.E2E_KEEP) rmSync(workDir, { recursive: true, force: true });
  }
  const skipped = tally.skipped ? `, ${tally.skipped} skipped` : '';
  console.log(`e2e took ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in ${shots}`);
  console.log(`${tally.passed} passed, ${tally.failed} failed${skipped}`);
  process.exitCode = tally.failed ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
