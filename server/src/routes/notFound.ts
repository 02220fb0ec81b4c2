import type { FastifyReply } from 'fastify';
import { type CodedMessage, said } from '../domain/messages/userError.js';
import { sendError } from '../plugins/errors.js';

export function notFound(reply: FastifyReply, message: CodedMessage) {
  return sendError(reply, 404, message);
}

export function forbidden(reply: FastifyReply, message: CodedMessage) {
  return sendError(reply, 403, message);
}

export function badRequest(reply: FastifyReply, message: CodedMessage) {
  return sendError(reply, 400, message);
}

export function conflict(reply: FastifyReply, message: CodedMessage) {
  return sendError(reply, 409, message);
}

/** A PATCH that names no field besides the version it was read at. */
export const nothingToChange = said('request.nothing-to-change');
