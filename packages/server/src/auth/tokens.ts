/**
 * Access tokens: short-lived JWTs (RFC 9068 profile: `typ: at+jwt`) signed by the platform's token key,
 * issued for the OAuth 2.0 client-credentials grant. Verification needs no database read.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { ClientKind, Scope } from './scopes.js';

export interface TokenClaims {
  readonly clientId: string;
  readonly kind: ClientKind;
  readonly scopes: readonly Scope[];
  /** The office an issuing client acts for. */
  readonly office?: string;
  /** The holder a holder's agent acts for. */
  readonly holder?: string;
}

export interface TokenService {
  issue(claims: TokenClaims): Promise<{ token: string; expiresIn: number }>;
  /** The claims, or undefined for any token that is not ours, not intact or not current. */
  verify(token: string): Promise<TokenClaims | undefined>;
}

export function createTokenService(options: { pkcs8Der: Uint8Array; issuer: string; ttlSeconds: number; now?: () => Date }): TokenService {
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.from(options.pkcs8Der), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const now = options.now ?? (() => new Date());
  // Verified tokens, so the hot path of a busy client costs one map lookup; bounded and expiry-checked.
  const verified = new Map<string, { claims: TokenClaims; exp: number }>();
  return {
    async issue(claims) {
      const iat = Math.floor(now().getTime() / 1000);
      const token = await new SignJWT({
        client_id: claims.clientId,
        kind: claims.kind,
        scope: claims.scopes.join(' '),
        ...(claims.office ? { office: claims.office } : {}),
        ...(claims.holder ? { holder: claims.holder } : {}),
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
        .setIssuer(options.issuer)
        .setAudience(options.issuer)
        .setSubject(claims.clientId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + options.ttlSeconds)
        .setJti(crypto.randomUUID())
        .sign(privateKey);
      return { token, expiresIn: options.ttlSeconds };
    },
    async verify(token) {
      const seconds = now().getTime() / 1000;
      const cached = verified.get(token);
      if (cached) {
        if (cached.exp > seconds) return cached.claims;
        verified.delete(token);
        return undefined;
      }
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          issuer: options.issuer,
          audience: options.issuer,
          typ: 'at+jwt',
          algorithms: ['ES256'],
          currentDate: now(),
        });
        const claims: TokenClaims = {
          clientId: String(payload.client_id),
          kind: payload.kind as ClientKind,
          scopes: String(payload.scope ?? '').split(' ').filter(Boolean) as Scope[],
          ...(typeof payload.office === 'string' ? { office: payload.office } : {}),
          ...(typeof payload.holder === 'string' ? { holder: payload.holder } : {}),
        };
        if (verified.size >= 10_000) verified.delete(verified.keys().next().value!);
        verified.set(token, { claims, exp: payload.exp! });
        return claims;
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return undefined;
        throw error;
      }
    },
  };
}
