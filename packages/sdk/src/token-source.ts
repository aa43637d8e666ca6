/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) with client_secret_basic: one token, reused until about
 * 30 seconds before it expires, then renewed; concurrent callers share one token request.
 */
import { base64, utf8 } from '@elicense/core';
import { LicenseSdkError } from './errors.js';
import { apiError, send, type HttpSettings } from './http.js';

const RENEW_BEFORE_MS = 30_000;

export interface TokenSourceOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly http: HttpSettings;
  readonly now: () => number;
}

interface Token {
  readonly value: string;
  readonly renewAt: number;
}

export class TokenSource {
  private token: Token | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly options: TokenSourceOptions) {}

  /** A current access token, fetched when there is none or it is about to expire. */
  async get(): Promise<string> {
    if (this.token && this.options.now() < this.token.renewAt) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets a token the server refused (a 401), so the next get() asks for a new one. */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { clientId, clientSecret, tokenUrl, http, now } = this.options;
    // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
    const basic = base64(utf8(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`));
    const asked = now();
    const response = await send(http, {
      url: tokenUrl,
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'grant_type=client_credentials',
      idempotent: true,
    });
    if (response.status !== 200) throw apiError(response);
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(new TextDecoder().decode(response.body)) as typeof body;
    } catch {
      throw new LicenseSdkError(`the token endpoint ${tokenUrl} did not answer JSON`);
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') throw new LicenseSdkError(`the token endpoint ${tokenUrl} gave no access_token`);
    const lifetimeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 60_000;
    // Short-lived tokens are renewed halfway, so a token is never used in its last moments.
    const margin = Math.min(RENEW_BEFORE_MS, lifetimeMs / 2);
    this.token = { value: body.access_token, renewAt: asked + lifetimeMs - margin };
    return body.access_token;
  }
}
