/**
 * Where the session tokens live.
 *
 * The short-lived access token stays in memory only. The refresh token is kept in
 * localStorage so a reload keeps the user signed in; nothing else (no transcript, no
 * call data) is ever written to browser storage.
 */
const REFRESH_KEY = 'sales-coach.refresh-token';

type Listener = () => void;

export class TokenStore {
  private access: string | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null) {}

  get accessToken(): string | null {
    return this.access;
  }

  get refreshToken(): string | null {
    return this.storage?.getItem(REFRESH_KEY) ?? null;
  }

  setTokens(access: string, refresh?: string): void {
    this.access = access;
    if (refresh !== undefined) this.storage?.setItem(REFRESH_KEY, refresh);
    this.emit();
  }

  clear(): void {
    this.access = null;
    this.storage?.removeItem(REFRESH_KEY);
    this.emit();
  }

  /** Called whenever tokens change (the socket client re-sends the new token mid-call). */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function browserStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

export const tokens = new TokenStore(browserStorage());
