// Every failure leaves as `{error: {code, message, details?}}` with the status chosen in
// errors.ts. Framework errors are translated into the same codes.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, isAppError, validationIssue, valueAt } from '../errors.js';

/** A schema validation failure as an AppError naming the field at fault. */
export function describeValidation(error: FastifyError, request: FastifyRequest): AppError {
  const where = error.validationContext ?? 'body';
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const segments = (first?.instancePath ?? '').split('/').filter(Boolean);
    const path = segments.join('.');
    const keys = (first?.params as { keys?: unknown } | undefined)?.keys;
    if (first?.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length) {
      const field = [path, String(keys[0])].filter(Boolean).join('.');
      return new AppError('validation_failed', `${where}: unknown field "${field}".`, {
        field,
        issue: 'unknown_field',
      });
    }
    const field = path || where;
    const given = valueAt(requestPart(request, where), segments);
    return new AppError(
      'validation_failed',
      `${where}${path ? `.${path}` : ''}: ${first?.message ?? 'is invalid'}.`,
      { field, issue: validationIssue(given) },
    );
  }
  return new AppError('validation_failed', `${where}: ${error.message}`);
}

function requestPart(request: FastifyRequest, where: string): unknown {
  if (where === 'querystring') return request.query;
  if (where === 'params') return request.params;
  if (where === 'headers') return request.headers;
  return request.body;
}

function translate(error: FastifyError, request: FastifyRequest): AppError {
  if (isAppError(error)) return error;
  if (error.validation) return describeValidation(error, request);
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', `The request body is not valid JSON: ${error.message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError('payload_too_large', error.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        'bad_request',
        `This endpoint does not accept ${error.message.split(': ').pop() ?? 'that content type'}.`,
      );
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('bad_request', 'Send files as multipart/form-data with one or more "file" parts.');
    default:
      break;
  }
  if (error instanceof SyntaxError)
    return new AppError('invalid_json', `The request body is not valid JSON: ${error.message}`);
  if (error.statusCode === 429)
    return new AppError('rate_limited', 'Too many attempts; wait a minute and try again.');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return new AppError('bad_request', error.message);
  return new AppError('internal', 'Something went wrong on our side; it has been logged.');
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appError = translate(error, request);
  if (appError.code === 'internal') request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: appError.code, reason: appError.message }, 'request refused');
  const body = appError.toJSON();
  if (appError.code === 'internal') body.error.details = { requestId: String(request.id) };
  void reply.status(appError.status).type('application/json').send(body);
}
