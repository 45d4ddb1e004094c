# English. Keys must match api.zh-CN.ftl.
api-docs-title = API documentation
api-docs-lead = The JSON API under /api/v1, generated from the OpenAPI document:
api-docs-auth = Agent endpoints need an API token (make one at /admin/api-tokens), sent as
api-docs-endpoints = Endpoints
api-docs-needs_token = token required
api-docs-deprecated = deprecated
api-docs-params = Parameters
api-docs-body = Request body
api-docs-schemas = Schemas
api-docs-field = Field
api-docs-type = Type
api-docs-required = Required
