/// The JSON Schema (draft 2020-12) of the workflow file format, for editor completion through
/// the YAML language server (`# yaml-language-server: $schema=...`).
///
/// It mirrors what `WorkflowLoader` accepts; a test validates every accepted fixture against it.
/// The loader remains the authority: it also checks what a schema cannot (step references,
/// cycles, cron fields, expression syntax).
public enum WorkflowSchema {
    /// The schema as pretty-printed JSON text.
    public static let text: String = #"""
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "https://baton.dev/schema/workflow.json",
      "title": "Baton workflow",
      "description": "A Baton workflow: triggers that start runs, and steps that call APIs and pass data with JSONata ${{ }} expressions.",
      "type": "object",
      "additionalProperties": false,
      "required": ["steps"],
      "properties": {
        "name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$", "description": "The workflow's name; defaults to the file name."},
        "description": {"type": "string"},
        "inputs": {
          "type": "object",
          "propertyNames": {"$ref": "#/$defs/identifier"},
          "additionalProperties": {
            "oneOf": [
              {"$ref": "#/$defs/inputType"},
              {
                "type": "object",
                "additionalProperties": false,
                "required": ["type"],
                "properties": {
                  "type": {"$ref": "#/$defs/inputType"},
                  "required": {"type": "boolean"},
                  "default": true,
                  "description": {"type": "string"}
                }
              }
            ]
          }
        },
        "env": {
          "type": "object",
          "propertyNames": {"$ref": "#/$defs/identifier"},
          "additionalProperties": {"type": ["string", "number", "boolean", "null"]}
        },
        "connections": {
          "type": "object",
          "propertyNames": {"$ref": "#/$defs/identifier"},
          "additionalProperties": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "base_url": {"type": "string"},
              "auth": {"$ref": "#/$defs/auth"},
              "headers": {"$ref": "#/$defs/scalarMap"},
              "rate_limit": {"$ref": "#/$defs/rateLimit"},
              "timeout": {"$ref": "#/$defs/duration"}
            }
          }
        },
        "triggers": {"type": "array", "items": {"$ref": "#/$defs/trigger"}},
        "concurrency": {"type": "integer", "minimum": 1, "maximum": 10000},
        "overlap": {"enum": ["allow", "skip", "queue"]},
        "timeout": {"$ref": "#/$defs/duration"},
        "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}},
        "on_failure": {"type": "array", "items": {"$ref": "#/$defs/step"}}
      },
      "$defs": {
        "identifier": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
        "inputType": {"enum": ["string", "number", "boolean", "object", "array"]},
        "duration": {
          "type": "string",
          "pattern": "^(?=[0-9])([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$",
          "description": "A duration such as 250ms, 10s, 5m, 1h30m or 2d."
        },
        "expression": {"type": "string", "pattern": "^\\$\\{\\{[\\s\\S]*\\}\\}$", "description": "A JSONata expression: ${{ ... }}."},
        "rateLimit": {"type": "string", "pattern": "^[0-9]+/([smhd]|[0-9][0-9a-z]*)$", "description": "Requests per period: 5/s, 300/m, 1000/h, 450/15m."},
        "byteSize": {
          "oneOf": [
            {"type": "integer", "minimum": 1},
            {"type": "string", "pattern": "^[0-9.]+ ?([kKmMgG]i?[bB]?|[bB])?$"}
          ]
        },
        "scalarMap": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean", "null"]}},
        "statusList": {
          "oneOf": [
            {"$ref": "#/$defs/status"},
            {"type": "array", "items": {"$ref": "#/$defs/status"}}
          ]
        },
        "status": {
          "oneOf": [
            {"type": "integer", "minimum": 100, "maximum": 599},
            {"type": "string", "pattern": "^([1-5]xx|[1-5][0-9][0-9]|[1-5]XX)$"}
          ]
        },
        "auth": {
          "type": "object",
          "minProperties": 1,
          "maxProperties": 1,
          "additionalProperties": false,
          "properties": {
            "bearer": {"type": "string"},
            "basic": {
              "type": "object", "additionalProperties": false, "required": ["username", "password"],
              "properties": {"username": {"type": "string"}, "password": {"type": "string"}}
            },
            "api_key": {
              "type": "object", "additionalProperties": false, "required": ["value"],
              "properties": {"header": {"type": "string"}, "query": {"type": "string"}, "value": {"type": "string"}},
              "oneOf": [{"required": ["header"]}, {"required": ["query"]}]
            },
            "oauth2": {
              "type": "object", "additionalProperties": false, "required": ["token_url", "client_id"],
              "properties": {
                "grant": {"enum": ["client_credentials", "authorization_code", "refresh_token"]},
                "token_url": {"type": "string"},
                "authorize_url": {"type": "string"},
                "client_id": {"type": "string"},
                "client_secret": {"type": "string"},
                "scopes": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                "audience": {"type": "string"},
                "redirect_uri": {"type": "string"},
                "refresh_token": {"type": "string"},
                "client_auth": {"enum": ["basic", "body"]}
              }
            },
            "session": {
              "type": "object", "additionalProperties": false, "required": ["login", "token"],
              "properties": {
                "login": {"$ref": "#/$defs/signInRequest"},
                "refresh": {"$ref": "#/$defs/signInRequest"},
                "token": {"$ref": "#/$defs/expression"},
                "refresh_token": {"$ref": "#/$defs/expression"},
                "expires_in": {"$ref": "#/$defs/expression"},
                "expires_at": {"$ref": "#/$defs/expression"},
                "header": {"type": "string"},
                "scheme": {"type": "string"}
              }
            }
          }
        },
        "signInRequest": {
          "type": "object",
          "additionalProperties": false,
          "required": ["url"],
          "properties": {
            "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "post", "put", "patch", "delete", "head", "options"]},
            "url": {"type": "string"},
            "query": {"$ref": "#/$defs/scalarMap"},
            "headers": {"$ref": "#/$defs/scalarMap"},
            "json": true,
            "form": {"$ref": "#/$defs/scalarMap"},
            "body": {"type": ["string", "number", "boolean"]},
            "timeout": {"$ref": "#/$defs/duration"}
          }
        },
        "httpRequest": {
          "type": "object",
          "additionalProperties": false,
          "required": ["url"],
          "properties": {
            "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "post", "put", "patch", "delete", "head", "options"]},
            "url": {"type": "string"},
            "connection": {"$ref": "#/$defs/identifier"},
            "query": {"$ref": "#/$defs/scalarMap"},
            "headers": {"$ref": "#/$defs/scalarMap"},
            "json": true,
            "form": {"$ref": "#/$defs/scalarMap"},
            "body": {"type": ["string", "number", "boolean"]},
            "auth": {"$ref": "#/$defs/auth"},
            "timeout": {"$ref": "#/$defs/duration"},
            "expect": {"$ref": "#/$defs/statusList"},
            "idempotency_key": {"type": ["string", "number"]},
            "paginate": {
              "type": "object",
              "additionalProperties": false,
              "required": ["type"],
              "properties": {
                "type": {"enum": ["link", "cursor", "page"]},
                "items": {"$ref": "#/$defs/expression"},
                "cursor": {"$ref": "#/$defs/expression"},
                "param": {"type": "string"},
                "limit": {"type": "integer", "minimum": 1},
                "max_pages": {"type": "integer", "minimum": 1, "maximum": 10000}
              }
            }
          },
          "not": {
            "anyOf": [
              {"required": ["json", "form"]},
              {"required": ["json", "body"]},
              {"required": ["form", "body"]}
            ]
          }
        },
        "trigger": {
          "oneOf": [
            {"const": "manual"},
            {
              "type": "object", "additionalProperties": false, "required": ["manual"],
              "properties": {"manual": {"oneOf": [{"type": "null"}, {"type": "object", "maxProperties": 0}]}}
            },
            {
              "type": "object", "additionalProperties": false, "required": ["webhook"],
              "properties": {
                "webhook": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["path"],
                  "properties": {
                    "path": {"type": "string", "pattern": "^/[^\\s?#]*$"},
                    "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "get", "post", "put", "patch", "delete"]},
                    "secret": {"type": "string"},
                    "scheme": {"enum": ["github", "stripe", "slack", "hmac-sha256", "hmac-sha1", "token"]},
                    "signature_header": {"type": "string", "minLength": 1},
                    "signature_prefix": {"type": "string"},
                    "signature_encoding": {"enum": ["hex", "base64"]},
                    "tolerance": {"$ref": "#/$defs/duration"},
                    "idempotency_key": {"$ref": "#/$defs/expression"},
                    "response": {"enum": ["async", "sync"]},
                    "response_timeout": {"$ref": "#/$defs/duration"},
                    "max_body": {"$ref": "#/$defs/byteSize"}
                  }
                }
              }
            },
            {
              "type": "object", "additionalProperties": false, "required": ["schedule"],
              "properties": {
                "schedule": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["cron"],
                  "properties": {
                    "cron": {"type": "string", "minLength": 1, "description": "minute hour day-of-month month day-of-week (optional leading seconds), or @hourly/@daily/@weekly/@monthly/@yearly."},
                    "timezone": {"type": "string", "description": "An IANA timezone such as Europe/Berlin."},
                    "catch_up": {"enum": ["none", "latest", "all"]}
                  }
                }
              }
            },
            {
              "type": "object", "additionalProperties": false, "required": ["poll"],
              "properties": {
                "poll": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["every", "http", "items", "key"],
                  "properties": {
                    "every": {"$ref": "#/$defs/duration"},
                    "http": {"$ref": "#/$defs/httpRequest"},
                    "items": {"$ref": "#/$defs/expression"},
                    "key": {"$ref": "#/$defs/expression"},
                    "fire_on_start": {"type": "boolean"}
                  }
                }
              }
            }
          ]
        },
        "step": {
          "type": "object",
          "additionalProperties": false,
          "required": ["id"],
          "properties": {
            "id": {"$ref": "#/$defs/identifier"},
            "name": {"type": "string"},
            "needs": {"oneOf": [{"$ref": "#/$defs/identifier"}, {"type": "array", "items": {"$ref": "#/$defs/identifier"}}]},
            "if": {"oneOf": [{"$ref": "#/$defs/expression"}, {"type": "boolean"}]},
            "for_each": {"oneOf": [{"$ref": "#/$defs/expression"}, {"type": "array"}]},
            "concurrency": {"type": "integer", "minimum": 1, "maximum": 1000},
            "retry": {
              "oneOf": [
                {"type": "integer", "minimum": 1, "maximum": 100},
                {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "attempts": {"type": "integer", "minimum": 1, "maximum": 100},
                    "backoff": {"enum": ["constant", "exponential"]},
                    "initial": {"$ref": "#/$defs/duration"},
                    "max": {"$ref": "#/$defs/duration"},
                    "jitter": {"type": "boolean"},
                    "when": {
                      "oneOf": [
                        {"$ref": "#/$defs/retryCondition"},
                        {"type": "array", "items": {"$ref": "#/$defs/retryCondition"}}
                      ]
                    }
                  }
                }
              ]
            },
            "timeout": {"$ref": "#/$defs/duration"},
            "on_error": {"enum": ["fail", "continue"]},
            "rate_limit": {"$ref": "#/$defs/rateLimit"},
            "http": {"$ref": "#/$defs/httpRequest"},
            "graphql": {
              "type": "object",
              "additionalProperties": false,
              "required": ["url", "query"],
              "properties": {
                "url": {"type": "string"},
                "connection": {"$ref": "#/$defs/identifier"},
                "query": {"type": "string"},
                "variables": true,
                "operation_name": {"type": "string"},
                "headers": {"$ref": "#/$defs/scalarMap"},
                "auth": {"$ref": "#/$defs/auth"},
                "timeout": {"$ref": "#/$defs/duration"}
              }
            },
            "soap": {
              "type": "object",
              "additionalProperties": false,
              "required": ["url", "action", "body"],
              "properties": {
                "url": {"type": "string"},
                "connection": {"$ref": "#/$defs/identifier"},
                "action": {"type": "string"},
                "body": {"oneOf": [{"type": "object", "minProperties": 1, "maxProperties": 1}, {"$ref": "#/$defs/expression"}]},
                "namespace": {"type": "string"},
                "headers": {"$ref": "#/$defs/scalarMap"},
                "auth": {"$ref": "#/$defs/auth"},
                "timeout": {"$ref": "#/$defs/duration"}
              }
            },
            "transform": true,
            "wait": {
              "oneOf": [
                {"$ref": "#/$defs/duration"},
                {"type": "object", "additionalProperties": false, "required": ["for"], "properties": {"for": {"$ref": "#/$defs/duration"}}},
                {"type": "object", "additionalProperties": false, "required": ["until"], "properties": {"until": {"type": "string"}}}
              ]
            },
            "wait_for": {
              "type": "object",
              "additionalProperties": false,
              "required": ["event"],
              "properties": {
                "event": {"type": "string", "minLength": 1},
                "match": {"$ref": "#/$defs/expression"},
                "timeout": {"$ref": "#/$defs/duration"}
              }
            },
            "workflow": {
              "oneOf": [
                {"type": "string", "minLength": 1},
                {
                  "type": "object", "additionalProperties": false, "required": ["name"],
                  "properties": {"name": {"type": "string", "minLength": 1}, "input": true}
                }
              ]
            },
            "respond": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "status": {"oneOf": [{"type": "integer", "minimum": 100, "maximum": 599}, {"$ref": "#/$defs/expression"}]},
                "headers": {"$ref": "#/$defs/scalarMap"},
                "body": true
              }
            },
            "fail": {
              "oneOf": [
                {"type": "string", "minLength": 1},
                {"type": "object", "additionalProperties": false, "required": ["message"], "properties": {"message": {"type": "string"}}}
              ]
            }
          },
          "oneOf": [
            {"required": ["http"]}, {"required": ["graphql"]}, {"required": ["soap"]}, {"required": ["transform"]},
            {"required": ["wait"]}, {"required": ["wait_for"]}, {"required": ["workflow"]}, {"required": ["respond"]},
            {"required": ["fail"]}
          ]
        },
        "retryCondition": {
          "oneOf": [
            {"$ref": "#/$defs/status"},
            {"enum": ["network", "timeout"]}
          ]
        }
      }
    }
    """#
}
