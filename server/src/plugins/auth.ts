import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { AllianceRole } from '../db/schema.js';
import { hashToken } from '../domain/admin/adminToken.js';
import { roleAllows, type Permission } from '../domain/accounts/roles.js';
import { findSession } from '../domain/accounts/sessions.js';
import { type CodedMessage, said } from '../domain/messages/userError.js';
import { sendError } from './errors.js';

export const SESSION_COOKIE = 'passerelle_session';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The session cookie's attributes. It is Secure whenever people reach Passerelle over HTTPS: when `PUBLIC_URL`
 * says so, since a reverse proxy ending TLS forwards plain HTTP and, without `TRUST_PROXY`, the request cannot
 * tell; or when the request itself came over HTTPS.
 */
export function sessionCookieOptions(request: FastifyRequest, publicUrl: string | undefined) {
  const secure = publicUrl?.startsWith('https:') === true || request.protocol === 'https';
  return { httpOnly: true, sameSite: 'lax', path: '/', secure } as const;
}

/** Who is making a request: a signed-in person (cookie session) or a script (API token). */
export interface Actor {
  /** null for an API token from before accounts existed, which acts as a platform admin. */
  accountId: string | null;
  email: string | null;
  displayName: string | null;
  isPlatformAdmin: boolean;
  via: 'session' | 'token';
  /** The session's CSRF token, which the page must send back on every change. */
  csrfToken: string | null;
}

/** What a route's alliance resolver answers: the alliance a request acts on, or why there is none. */
export type AllianceOf = { allianceId: string } | { notFound: CodedMessage };

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest: lets the request through only when someone is signed in or sends an API token (else 401). */
    requireSignedIn(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** onRequest: platform admins only. */
    requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /**
     * preHandler: lets the request through when the actor's role in the alliance `resolve` names allows
     * `permission` (404 when there is no such alliance or record, 403 when the role does not allow it).
     */
    requirePermission(
      permission: Permission,
      resolve: (request: FastifyRequest) => Promise<AllianceOf>,
    ): preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    actor(): Promise<Actor | null>;
    /** The actor's role in an alliance; platform admins count as coordinators everywhere. */
    roleIn(allianceId: string): Promise<AllianceRole | null>;
    can(allianceId: string, permission: Permission): Promise<boolean>;
    /** Whether the actor is a platform admin. */
    isAdmin(): Promise<boolean>;
  }
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function deny(reply: FastifyReply, statusCode: 401 | 403 | 404, message: CodedMessage) {
  return sendError(reply, statusCode, message);
}

export const roleNames: Record<Permission, string> = {
  read: 'a member of the alliance',
  edit: 'an editor, the secretariat or the coordinator of the alliance',
  manage: 'the coordinator of the alliance',
};

/**
 * Why someone with `role` in an alliance may not do `what`, which needs `permission`: the 403's message, coded
 * `auth.role-refused` with the role (or none) and the permission needed.
 */
export function permissionRefusal(
  role: AllianceRole | null,
  permission: Permission,
  action: keyof typeof refusedActions = 'this',
): CodedMessage {
  const params = { permission, action, what: refusedActions[action], needed: roleNames[permission] };
  return role ? said('auth.role-refused', { ...params, role }) : said('auth.not-member', params);
}

/** What a refusal names as refused: the request, or a part of it. */
const refusedActions = {
  this: 'this',
  'publish-action': 'showing an action on the public profile',
  'unpublish-action': 'taking an action off the public profile',
} as const;

/** What a route asks of its caller, as its guards say: nothing, someone signed in, a platform admin, or a role. */
export type RouteAccess =
  { kind: 'public' } | { kind: 'signed-in' } | { kind: 'admin' } | { kind: 'permission'; permission: Permission };

/** The guards this plugin hands out, each with what it asks, so that the OpenAPI document can say it. */
const guardAccess = new WeakMap<object, Exclude<RouteAccess, { kind: 'public' }>>();
const accessRank = { public: 0, 'signed-in': 1, admin: 2, permission: 3 } as const;

/** What a route asks of its caller, read from the guards among its onRequest and preHandler hooks. */
export function routeAccess(route: { onRequest?: unknown; preHandler?: unknown }): RouteAccess {
  const hooks = [route.onRequest, route.preHandler].flat().filter((hook) => typeof hook === 'function');
  let access: RouteAccess = { kind: 'public' };
  for (const hook of hooks) {
    const guard = guardAccess.get(hook);
    if (guard && accessRank[guard.kind] > accessRank[access.kind]) access = guard;
  }
  return access;
}

/**
 * Accounts and roles. A person signs in with e-mail and password and gets an HTTP-only session cookie; every
 * change they make must carry the session's CSRF token in the `x-csrf-token` header, which another site cannot
 * read. Scripts send an API token as `Authorization: Bearer …` instead, and need no CSRF token.
 */
