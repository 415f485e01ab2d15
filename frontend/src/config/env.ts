import { z } from 'zod';

/** Build-time settings, validated once so a bad value fails loudly at start-up. */
const EnvSchema = z.object({
  API_BASE: z
    .string()
    .default('')
    .transform((value) => value.replace(/\/+$/, ''))
    .refine((value) => value === '' || /^https?:\/\//.test(value), {
      message: 'VITE_API_BASE must be empty (same origin) or an http(s) URL',
    }),
  SOCKET_NAMESPACE: z.string().startsWith('/').default('/audio'),
});

export type Env = z.infer<typeof EnvSchema>;

/** Parse the VITE_* variables (prefix stripped) into a typed, validated object. */
export function parseEnv(raw: Record<string, unknown>): Env {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('VITE_') && value !== '') input[key.slice(5)] = value;
  }
  const parsed = EnvSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid frontend configuration:\n${problems.join('\n')}`);
  }
  return parsed.data;
}

export const env: Env = parseEnv(import.meta.env as Record<string, unknown>);
