"""The feed's OpenAPI 3.1 description, with the JSON Schema (2020-12, OpenAPI 3.1's
dialect) of every response. Built from the KPI catalogue, so every KPI id is a named,
typed property of `kpis`."""

from __future__ import annotations

from typing import Any

from data_access import catalogue

VERSION = "1.0.0"

_NUMBER = {"type": ["number", "null"]}
_INT = {"type": ["integer", "null"]}


def _kpi_value(kpi) -> dict[str, Any]:
    # Counts are integers; rates, means, indices and scores may be fractional. Undefined is null.
    return dict(_INT) if kpi.unit == "count" and kpi.form == "count" else dict(_NUMBER)


def schemas() -> dict[str, Any]:
    cat = catalogue.get()
    kpi_props = {k.id: {**_kpi_value(k), "description": k.name_en} for k in cat}
    sql_props = {k: v for k, v in kpi_props.items() if not k.startswith("emulation.")}
    error = {
        "type": "object",
        "required": ["status", "error", "message"],
        "properties": {
            "status": {"type": "integer", "enum": [400, 401, 403, 404, 405, 429, 503]},
            "error": {"type": "string", "enum": ["bad_parameter", "unauthorized", "forbidden", "not_found",
                                                 "method_not_allowed", "rate_limited", "source_unavailable"]},
            "message": {"type": "string"},
            "source": {"type": "string", "enum": ["procedures", "tasks", "emulation"],
                       "description": "503 only: the source database that could not be read"},
            "retry_after": {"type": "integer", "description": "429 only: seconds before the next call is accepted"},
        },
        "additionalProperties": False,
    }
    report = {
        "type": "object",
        "description": "The report contract (python -m data_access kpis), byte for byte.",
        "required": ["from", "to", "as_of", "unit", "structure", "kpis", "emulation_scores", "awards_by_title"],
        "properties": {
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "as_of": {"type": "string", "description": "YYYY-MM-DD HH:MM:SS, the ministry's local time"},
            "unit": {"type": ["string", "null"]},
            "structure": {"type": "string", "enum": ["current", "historical"]},
            "kpis": {"type": "object", "properties": kpi_props, "additionalProperties": False,
                     "description": "Every KPI of the scope; emulation.* for the whole ministry only. "
                                    "Rates are fractions in [0, 1]; null is undefined."},
            "emulation_scores": {"type": "array", "items": {
                "type": "object", "required": ["unit", "block", "score", "rank"],
                "properties": {"unit": {"type": "string"}, "block": {"type": ["integer", "string", "null"]},
                               "score": _NUMBER, "rank": _INT}}},
            "awards_by_title": {"type": "object", "additionalProperties": {"type": "integer"}},
            "by_unit": {"type": "array", "description": "With by=unit: each unit's procedure and task KPIs.",
                        "items": {"type": "object", "required": ["unit", "kpis"],
                                  "properties": {"unit": {"type": "string"},
                                                 "kpis": {"type": "object", "properties": sql_props,
                                                          "additionalProperties": False}}}},
        },
    }
    entry = {
        "type": "object",
        "required": ["id", "name_vi", "name_en", "unit", "better", "target", "definition_vi", "definition_en"],
        "properties": {
            "id": {"type": "string"}, "name_vi": {"type": "string"}, "name_en": {"type": "string"},
            "unit": {"type": "string", "description": "count, rate (a fraction), days, index, score …"},
            "better": {"type": "string", "enum": ["higher", "lower", "none"]},
            "target": _NUMBER, "amber": _NUMBER,
            "definition_vi": {"type": "string"}, "definition_en": {"type": "string"},
        },
    }
    source = {
        "type": "object", "required": ["reachable"],
        "properties": {"reachable": {"type": "boolean"},
                       "fault": {"type": "string", "enum": ["unreachable", "config", "schema", "timeout", "query"]},
                       "dialect": {"type": "string", "enum": ["sqlite", "postgresql", "mysql"]},
                       "ms": {"type": "number"},
                       "queries": {"type": "integer", "description": "statements this server sent it since start"}},
    }
    health = {
        "type": "object", "required": ["status", "checked_at", "sources", "app_database"],
        "properties": {"status": {"type": "string", "enum": ["ok", "degraded"]},
                       "checked_at": {"type": "string"},
                       "sources": {"type": "object", "required": ["procedures", "tasks", "emulation"],
                                   "properties": {s: {"$ref": "#/components/schemas/SourceHealth"}
                                                  for s in ("procedures", "tasks", "emulation")}},
                       "app_database": {"type": "object", "properties": {"reachable": {"type": "boolean"}}}},
    }
    return {
        "Report": report,
        "Catalogue": {"type": "object", "required": ["kpis"],
                      "properties": {"kpis": {"type": "array", "items": {"$ref": "#/components/schemas/CatalogueEntry"}}}},
        "CatalogueEntry": entry,
        "Health": health,
        "SourceHealth": source,
        "Error": error,
    }


