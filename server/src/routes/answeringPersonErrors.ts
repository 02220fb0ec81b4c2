import type { FastifyReply } from 'fastify';
import { codedFrom } from '../domain/messages/userError.js';
import { sendError } from '../plugins/errors.js';

/** An error a person can fix (a bad upload, an unknown id, a file that is not what it says): it knows its 4xx. */
type PersonErrorClass = abstract new (...args: never[]) => Error & { statusCode: number };

/**
 * Runs a route's work, answering the errors of the given classes with their 4xx and coded message; anything else is
 * ours and goes to the error handler. Shared by the routes of the uploads that a background job reads.
 */
export function answeringPersonErrors(...classes: readonly PersonErrorClass[]) {
  return async function answering<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
    try {
      return await work();
    } catch (error) {
      if (classes.some((errorClass) => error instanceof errorClass)) {
        const personError = error as Error & { statusCode: number };
        return sendError(reply, personError.statusCode, codedFrom(personError));
      }
      throw error;
    }
  };
}
