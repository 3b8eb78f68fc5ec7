//! The OpenAPI 3 document of `/api/v1/` (SPEC "HTTP API"), written by hand beside the
//! handlers; a test calls every operation listed here against the router.

use serde_json::{Value, json};

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

fn record_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}}}
    })
}

fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}})
}

fn tracking_param() -> Value {
    json!({"name": "tracking", "in": "path", "required": true, "schema": {"type": "string"}})
}

/// The document, with `base_url` as its server.
pub fn document(base_url: &str) -> Value {
    let secured = json!([{"bearer": []}]);
    let std_errors = |extra: &[(&str, &str)]| {
        let mut m = serde_json::Map::new();
        m.insert("400".into(), error_response("输入有误，message 指明字段"));
        m.insert("401".into(), error_response("缺少令牌或令牌无效"));
        m.insert("403".into(), error_response("角色不符或同一人签署两个环节"));
        m.insert(
            "404".into(),
            error_response("文件不存在（含其他单位的文件）"),
        );
        for (code, d) in extra {
            m.insert((*code).into(), error_response(d));
        }
        m
    };
    let mut act_responses = std_errors(&[
        ("409", "当前状态不能执行此操作，或他人刚处理过"),
        ("422", "还有未处理的敏感信息扫描结果"),
    ]);
    act_responses.insert("200".into(), record_response("操作后的文件"));
    let mut get_responses = std_errors(&[]);
    get_responses.insert("200".into(), record_response("文件"));
    let mut create_responses = std_errors(&[]);
    create_responses.insert(
        "201".into(),
        json!({"description": "已创建草稿", "content": {"application/json": {"schema": {
            "type": "object", "required": ["id", "status"],
            "properties": {"id": {"type": "integer"}, "status": {"type": "string", "enum": ["draft"]}}
        }}}}),
    );
    let mut finding_responses = std_errors(&[("409", "签发后不能再处理扫描结果")]);
    finding_responses.insert("200".into(), record_response("处理后的文件"));
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "政府信息公开平台 API",
            "version": "1",
            "description": "发布流程（起草、提交、审核、签发、发布、退回、撤回）、依申请公开（提交、查询、登记与时限事件）与检索的机器接口。令牌由 `gongkai user token 用户名` 生成，按该用户在各机构的角色行事。错误为 {\"error\": 代码, \"message\": 中文说明}。"
        },
        "servers": [{"url": base_url.trim_end_matches('/')}],
        "paths": {
            "/api/v1/documents": {"post": {
                "summary": "起草：以文件导入格式的一行创建草稿",
                "operationId": "createDocument",
                "security": secured,
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DocumentLine"}}}},
                "responses": create_responses
            }},
            "/api/v1/documents/{id}": {"get": {
                "summary": "文件：状态、索引号、扫描结果及处理、办理记录",
                "operationId": "getDocument",
                "security": secured,
                "parameters": [id_param()],
                "responses": get_responses
            }},
            "/api/v1/documents/{id}/actions/{action}": {"post": {
                "summary": "流程操作",
                "operationId": "actOnDocument",
                "security": secured,
                "parameters": [id_param(), {"name": "action", "in": "path", "required": true,
                    "schema": {"type": "string", "enum": ["submit", "review", "approve", "publish", "return", "withdraw"]}}],
                "requestBody": {"required": false, "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {
                        "reason": {"type": "string", "description": "退回、撤回时必填"},
                        "at": {"type": "string", "format": "date-time", "description": "定时发布时间（publish）"}
                    }
                }}}},
                "responses": act_responses
            }},
            "/api/v1/documents/{id}/findings/{n}": {"post": {
                "summary": "处理一项敏感信息扫描结果：脱敏或说明理由后保留",
                "operationId": "resolveFinding",
                "security": secured,
                "parameters": [id_param(), {"name": "n", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}, "description": "findings 中的序号 n"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["resolution"],
                    "properties": {
                        "resolution": {"type": "string", "enum": ["redact", "keep"]},
                        "reason": {"type": "string", "description": "keep 时必填"}
                    }
                }}}},
                "responses": finding_responses
            }},
            "/api/v1/requests": {"post": {
                "summary": "提交政府信息公开申请（公众，无需令牌；与网上申请表相同）",
                "operationId": "createRequest",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Application"}}}},
                "responses": {
                    "201": {"description": "已提交：查询码与密码（密码只显示这一次）", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["tracking", "secret"],
                        "properties": {"tracking": {"type": "string"}, "secret": {"type": "string"}}
                    }}}},
                    "400": error_response("申请有误：message 与 problems 逐项指明字段"),
                    "429": error_response("同一地址提交过于频繁，请稍后再试")
                }
            }},
            "/api/v1/requests/{tracking}": {"get": {
                "summary": "申请进度：带 X-Tracking-Secret 为申请人所见（状态、答复期限及其计算过程、告知书）；带令牌为承办单位所见的完整记录",
                "operationId": "getRequest",
                "parameters": [
                    tracking_param(),
                    {"name": "X-Tracking-Secret", "in": "header", "required": false, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "申请进度或完整记录"},
                    "401": error_response("既无密码也无令牌，或令牌无效"),
                    "404": error_response("查询码或密码不对；其他单位的申请"),
                    "429": error_response("密码错误次数过多，请稍后再试")
                }
            }},
            "/api/v1/requests/{tracking}/events": {"post": {
                "summary": "承办单位记录时限事件（DOMAIN A6.1），或 {\"kind\": \"received\", \"date\"} 登记受理（第三十一条）；答复须带 outcome 与 basis",
                "operationId": "addRequestEvent",
                "security": secured,
                "parameters": [tracking_param()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["kind", "date"],
                    "properties": {
                        "kind": {"type": "string", "enum": ["received", "correction_requested", "correction_received", "consultation_sent", "consultation_answered", "extension", "fee_notice", "fee_paid", "replied", "withdrawn"]},
                        "date": {"type": "string", "format": "date"},
                        "id": {"type": "string", "description": "征求意见编号（consultation_*）"},
                        "working_days": {"type": "integer", "description": "延期工作日数（extension）"},
                        "outcome": {"type": "string", "description": "办理结果代码（replied）"},
                        "basis": {"type": "array", "items": {"type": "string"}, "description": "答复依据代码（replied）"},
                        "letter": {"type": "object", "additionalProperties": {"type": "string"}, "description": "同时生成的告知书的填写项：correction_requested 的 补正事项、补正期限，extension 的 延期理由，consultation_sent 的 被征求意见方（另可 \"to_agency\": true 表示征求其他机关），fee_notice 的 费用金额、计费说明；replied 的 答复内容。不带 letter 时，除答复外不生成告知书"}
                    }
                }}}},
                "responses": {
                    "200": {"description": "事件后的时限（DOMAIN A6.1 的输出）"},
                    "400": error_response("事件不合法：说明原因"),
                    "401": error_response("缺少令牌或令牌无效"),
                    "403": error_response("不是承办单位的经办人"),
                    "404": error_response("申请不存在（含其他单位的申请）"),
                    "409": error_response("已登记，或已答复")
                }
            }},
            "/api/v1/requests/{tracking}/letters/{id}": {"get": {
                "summary": "一份告知书：带 X-Tracking-Secret 为发给申请人的告知书，带令牌为承办单位的任一告知书；format=json（默认）、html（打印版）或 docx",
                "operationId": "getRequestLetter",
                "parameters": [
                    tracking_param(), id_param(),
                    {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "html", "docx"]}},
                    {"name": "X-Tracking-Secret", "in": "header", "required": false, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "告知书（JSON：title、number、addressee、paragraphs、signer、date）"},
                    "400": error_response("format 不支持"),
                    "401": error_response("既无密码也无令牌，或令牌无效"),
                    "404": error_response("查询码、密码或告知书不对；发给第三方的征求意见函不对申请人")
                }
            }},
            "/api/v1/requests/{tracking}/correction": {"post": {
                "summary": "申请人提交补正（带 X-Tracking-Secret）：{\"text\": \"…\"}；收到补正之日起答复期限重新计算（第三十条）",
                "operationId": "correctRequest",
                "parameters": [
                    tracking_param(),
                    {"name": "X-Tracking-Secret", "in": "header", "required": true, "schema": {"type": "string"}}
                ],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 2000}}
                }}}},
                "responses": {
                    "200": {"description": "补正后的时限"},
                    "400": error_response("补正内容为空或过长"),
                    "401": error_response("缺少密码"),
                    "404": error_response("查询码或密码不对"),
                    "409": error_response("该申请没有待补正的事项"),
                    "429": error_response("密码错误次数过多，请稍后再试")
                }
            }},
            "/api/v1/requests/{tracking}/reply": {"post": {
                "summary": "经办人拟写答复并提交审核（签署“经办”）：{\"basis\": 答复依据代码, \"letter\": {\"答复内容\": \"…\"}}",
                "operationId": "submitRequestReply",
                "security": secured,
                "parameters": [tracking_param()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["basis"],
                    "properties": {
                        "basis": {"type": "string", "description": "答复依据代码（决定办理结果与答复告知书的写法）"},
                        "letter": {"type": "object", "additionalProperties": {"type": "string"}}
                    }
                }}}},
                "responses": {
                    "200": {"description": "答复的状态"},
                    "400": error_response("输入有误，message 指明字段"),
                    "401": error_response("缺少令牌或令牌无效"),
                    "403": error_response("不是承办单位的经办人"),
                    "404": error_response("申请不存在（含其他单位的申请）"),
                    "409": error_response("已答复，或答复正在审核签发中")
                }
            }},
            "/api/v1/requests/{tracking}/reply/actions/{action}": {"post": {
                "summary": "答复的审核（review）、签发（approve）或退回（return，须带 reason）；三个环节由三人签署，签发即记录答复并生成答复告知书",
                "operationId": "actOnRequestReply",
                "security": secured,
                "parameters": [tracking_param(), {"name": "action", "in": "path", "required": true, "schema": {"type": "string", "enum": ["review", "approve", "return"]}}],
                "requestBody": {"required": false, "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"reason": {"type": "string"}}
                }}}},
                "responses": {
                    "200": {"description": "答复的状态；签发后带答复后的时限"},
                    "400": error_response("退回须写原因"),
                    "401": error_response("缺少令牌或令牌无效"),
                    "403": error_response("角色不符或同一人签署两个环节"),
                    "404": error_response("申请不存在（含其他单位的申请）"),
                    "409": error_response("当前状态不能执行此操作")
                }
            }},
            "/api/v1/search": {"get": {
                "summary": "检索已发布的政府信息（一网通查）",
                "operationId": "search",
                "parameters": [
                    {"name": "q", "in": "query", "required": true, "schema": {"type": "string"}},
                    {"name": "org", "in": "query", "schema": {"type": "string"}},
                    {"name": "topic", "in": "query", "schema": {"type": "string"}},
                    {"name": "kind", "in": "query", "schema": {"type": "string"}},
                    {"name": "year", "in": "query", "schema": {"type": "integer"}},
                    {"name": "validity", "in": "query", "schema": {"type": "string"}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}
                ],
                "responses": {"200": {"description": "命中、分面与摘要"}, "400": error_response("参数有误")}
            }},
            "/api/v1/openapi.json": {"get": {
                "summary": "本文档",
                "operationId": "openapi",
                "responses": {"200": {"description": "OpenAPI 3 文档"}}
            }}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "message"], "properties": {
                    "error": {"type": "string", "enum": ["bad_request", "unauthorized", "forbidden", "same_signer", "not_found", "conflict", "wrong_state", "reason_required", "unresolved_findings", "throttled", "unavailable", "internal"]},
                    "message": {"type": "string"}
                }},
                "Application": {"type": "object", "required": ["org", "applicant_type", "applicant", "description"], "properties": {
                    "org": {"type": "string", "description": "受理机关的机构代码"},
                    "applicant_type": {"type": "string", "enum": ["natural_person", "legal.commercial", "legal.research", "legal.public_interest", "legal.legal_services", "legal.other"]},
                    "applicant": {"type": "object", "required": ["name", "id_number"], "properties": {
                        "name": {"type": "string"}, "id_number": {"type": "string"}, "phone": {"type": "string"},
                        "email": {"type": "string"}, "address": {"type": "string"}
                    }, "description": "姓名或名称、身份证明、联系方式（电话、邮箱、地址至少一项）"},
                    "description": {"type": "string", "description": "所需信息的名称、文号或其他特征性描述"},
                    "purpose": {"type": "string"},
                    "form": {"type": "string", "enum": ["paper", "electronic"]},
                    "delivery": {"type": "string", "enum": ["post", "email", "pickup", "online"]}
                }},
                "DocumentLine": {"type": "object", "required": ["org", "title", "topic", "kind", "written_date", "validity", "column"], "properties": {
                    "org": {"type": "string"}, "title": {"type": "string"}, "doc_number": {"type": "string"},
                    "issuer": {"type": "string"}, "topic": {"type": "string"}, "kind": {"type": "string"},
                    "written_date": {"type": "string", "format": "date"}, "formed_date": {"type": "string", "format": "date"},
                    "validity": {"type": "string", "enum": ["valid", "expired", "repealed"]},
                    "disclosure_term": {"type": "string", "enum": ["long_term", "periodic", "immediate"]},
                    "column": {"type": "string"}, "body_html": {"type": "string"}, "body_text": {"type": "string"}
                }},
                "Document": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "org": {"type": "string"},
                    "status": {"type": "string", "enum": ["draft", "submitted", "reviewed", "approved", "scheduled", "published", "withdrawn"]},
                    "index_number": {"type": "string", "nullable": true}, "title": {"type": "string"},
                    "url": {"type": "string", "nullable": true},
                    "unresolved_findings": {"type": "integer"},
                    "findings": {"type": "array", "items": {"type": "object", "properties": {
                        "n": {"type": "integer"}, "source": {"type": "string"}, "kind": {"type": "string"},
                        "masked": {"type": "string"}, "line": {"type": "integer"},
                        "resolution": {"type": "string", "nullable": true}, "reason": {"type": "string", "nullable": true}
                    }}},
                    "history": {"type": "array", "items": {"type": "object", "properties": {
                        "at": {"type": "string", "format": "date-time"}, "actor": {"type": "string"},
                        "action": {"type": "string"}, "detail": {"type": "object"}
                    }}}
                }}
            }
        }
    })
}