def _errors(*codes: int) -> dict[str, Any]:
    words = {400: "A bad parameter (the command line's rules)", 401: "No token, an unknown, revoked or expired one",
             403: "A unit the client's scope does not cover", 429: "Over the client's rate limit",
             503: "A source database cannot be read; `source` names it"}
    return {str(c): {"description": words[c], "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}} for c in codes}


def _params() -> list[dict[str, Any]]:
    def p(name, desc, schema, required=False):
        return {"name": name, "in": "query", "required": required, "description": desc, "schema": schema}

    return [
        p("from", "First day of the period (YYYY-MM-DD)", {"type": "string", "format": "date"}, True),
        p("to", "Last day of the period (YYYY-MM-DD)", {"type": "string", "format": "date"}, True),
        p("as_of", "The moment the figures are taken at, 'YYYY-MM-DD HH:MM[:SS]'; default now",
          {"type": "string"}),
        p("unit", "One unit's code; a unit-scoped client gets its unit without it", {"type": "string"}),
        p("structure", "Units as they are now or as they were", {"type": "string", "enum": ["current", "historical"]}),
        p("by", "Also every unit's KPIs (by_unit)", {"type": "string", "enum": ["unit"]}),
    ]


def document() -> dict[str, Any]:
    cached = {"ETag": {"schema": {"type": "string"}, "description": "Strong validator of the body"},
              "Cache-Control": {"schema": {"type": "string"}}}
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "Ministry operations centre: KPI feed", "version": VERSION,
                 "description": "The KPI report contract for the Government operations centre. "
                                "Every call needs `Authorization: Bearer <token>` (python -m auth clients add)."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas(),
        },
        "paths": {
            "/api/v1/kpis": {"get": {
                "summary": "Every KPI of the period (JSON)", "operationId": "kpis", "parameters": [
                    *_params(), {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "The report", "headers": cached,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                    "304": {"description": "Not modified (If-None-Match matched the ETag)", "headers": cached},
                    **_errors(400, 401, 403, 429, 503)}}},
            "/api/v1/kpis.csv": {"get": {
                "summary": "The same report as CSV", "operationId": "kpisCsv", "parameters": [
                    *_params(), {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "One row per KPI, emulation score and award title", "headers": cached,
                            "content": {"text/csv": {"schema": {"type": "string"}}}},
                    "304": {"description": "Not modified", "headers": cached},
                    **_errors(400, 401, 403, 429, 503)}}},
            "/api/v1/catalogue": {"get": {
                "summary": "Every KPI's id, names, unit, definition and target", "operationId": "catalogue",
                "responses": {"200": {"description": "The catalogue", "headers": cached, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Catalogue"}}}},
                    "304": {"description": "Not modified", "headers": cached},
                    **_errors(401, 429)}}},
            "/api/v1/health": {"get": {
                "summary": "Each source's reachability", "operationId": "health",
                "responses": {
                    "200": {"description": "Every source answers", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
                    "503": {"description": "A source does not answer (the same body)", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
                    **_errors(401, 429)}}},
            "/api/v1/openapi.json": {"get": {
                "summary": "This description", "operationId": "openapi",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {
                    "application/json": {"schema": {"type": "object"}}}}, **_errors(401, 429)}}},
        },
    }
