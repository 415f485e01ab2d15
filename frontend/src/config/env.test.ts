import { parseEnv } from './env';

describe('parseEnv', () => {
  it('defaults to the same origin and the /audio namespace', () => {
    expect(parseEnv({})).toEqual({ API_BASE: '', SOCKET_NAMESPACE: '/audio' });
  });

  it('strips a trailing slash from VITE_API_BASE', () => {
    expect(parseEnv({ VITE_API_BASE: 'https://coach.example.com/' }).API_BASE).toBe('https://coach.example.com');
  });

  it('names every invalid variable in one error', () => {
    expect(() => parseEnv({ VITE_API_BASE: 'ftp://x', VITE_SOCKET_NAMESPACE: 'audio' })).toThrow(/API_BASE[\s\S]*SOCKET_NAMESPACE/);
  });
});
