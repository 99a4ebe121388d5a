import type { JSONSchema7 } from 'json-schema'
import type { RouteJSON } from '@adonisjs/core/types/http'
import type { OperationSpec, ResponseSpec } from '#shared/openapi/operation'

export interface ApiDescription {
  title: string
  version: string
  operations: Record<string, OperationSpec>
  schemas: Record<string, JSONSchema7>
}

const errors = (description: string, spec?: OperationSpec) => ({
  description,
  schema: spec?.errorSchema ?? 'Errors',
})

function schemaRef(schema: JSONSchema7 | string) {
  return typeof schema === 'string' ? { $ref: `#/components/schemas/${schema}` } : schema
}

function response({ description, schema }: ResponseSpec, mediaType = 'application/json') {
  return schema
    ? { description, content: { [mediaType]: { schema: schemaRef(schema) } } }
    : { description }
}

/**
 * Responses every route of a kind can give, unless its spec says more.
 */
function commonResponses(spec: OperationSpec): Record<number, ResponseSpec> {
  const common: Record<number, ResponseSpec> = {}
  if ((spec.body || spec.query) && !spec.errorSchema) {
    common[422] = errors('Invalid input (E_VALIDATION_ERROR, one entry per field)')
  }
  if (spec.authenticated !== false) {
    common[401] = errors('Missing, invalid, expired or revoked credential', spec)
  }
  if (spec.tenant !== false) {
    common[404] = errors(
      'No workspace at this host (E_TENANT_NOT_FOUND), or no such resource',
      spec
    )
    common[403] = errors('Workspace suspended (E_TENANT_SUSPENDED), or not allowed', spec)
  }
  return common
}

/**
 * Answers of the `idempotent` middleware, merged into the route's own
 * description of the same status.
 */
const idempotencyResponses: Record<number, ResponseSpec> = {
  400: errors('Malformed Idempotency-Key header (E_INVALID_IDEMPOTENCY_KEY)'),
  409: errors(
    'Idempotency-Key held by a request still in progress (E_IDEMPOTENCY_IN_PROGRESS), see Retry-After'
  ),
  422: errors('Idempotency-Key already used for a different request (E_IDEMPOTENCY_KEY_REUSED)'),
}

const idempotencyKeyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the request safe to retry: for 24 h, a retry with the same key and request gets the first answer again, with header Idempotent-Replayed: true',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
}

function describedResponses(spec: OperationSpec) {
  const described: Record<number, ResponseSpec> = { ...commonResponses(spec), ...spec.responses }
  for (const [status, extra] of Object.entries(spec.idempotent ? idempotencyResponses : {})) {
    const own = described[Number(status)]
    described[Number(status)] = own
      ? { ...own, description: `${own.description}; or ${extra.description}` }
      : extra
  }
  return described
}

function parameters(route: RouteJSON, spec: OperationSpec) {
  const inPath = [...route.pattern.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: {
      type: spec.pathTypes?.[name] ?? (name === 'id' || name.endsWith('Id') ? 'integer' : 'string'),
    },
  }))
  const query = spec.query?.toJSONSchema()
  const inQuery = Object.entries(query?.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: query?.required?.includes(name) ?? false,
    schema,
  }))
  return [...inPath, ...inQuery, ...(spec.idempotent ? [idempotencyKeyHeader] : [])]
}

function operation(name: string, route: RouteJSON, spec: OperationSpec) {
  const responses: Record<string, unknown> = {}
  for (const [status, described] of Object.entries(describedResponses(spec))) {
    // A route's own error statuses still answer with the error envelope.
    responses[status] =
      !described.schema && Number(status) >= 400
        ? response({ ...described, schema: spec.errorSchema ?? 'Errors' }, spec.mediaType)
        : response(described, spec.mediaType)
  }
  const params = parameters(route, spec)
  return {
    operationId: name,
    summary: spec.summary,
    tags: [spec.tag],
    security: spec.authenticated === false ? [] : [{ [spec.credential ?? 'accessToken']: [] }],
    ...(params.length ? { parameters: params } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: {
              [spec.mediaType ?? 'application/json']: { schema: spec.body.toJSONSchema() },
            },
          },
        }
      : {}),
    responses,
  }
}

/**
 * The OpenAPI 3.1 document of the registered routes. Every route must be
 * described: a missing description is an error, so the reference can
 * never silently lag behind the API.
 */
export function buildOpenApiDocument(routes: RouteJSON[], api: ApiDescription) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const spec = route.name ? api.operations[route.name] : undefined
    if (!spec) {
      throw new Error(
        `Route ${route.methods.join(',')} ${route.pattern} has no API description: name it and describe it in its module's openapi.ts`
      )
    }
    const path = route.pattern.replace(/:(\w+)/g, '{$1}')
    paths[path] ??= {}
    for (const method of route.methods.filter((verb) => verb !== 'HEAD')) {
      paths[path][method.toLowerCase()] = operation(route.name!, route, spec)
    }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: api.title,
      version: api.version,
      description:
        'Tenant routes are served on the workspace host (<slug>.<APP_DOMAIN> or a verified custom domain); signup and health on the bare domain.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        accessToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'Opaque access token from POST /api/v1/auth/login',
        },
        scimToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'SCIM provisioning token from POST /api/v1/scim/tokens (SCIM routes only)',
        },
      },
      schemas: api.schemas,
    },
  }
}
