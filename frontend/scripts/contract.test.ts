// @vitest-environment node
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { createClient } from '@hey-api/openapi-ts';

import config from '../openapi-ts.config';

const committed = resolve(__dirname, '../src/lib/api');

describe('the generated REST and socket contract', () => {
  it('is what the generator makes from the committed openapi.json (run `make protocol`)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'contract-'));
    try {
      await createClient({
        ...config,
        input: resolve(__dirname, '../openapi.json'),
        output: { path: out, clean: true },
        logs: { level: 'silent' },
      });
      const files = readdirSync(out).sort();
      expect(readdirSync(committed).sort()).toEqual(files);
      for (const file of files) {
        expect(readFileSync(join(committed, file), 'utf8'), `${file} is stale: run make protocol`).toBe(
          readFileSync(join(out, file), 'utf8'),
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 30_000);
});
