# 简体中文。键必须与 api.en.ftl 一致。
api-docs-title = API 文档
api-docs-lead = /api/v1 下的 JSON API，由 OpenAPI 文档生成：
api-docs-auth = 客服接口需要 API 令牌（在 /admin/api-tokens 创建），请求头为
api-docs-endpoints = 接口
api-docs-needs_token = 需要令牌
api-docs-deprecated = 已弃用
api-docs-params = 参数
api-docs-body = 请求体
api-docs-schemas = 数据结构
api-docs-field = 字段
api-docs-type = 类型
api-docs-required = 必填
