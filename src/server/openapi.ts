/** OpenAPI 3 description of the REST API, served at GET /api/openapi.json (docs/server.md is the prose). */

const error = { $ref: "#/components/schemas/Error" };
const json = (schema: object) => ({ content: { "application/json": { schema } } });
const errors = {
  "400": { description: "Bad request (a spec's issues name their paths)", ...json(error) },
  "401": { description: "No or invalid credentials", ...json(error) },
  "403": { description: "Not allowed", ...json(error) },
  "404": { description: "Not found (or not yours)", ...json(error) },
  "429": { description: "Rate limit or job limit; see Retry-After", ...json(error) },
};
const idParam = [{ name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } }];
const op = (summary: string, extra: object = {}) => ({ summary, responses: { "200": { description: "OK" }, ...errors }, ...extra });
const body = (schema: object) => ({ requestBody: { required: true, ...json(schema) } });
const obj = (props: Record<string, object>, required: string[] = []) => ({ type: "object", properties: props, required });
const str = { type: "string" };

export const OPENAPI = {
  openapi: "3.0.3",
  info: { title: "gleaner server API", version: "0.1.0", description: "Jobs, exports and accounts of a `gleaner serve` instance. Every route but /api/health needs credentials: `Authorization: Bearer gl_…`, `X-API-Key: gl_…`, or the `gleaner_session` cookie from POST /api/login." },
  components: {
    securitySchemes: {
      apiKey: { type: "http", scheme: "bearer" },
      apiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
      session: { type: "apiKey", in: "cookie", name: "gleaner_session" },
    },
    schemas: {
      Error: obj({ error: obj({ code: str, message: str, issues: { type: "array", items: obj({ path: str, message: str }) } }, ["code", "message"]) }, ["error"]),
    },
  },
  security: [{ apiKey: [] }, { apiKeyHeader: [] }, { session: [] }],
  paths: {
    "/api/health": { get: { summary: "Liveness (no auth)", security: [], responses: { "200": { description: "OK" } } } },
    "/api/openapi.json": { get: op("This document") },
    "/api/setup": { post: op("Create the first admin with the one-time setup token printed at start", { security: [], ...body(obj({ token: str, username: str, password: str }, ["token", "username", "password"])) }) },
    "/api/login": { post: op("Log in; sets the gleaner_session cookie (HttpOnly, SameSite=Strict)", { security: [], ...body(obj({ username: str, password: str }, ["username", "password"])) }) },
    "/api/logout": { post: op("End the session") },
    "/api/me": { get: op("Who is calling") },
    "/api/keys": {
      get: op("List your API keys (prefixes only); admins: ?all=1"),
      post: op("Create an API key; the key is in this response only", body(obj({ name: str }, ["name"]))),
    },
    "/api/keys/{id}": { delete: op("Revoke an API key", { parameters: idParam }) },
    "/api/invitations": {
      get: op("List invitations (admin)"),
      post: op("Create an invitation code (admin)", body(obj({ role: { enum: ["member", "admin"] }, maxUses: { type: "integer" }, expiresInHours: { type: "number" } }))),
    },
    "/api/invitations/redeem": { post: op("Create an account with an invitation code", { security: [], ...body(obj({ code: str, username: str, password: str }, ["code", "username", "password"])) }) },
    "/api/users": { get: op("List users (admin)") },
    "/api/jobs": {
      get: op("Your jobs (admins: all), newest first", { parameters: [{ name: "limit", in: "query", schema: { type: "integer", maximum: 1000 } }] }),
      post: op("Submit a spec; the crawl starts at once (201)", body({ oneOf: [obj({ spec: { type: "object" } }, ["spec"]), obj({ specText: str }, ["specText"])] })),
    },
    "/api/jobs/{id}": {
      get: op("A job with live stats and its spec", { parameters: idParam }),
      delete: op("Cancel (if running) and delete a job with its data", { parameters: idParam }),
    },
    "/api/jobs/{id}/pause": { post: op("Stop gracefully (in-flight pages commit); state paused", { parameters: idParam }) },
    "/api/jobs/{id}/resume": { post: op("Continue a paused or failed job", { parameters: idParam }) },
    "/api/jobs/{id}/cancel": { post: op("Stop for good; state cancelled", { parameters: idParam }) },
    "/api/jobs/{id}/items": {
      get: op("Items, oldest first; pass `next` back as `after`", {
        parameters: [...idParam, { name: "type", in: "query", schema: str }, { name: "after", in: "query", schema: { type: "integer" } }, { name: "limit", in: "query", schema: { type: "integer", maximum: 1000 } }],
      }),
    },
    "/api/jobs/{id}/export": {
      get: op("Stream all items as CSV, JSON or JSONL", {
        parameters: [...idParam, { name: "format", in: "query", schema: { enum: ["csv", "json", "jsonl"] } }, { name: "type", in: "query", schema: str }],
      }),
    },
    "/api/events": { get: op("WebSocket: live job events (see docs/server.md)") },
  },
} as const;
