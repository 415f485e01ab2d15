import type { z } from 'zod';

import { env } from '@/config/env';

import { tokens as defaultTokens, type TokenStore } from './token-store';

/** An error answered by the server in the `{error: {code, message, request_id}}` envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Skip the Authorization header and the refresh-on-401 retry (login, setup). */
  anonymous?: boolean;
}

export interface ApiClientOptions {
  baseUrl: string;
  tokens: TokenStore;
  fetch?: typeof fetch;
  /** Called when the session cannot be refreshed; the app sends the user to /login. */
  onSessionExpired?: () => void;
  /** Runs a refresh alone across the browser's tabs (default: the Web Locks API). */
  exclusive?: <T>(task: () => Promise<T>) => Promise<T>;
}

const REFRESH_LOCK = 'sales-coach.refresh';

/**
 * The refresh token rotates on every use and all tabs share the stored one, so one tab
 * refreshes at a time and reads the token only once it holds the lock: it then sends the
 * newest one. Without Web Locks the server's short grace for the token just replaced
 * keeps two tabs refreshing at once from looking like a stolen token.
 */
async function acrossTabs<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? await locks.request(REFRESH_LOCK, task) : await task();
}

function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
}

async function toApiError(response: Response): Promise<ApiError> {
  let code = 'http_error';
  let message = `Request failed (${response.status})`;
  let requestId: string | null = response.headers.get('X-Request-ID');
  try {
    const data = (await response.json()) as { error?: { code?: string; message?: string; request_id?: string } };
    if (data.error) {
      code = data.error.code ?? code;
      message = data.error.message ?? message;
      requestId = data.error.request_id ?? requestId;
    }
  } catch {
    // Not JSON (proxy error page): keep the generic message.
  }
  return new ApiError(response.status, code, message, requestId);
}

/** Fetch wrapper: JSON in/out, Bearer auth, one refresh + retry on 401, error envelope. */
export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const exclusive = options.exclusive ?? acrossTabs;
  let refreshing: Promise<boolean> | null = null;

  /** Exchange the stored refresh token for a new pair and keep both (it rotates). */
  async function refresh(): Promise<boolean> {
    const refreshToken = options.tokens.refreshToken;
    if (!refreshToken) return false;
    const response = await doFetch(buildUrl(options.baseUrl, '/api/v1/auth/refresh'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${refreshToken}`, Accept: 'application/json' },
    });
    if (!response.ok) return false;
    const data = (await response.json()) as { access_token?: string; refresh_token?: string };
    if (!data.access_token) return false;
    options.tokens.setTokens(data.access_token, data.refresh_token);
    return true;
  }

  /** One refresh in flight at a time, shared by every request of this tab that got a 401. */
  function refreshOnce(): Promise<boolean> {
    refreshing ??= exclusive(refresh)
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  function send(path: string, opts: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const access = options.tokens.accessToken;
    if (!opts.anonymous && access) headers.Authorization = `Bearer ${access}`;
    return doFetch(buildUrl(options.baseUrl, path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  }

  async function raw(path: string, opts: RequestOptions = {}): Promise<Response> {
    if (!opts.anonymous && !options.tokens.accessToken && options.tokens.refreshToken) {
      await refreshOnce();
    }
    let response = await send(path, opts);
    if (response.status === 401 && !opts.anonymous) response = await retryAfterRefresh(path, opts, response);
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  /** One refresh and one retry; a second 401 ends the session. */
  async function retryAfterRefresh(path: string, opts: RequestOptions, refused: Response): Promise<Response> {
    const response = (await refreshOnce()) ? await send(path, opts) : refused;
    if (response.status !== 401) return response;
    options.tokens.clear();
    options.onSessionExpired?.();
    return response;
  }

  async function request<T>(path: string, schema: z.ZodType<T> | null, opts: RequestOptions = {}): Promise<T> {
    const response = await raw(path, opts);
    if (response.status === 204 || response.status === 202) return undefined as T;
    const data: unknown = await response.json();
    if (!schema) return data as T;
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new ApiError(response.status, 'invalid_response', 'The server sent an unexpected response.');
    }
    return parsed.data;
  }

  return {
    request,
    raw,
    refresh: refreshOnce,
    get: <T>(path: string, schema: z.ZodType<T>, query?: Query, signal?: AbortSignal) =>
      request(path, schema, { query, signal }),
    post: <T>(path: string, schema: z.ZodType<T> | null, body?: unknown) =>
      request(path, schema, { method: 'POST', body }),
    put: <T>(path: string, schema: z.ZodType<T> | null, body?: unknown) =>
      request(path, schema, { method: 'PUT', body }),
    patch: <T>(path: string, schema: z.ZodType<T> | null, body?: unknown) =>
      request(path, schema, { method: 'PATCH', body }),
    delete: (path: string) => request<void>(path, null, { method: 'DELETE' }),
    /** Download a file with the Bearer header (exports cannot be plain links). */
    blob: async (path: string, query?: Query): Promise<Blob> => (await raw(path, { query })).blob(),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

const sessionExpiredListeners = new Set<() => void>();

/** Let the app react (redirect to /login) when the refresh token is no longer valid. */
export function onSessionExpired(listener: () => void): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}

export const api: ApiClient = createApiClient({
  baseUrl: env.API_BASE,
  tokens: defaultTokens,
  onSessionExpired: () => sessionExpiredListeners.forEach((listener) => listener()),
});
