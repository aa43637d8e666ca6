/**
 * Routes are declared once, with zod schemas for what they accept: the same declaration validates each
 * request, checks the caller's token and scopes, and becomes the route's entry in the OpenAPI document.
 */
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { z, ZodType } from 'zod';
import type { TokenClaims } from '../auth/tokens.js';
import type { Scope } from '../auth/scopes.js';
import { Problem, type FieldError } from './problem.js';

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: ZodType;
  /** Default application/json. */
  readonly contentType?: string;
}

export interface RouteSpec<B extends ZodType, Q extends ZodType, P extends ZodType> {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** Express form: `/v1/licenses/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** The scopes a token needs (any one of them), or 'public' for no token. */
  readonly scopes: readonly Scope[] | 'public';
  readonly body?: B;
  /** A body that is not JSON (a PDF, say): documented under these media types, read raw. */
  readonly rawBody?: readonly string[];
  readonly query?: Q;
  readonly params?: P;
  readonly headers?: ZodType;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

export interface RouteInput<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  /** The authenticated client; undefined only on public routes. */
  readonly client: TokenClaims | undefined;
}

type Infer<T> = T extends ZodType ? z.infer<T> : undefined;

export interface RouteHost {
  readonly router: Router;
  readonly registry: OpenAPIRegistry;
  /** Resolves a bearer token to its claims. */
  authenticate(req: Request): Promise<TokenClaims | undefined>;
  /** Middleware run after authentication (rate limits keyed by client). */
  readonly afterAuthentication: readonly RequestHandler[];
}

export function fieldErrors(error: z.ZodError, prefix: string): FieldError[] {
  const field = (path: readonly PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.');
  // An unknown key is reported on the object that holds it; name the key itself, one error each.
  return error.issues.flatMap((issue) => issue.code === 'unrecognized_keys'
    ? issue.keys.map((key) => ({ field: field([...issue.path, key]), message: 'unknown field' }))
    : [{ field: field(issue.path), message: issue.message }]);
}

function parsePart<T extends ZodType | undefined>(schema: T, value: unknown, where: string): Infer<T> {
  if (!schema) return undefined as Infer<T>;
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = fieldErrors(result.error, where === 'body' ? '' : where);
    throw new Problem(where === 'body' ? 'VALIDATION_FAILED' : 'BAD_REQUEST', `invalid ${where}: ${errors.map((e) => `${e.field || where}: ${e.message}`).join('; ')}`, { errors });
  }
  return result.data as Infer<T>;
}

export function defineRoute<B extends ZodType, Q extends ZodType, P extends ZodType>(
  host: RouteHost,
  spec: RouteSpec<B, Q, P>,
  handler: (input: RouteInput<Infer<B>, Infer<Q>, Infer<P>>, req: Request, res: Response) => Promise<void>,
): void {
  // `:name` is a parameter; `\\:` an escaped colon (custom methods such as `:batch`).
  const openApiPath = spec.path.replace(/(?<!\\):([A-Za-z_]+)/g, '{$1}').replaceAll('\\:', ':');
  const route: RouteConfig = {
    method: spec.method,
    path: openApiPath,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [...spec.tags],
    ...(spec.scopes === 'public' ? {} : { security: [{ bearer: [...spec.scopes] }] }),
    request: {
      ...(spec.body ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
      ...(spec.rawBody ? { body: { required: true, content: Object.fromEntries(spec.rawBody.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) } } : {}),
      ...(spec.query ? { query: spec.query as never } : {}),
      ...(spec.params ? { params: spec.params as never } : {}),
      ...(spec.headers ? { headers: spec.headers as never } : {}),
    },
    responses: Object.fromEntries(
      Object.entries(spec.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.schema || response.contentType
            ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema ?? { type: 'string', format: 'binary' } } } }
            : {}),
        },
      ]),
    ),
  };
  host.registry.registerPath(route);

  const authenticate: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
    if (spec.scopes === 'public') return next();
    const client = await host.authenticate(req);
    if (!client) throw new Problem('UNAUTHENTICATED', 'a valid bearer token is required: get one from POST /oauth/token');
    if (!spec.scopes.some((scope) => client.scopes.includes(scope))) {
      throw new Problem('SCOPE_MISSING', `this operation needs the scope ${spec.scopes.join(' or ')}`);
    }
    res.locals.client = client;
    next();
  };
  host.router[spec.method](spec.path, authenticate, ...host.afterAuthentication, async (req: Request, res: Response) => {
    const input = {
      body: spec.rawBody ? (req.body as never) : parsePart(spec.body, req.body, 'body'),
      query: parsePart(spec.query, req.query, 'query'),
      params: parsePart(spec.params, req.params, 'path'),
      client: res.locals.client as TokenClaims | undefined,
    };
    await handler(input as RouteInput<Infer<B>, Infer<Q>, Infer<P>>, req, res);
  });
}