export const authPlugin = fp(
  async (app) => {
    await app.register(fastifyCookie);

    const actors = new WeakMap<FastifyRequest, Promise<Actor | null>>();
    const roles = new WeakMap<FastifyRequest, Map<string, Promise<AllianceRole | null>>>();

    async function resolveActor(request: FastifyRequest): Promise<Actor | null> {
      const token = bearerToken(request);
      if (token !== undefined) {
        const row = await app.db
          .selectFrom('admin_token as t')
          .leftJoin('account as a', 'a.id', 't.account_id')
          .select(['t.account_id', 'a.email', 'a.display_name', 'a.is_platform_admin'])
          .where('t.token_hash', '=', hashToken(token))
          .executeTakeFirst();
        if (!row) return null;
        return {
          accountId: row.account_id,
          email: row.email,
          displayName: row.display_name,
          isPlatformAdmin: row.account_id === null || row.is_platform_admin === true,
          via: 'token',
          csrfToken: null,
        };
      }
      const cookie = request.cookies[SESSION_COOKIE];
      if (!cookie) return null;
      const session = await findSession(app.db, cookie);
      if (!session) return null;
      return { ...session, via: 'session' };
    }

    app.decorateRequest('actor', function (this: FastifyRequest) {
      let actor = actors.get(this);
      if (!actor) {
        actor = resolveActor(this);
        actors.set(this, actor);
      }
      return actor;
    });

    app.decorateRequest('isAdmin', async function (this: FastifyRequest) {
      return (await this.actor())?.isPlatformAdmin === true;
    });

    app.decorateRequest('roleIn', function (this: FastifyRequest, allianceId: string) {
      let byAlliance = roles.get(this);
      if (!byAlliance) {
        byAlliance = new Map();
        roles.set(this, byAlliance);
      }
      let role = byAlliance.get(allianceId);
      if (!role) {
        role = this.actor().then(async (actor) => {
          if (!actor) return null;
          if (actor.isPlatformAdmin) return 'coordinator';
          if (!actor.accountId) return null;
          const row = await app.db
            .selectFrom('alliance_member')
            .select('role')
            .where('alliance_id', '=', allianceId)
            .where('account_id', '=', actor.accountId)
            .executeTakeFirst();
          return row?.role ?? null;
        });
        byAlliance.set(allianceId, role);
      }
      return role;
    });

    app.decorateRequest('can', async function (this: FastifyRequest, allianceId: string, permission: Permission) {
      return roleAllows(await this.roleIn(allianceId), permission);
    });

    // A change sent with the session cookie must also carry the session's CSRF token.
    app.addHook('onRequest', async (request, reply) => {
      if (SAFE_METHODS.has(request.method) || bearerToken(request) !== undefined) return;
      if (!request.cookies[SESSION_COOKIE]) return;
      const actor = await request.actor();
      if (actor?.via !== 'session') return;
      if (request.headers[CSRF_HEADER] !== actor.csrfToken) {
        return deny(reply, 403, said('auth.csrf-missing'));
      }
    });

    const denyAnonymous = (request: FastifyRequest, reply: FastifyReply) =>
      deny(reply, 401, bearerToken(request) !== undefined ? said('auth.invalid-token') : said('auth.sign-in-required'));

    async function requireSignedIn(request: FastifyRequest, reply: FastifyReply) {
      if (!(await request.actor())) return denyAnonymous(request, reply);
    }
    guardAccess.set(requireSignedIn, { kind: 'signed-in' });
    app.decorate('requireSignedIn', requireSignedIn);

    async function requireAdmin(request: FastifyRequest, reply: FastifyReply) {
      const actor = await request.actor();
      if (!actor) return denyAnonymous(request, reply);
      if (!actor.isPlatformAdmin) return deny(reply, 403, said('auth.admin-only'));
    }
    guardAccess.set(requireAdmin, { kind: 'admin' });
    app.decorate('requireAdmin', requireAdmin);

    app.decorate(
      'requirePermission',
      (permission: Permission, resolve: (request: FastifyRequest) => Promise<AllianceOf>) => {
        async function checkPermission(request: FastifyRequest, reply: FastifyReply) {
          if (!(await request.actor())) return denyAnonymous(request, reply);
          const target = await resolve(request);
          if ('notFound' in target) return deny(reply, 404, target.notFound);
          const role = await request.roleIn(target.allianceId);
          if (roleAllows(role, permission)) return;
          return deny(reply, 403, permissionRefusal(role, permission));
        }
        guardAccess.set(checkPermission, { kind: 'permission', permission });
        return checkPermission;
      },
    );
  },
  { name: 'auth', dependencies: ['database'] },
);
