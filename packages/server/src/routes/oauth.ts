/** POST /oauth/token: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4). */
import { z } from 'zod';
import { verifyClientSecret } from '../auth/client-secrets.js';
import type { Scope } from '../auth/scopes.js';
import type { ServerContext } from '../context.js';
import { tokenRequest } from '../api-schemas.js';
import { Problem } from '../http/problem.js';
import { defineRoute, type RouteHost } from '../http/route.js';

const tokenResponse = z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number(), scope: z.string() }).openapi('TokenResponse');

/** client_secret_basic (RFC 6749 §2.3.1): form-encoded id and secret in a Basic header. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    // Not valid percent-encoding: no client has such an id or secret.
    throw INVALID_CLIENT();
  }
}

const INVALID_CLIENT = () => new Problem('INVALID_CLIENT', 'client authentication failed', { error: 'invalid_client' });

export function oauthRoutes(host: RouteHost, ctx: ServerContext): void {
  defineRoute(host, {
    method: 'post',
    path: '/oauth/token',
    summary: 'Get an access token (client credentials)',
    description: 'Form-encoded or JSON. Authenticate with HTTP Basic (client_secret_basic) or client_id and client_secret in the body. The token is a short-lived JWT carrying the client\'s scopes.',
    tags: ['Auth'],
    scopes: 'public',
    body: tokenRequest,
    responses: { 200: { description: 'The token', schema: tokenResponse }, 400: { description: 'A grant other than client_credentials (error unsupported_grant_type), or a scope the client does not have (error invalid_scope)' }, 401: { description: 'Unknown client or wrong secret' } },
  }, async ({ body }, req, res) => {
    // RFC 6749 §5.2: an unknown grant is its own error, so clients can tell it from bad credentials.
    if (body.grant_type !== 'client_credentials') throw new Problem('BAD_REQUEST', 'only the client_credentials grant is offered', { error: 'unsupported_grant_type' });
    const credentials = basicCredentials(req.headers.authorization) ?? (body.client_id && body.client_secret ? { id: body.client_id, secret: body.client_secret } : undefined);
    if (!credentials) throw INVALID_CLIENT();
    const client = await ctx.db.selectFrom('clients').selectAll().where('id', '=', credentials.id).executeTakeFirst();
    // Hash anyway when the client is unknown, so timing does not tell which ids exist.
    const ok = await verifyClientSecret(credentials.secret, client?.secret_hash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    if (!client || !ok || client.disabled) throw INVALID_CLIENT();
    const granted = client.scopes.split(' ').filter(Boolean) as Scope[];
    const asked = body.scope ? (body.scope.split(' ').filter(Boolean) as Scope[]) : granted;
    const scopes = asked.filter((scope) => granted.includes(scope));
    if (body.scope && scopes.length !== asked.length) throw new Problem('BAD_REQUEST', 'the client may not have some of the scopes asked for', { error: 'invalid_scope' });
    const { token, expiresIn } = await ctx.tokens.issue({
      clientId: client.id,
      kind: client.kind,
      scopes,
      ...(client.office_code ? { office: client.office_code } : {}),
      ...(client.holder_code ? { holder: client.holder_code } : {}),
    });
    res.set('Cache-Control', 'no-store').json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') });
  });
}
