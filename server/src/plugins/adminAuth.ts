import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isAdminToken } from '../domain/admin/adminToken.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** A preHandler that lets a request through only with the admin token. */
    requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
  interface FastifyRequest {
    /** Whether the request carries a valid admin token; read-only routes use it to show more. */
    isAdmin(): Promise<boolean>;
  }
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

export const adminAuthPlugin = fp(
  async (app) => {
    app.decorateRequest('isAdmin', async function (this: FastifyRequest) {
      const token = bearerToken(this);
      return token !== undefined && (await isAdminToken(app.db, token));
    });
    app.decorate('requireAdmin', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = bearerToken(request);
      if (token === undefined) {
        await reply.code(401).send({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'This change needs the admin token: send it as "Authorization: Bearer <token>".',
        });
        return;
      }
      if (!(await isAdminToken(app.db, token))) {
        await reply.code(403).send({
          statusCode: 403,
          error: 'Forbidden',
          message: 'The admin token is not valid.',
        });
      }
    });
  },
  { name: 'admin-auth', dependencies: ['database'] },
);
