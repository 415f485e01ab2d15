import { defineConfig } from '@hey-api/openapi-ts';

/**
 * The web app's REST and Socket.IO contract, generated from the server's OpenAPI document
 * (openapi.json, written by `flask protocol export`). Run `make protocol`; never edit the
 * output by hand (a test regenerates it and fails on any difference).
 */
export default defineConfig({
  input: './openapi.json',
  output: { path: './src/lib/api', clean: true },
  plugins: [
    { name: '@hey-api/typescript', enums: false },
    {
      name: 'zod',
      dates: { offset: true },
      requests: false,
      responses: false,
    },
  ],
});
