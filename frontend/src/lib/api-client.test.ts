import { z } from 'zod';

import { ApiError, createApiClient } from './api-client';
import { TokenStore } from './token-store';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function setup(responses: Response[], exclusive?: <T>(task: () => Promise<T>) => Promise<T>) {
  const tokens = new TokenStore(window.localStorage);
  tokens.setTokens('old-access', 'refresh-1');
  const fetchMock = vi.fn<typeof fetch>(async () => {
    const next = responses.shift();
    if (!next) throw new Error('unexpected request');
    return next;
  });
  const onSessionExpired = vi.fn();
  const client = createApiClient({ baseUrl: '', tokens, fetch: fetchMock, onSessionExpired, exclusive });
  const authOf = (i: number) => new Headers(fetchMock.mock.calls[i]![1]!.headers).get('Authorization');
  return { client, tokens, fetchMock, onSessionExpired, authOf };
}

const Me = z.object({ id: z.string() });

describe('api client', () => {
  it('sends the access token as a Bearer header', async () => {
    const { client, authOf } = setup([json(200, { id: 'u1' })]);
    await expect(client.get('/api/v1/auth/me', Me)).resolves.toEqual({ id: 'u1' });
    expect(authOf(0)).toBe('Bearer old-access');
  });

  it('refreshes on 401 and retries the request once with the new token', async () => {
    const { client, fetchMock, tokens, authOf } = setup([
      json(401, { error: { code: 'token_expired', message: 'expired', request_id: 'r1' } }),
      json(200, { access_token: 'new-access', refresh_token: 'refresh-2' }),
      json(200, { id: 'u2' }),
    ]);
    await expect(client.get('/api/v1/auth/me', Me)).resolves.toEqual({ id: 'u2' });
    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual(['/api/v1/auth/me', '/api/v1/auth/refresh', '/api/v1/auth/me']);
    expect(authOf(1)).toBe('Bearer refresh-1');
    expect(authOf(2)).toBe('Bearer new-access');
    expect(tokens.accessToken).toBe('new-access');
  });

  it('gives up after one retry, clears the session and reports the envelope error', async () => {
    const { client, fetchMock, tokens, onSessionExpired } = setup([
      json(401, { error: { code: 'token_expired', message: 'expired', request_id: 'r1' } }),
      json(200, { access_token: 'new-access', refresh_token: 'refresh-2' }),
      json(401, { error: { code: 'unauthorized', message: 'no', request_id: 'r2' } }),
    ]);
    await expect(client.get('/api/v1/auth/me', Me)).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(tokens.refreshToken).toBeNull();
    expect(onSessionExpired).toHaveBeenCalledOnce();
  });

  it('does not retry when the refresh itself is refused', async () => {
    const { client, fetchMock } = setup([
      json(401, { error: { code: 'token_expired', message: 'expired', request_id: 'r1' } }),
      json(401, { error: { code: 'unauthorized', message: 'bad refresh', request_id: 'r2' } }),
    ]);
    await expect(client.get('/api/v1/auth/me', Me)).rejects.toBeInstanceOf(ApiError);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('shares one refresh between concurrent 401s', async () => {
    const expired = () => json(401, { error: { code: 'token_expired', message: 'x', request_id: 'r' } });
    const { client, fetchMock } = setup([expired(), expired(), json(200, { access_token: 'n', refresh_token: 'refresh-2' }), json(200, { id: 'u1' }), json(200, { id: 'u1' })]);
    await Promise.all([client.get('/a', Me), client.get('/b', Me)]);
    expect(fetchMock.mock.calls.filter((c) => c[0] === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('keeps the rotated refresh token and sends it on the next refresh', async () => {
    const expired = () => json(401, { error: { code: 'token_expired', message: 'x', request_id: 'r' } });
    const { client, tokens, authOf } = setup([
      expired(),
      json(200, { access_token: 'a2', refresh_token: 'refresh-2' }),
      json(200, { id: 'u1' }),
      expired(),
      json(200, { access_token: 'a3', refresh_token: 'refresh-3' }),
      json(200, { id: 'u1' }),
    ]);
    await client.get('/a', Me);
    expect(tokens.refreshToken).toBe('refresh-2');
    await client.get('/b', Me);
    expect(authOf(4)).toBe('Bearer refresh-2');
    expect(tokens.refreshToken).toBe('refresh-3');
  });

  it('refreshes under the cross-tab lock and reads the stored token only once it holds it', async () => {
    let storedWhenLocked: string | null = null;
    const { client, tokens, authOf } = setup(
      [json(401, { error: { code: 'token_expired', message: 'x', request_id: 'r' } }), json(200, { access_token: 'a', refresh_token: 'r3' }), json(200, { id: 'u1' })],
      async (task) => {
        tokens.setTokens('other-tab-access', 'refresh-from-other-tab'); // another tab rotated meanwhile
        storedWhenLocked = tokens.refreshToken;
        return task();
      },
    );
    await client.get('/a', Me);
    expect(storedWhenLocked).toBe('refresh-from-other-tab');
    expect(authOf(1)).toBe('Bearer refresh-from-other-tab');
    expect(tokens.refreshToken).toBe('r3');
  });

  it('turns the error envelope into an ApiError with code, message and request id', async () => {
    const { client } = setup([json(422, { error: { code: 'validation_error', message: 'title too long', request_id: 'req-9' } })]);
    const error = await client.patch('/api/v1/calls/1', null, { title: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: 'validation_error', message: 'title too long', requestId: 'req-9' });
  });

  it('copes with a non-JSON error body', async () => {
    const { client } = setup([new Response('<html>bad gateway</html>', { status: 502 })]);
    await expect(client.get('/x', Me)).rejects.toMatchObject({ status: 502, code: 'http_error' });
  });

  it('rejects a response that does not match the schema', async () => {
    const { client } = setup([json(200, { id: 7 })]);
    await expect(client.get('/x', Me)).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('builds query strings without empty values and sends no token when anonymous', async () => {
    const { client, fetchMock, authOf } = setup([json(200, { id: 'u1' })]);
    await client.request('/api/v1/auth/login', Me, { method: 'POST', body: { email: 'a' }, anonymous: true, query: { q: 'x y', page: 2, from: '' } });
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/auth/login?q=x+y&page=2');
    expect(authOf(0)).toBeNull();
  });
});
