"""What FastAPI, Starlette and pydantic do that a client of GPT-SoVITS sees.

Endpoints are declared as upstream declares them (`@APP.get("/tts")` on a function whose
annotated parameters with defaults are the query; a `BaseModel` parameter is the JSON
body; a `Request` parameter gets the request), and answered the way FastAPI answers:
404/405 `{"detail": ...}`, 307 to the path with/without its trailing slash, 422
pydantic-v2-style validation errors, compact JSON (ensure_ascii=False), a return value
that is not a Response sent as JSON, `/openapi.json`, `/docs`. standin_uvicorn.py serves it.
"""

from __future__ import annotations

import copy
import inspect
import json
import re
import sys
import typing
from urllib.parse import parse_qsl, urlsplit

# --- requests and responses -----------------------------------------------------------------


class Request:
    def __init__(self, method: str, target: str, headers: dict, body: bytes, client: tuple) -> None:
        self.method = method
        self.target = target
        parts = urlsplit(target)
        self.path = parts.path or "/"
        self.query_pairs = parse_qsl(parts.query, keep_blank_values=True, encoding="utf-8", errors="replace")
        self.headers = headers
        self.body = body
        self.client = client

    def query(self) -> dict:
        merged: dict = {}
        for key, value in self.query_pairs:
            merged.setdefault(key, []).append(value)
        return merged

    def q(self, name: str) -> str | None:
        value = None
        for key, val in self.query_pairs:
            if key == name:
                value = val  # Starlette keeps the last one
        return value

    def q_list(self, name: str) -> list:
        return [val for key, val in self.query_pairs if key == name]

    def json(self) -> object:
        """Starlette Request.json(): json.loads of the body, errors propagate (-> 500)."""
        return json.loads(self.body)


class Response:
    def __init__(self, content: bytes = b"", status_code: int = 200, media_type: str | None = None,
                 headers: dict | None = None, stream=None) -> None:
        self.body = content
        self.status = status_code
        self.content_type = media_type
        self.headers = headers or {}
        self.stream = stream  # iterator of bytes: sent chunked; an error inside cuts the stream


def JSONResponse(content: object, status_code: int = 200) -> Response:  # noqa: N802 - Starlette's name
    """starlette JSONResponse: compact separators, ensure_ascii=False, utf-8."""
    body = json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
    return Response(body.encode("utf-8"), status_code, "application/json")


def StreamingResponse(content, media_type: str) -> Response:  # noqa: N802 - Starlette's name
    return Response(b"", 200, media_type, stream=content)


class Query:
    """fastapi.Query(default=...): marks a `list` parameter as a repeated query parameter."""

    def __init__(self, default: object = None) -> None:
        self.default = default


class BaseModel:
    """pydantic BaseModel for a body whose fields all have defaults (`request.dict()`)."""

    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)

    @classmethod
    def fields(cls) -> list:
        module = vars(sys.modules[cls.__module__])
        return [(name, _kind(_hint(ann, module), in_body=True), getattr(cls, name)) for name, ann in cls.__annotations__.items()]

    def dict(self) -> dict:
        return dict(self.__dict__)


# --- validation: pydantic v2 lax mode for the field types upstream declares -------------------


class ValidationFailed(Exception):
    def __init__(self, errors: list) -> None:
        super().__init__("validation failed")
        self.errors = errors


_BOOL_TRUE = {"1", "on", "t", "true", "y", "yes"}
_BOOL_FALSE = {"0", "off", "f", "false", "n", "no"}


def _err(kind: str, loc: list, msg: str, value: object) -> dict:
    return {"type": kind, "loc": loc, "msg": msg, "input": value}


def _coerce_int(value: object, loc: list, errors: list) -> object:
    if isinstance(value, (bool, int)):
        return int(value)
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        errors.append(_err("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", value))
        return None
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[-+]?\d+(?:_\d+)*", text):
            return int(text.replace("_", ""))
        if re.fullmatch(r"[-+]?\d+\.0*", text):
            return int(float(text))
        errors.append(_err("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", value))
        return None
    errors.append(_err("int_type", loc, "Input should be a valid integer", value))
    return None


def _coerce_float(value: object, loc: list, errors: list) -> object:
    if isinstance(value, (bool, int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            errors.append(_err("float_parsing", loc, "Input should be a valid number, unable to parse string as a number", value))
            return None
    errors.append(_err("float_type", loc, "Input should be a valid number", value))
    return None


def _coerce_bool(value: object, loc: list, errors: list) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _BOOL_TRUE | _BOOL_FALSE:
        return value.strip().lower() in _BOOL_TRUE
    if isinstance(value, (str, int, float)):
        errors.append(_err("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", value))
    else:
        errors.append(_err("bool_type", loc, "Input should be a valid boolean", value))
    return None


def coerce(kind: str, value: object, loc: list, errors: list) -> object:
    if kind == "str":
        if isinstance(value, str):
            return value
        errors.append(_err("string_type", loc, "Input should be a valid string", value))
        return None
    if kind == "int":
        return _coerce_int(value, loc, errors)
    if kind == "float":
        return _coerce_float(value, loc, errors)
    if kind == "bool":
        return _coerce_bool(value, loc, errors)
    if kind == "bool|int":
        if isinstance(value, (bool, int)):
            return value
        sub_b: list = []
        got = _coerce_bool(value, loc + ["bool"], sub_b)
        if not sub_b:
            return got
        sub_i: list = []
        got = _coerce_int(value, loc + ["int"], sub_i)
        if not sub_i:
            return got
        errors.extend(sub_b + sub_i)
        return None
    if kind == "list":
        if isinstance(value, list):
            return value
        errors.append(_err("list_type", loc, "Input should be a valid list", value))
        return None
    return value


def query_params(req: Request, spec: list) -> dict:
    """FastAPI query parameters: absent -> default; present -> coerced or a 422."""
    errors: list = []
    values: dict = {}
    for name, kind, default in spec:
        if kind == "querylist":
            values[name] = req.q_list(name) or list(default)
        elif kind == "body":  # a `list` parameter of a GET endpoint is a body field: never read
            values[name] = default
        else:
            raw = req.q(name)
            values[name] = default if raw is None else coerce(kind, raw, ["query", name], errors)
    if errors:
        raise ValidationFailed(errors)
    return values


def _json_body(req: Request) -> object:
    if not req.body:
        return None
    ctype = req.headers.get("content-type")
    if ctype:
        maintype, _, subtype = ctype.split(";")[0].strip().lower().partition("/")
        if not (maintype == "application" and (subtype == "json" or subtype.endswith("+json"))):
            return req.body.decode("utf-8", "replace")
    try:
        return json.loads(req.body)
    except ValueError as exc:
        error = {"type": "json_invalid", "loc": ["body", getattr(exc, "pos", 0)], "msg": "JSON decode error",
                 "input": {}, "ctx": {"error": getattr(exc, "msg", str(exc))}}
        raise ValidationFailed([error]) from None


def body_model(req: Request, model: type) -> BaseModel:
    """A FastAPI pydantic body parameter."""
    body = _json_body(req)
    if body is None:
        raise ValidationFailed([_err("missing", ["body"], "Field required", None)])
    if not isinstance(body, dict):
        raise ValidationFailed(
            [_err("model_attributes_type", ["body"], "Input should be a valid dictionary or object to extract fields from", body)]
        )
    errors: list = []
    values: dict = {}
    for name, kind, default in model.fields():
        values[name] = coerce(kind, body[name], ["body", name], errors) if name in body else copy.deepcopy(default)
    if errors:
        raise ValidationFailed(errors)
    return model(**values)


# --- routes ---------------------------------------------------------------------------------


def _hint(annotation: object, module: dict) -> object:
    """The annotation as written (typing.get_type_hints would make `str = None` Optional[str] before 3.11)."""
    if annotation is inspect.Parameter.empty:
        return str
    return eval(annotation, module) if isinstance(annotation, str) else annotation  # noqa: S307 - our own source


def _kind(hint: object, default: object = None, in_body: bool = False) -> str:
    if isinstance(default, Query):
        return "querylist"
    if hint is list:
        return "list" if in_body else "body"  # FastAPI: a bare `list` parameter belongs to the body
    if hint == typing.Union[bool, int]:
        return "bool|int"
    return getattr(hint, "__name__", "str")


class Route:
    def __init__(self, path: str, method: str, func) -> None:
        self.path = path
        self.method = method
        self.func = func
        self.name = func.__name__
        self.params: list = []  # (name, kind, default) of the query parameters
        self.args: list = []  # (name, "query" | "request" | "model") in the order of the signature
        self.model = None
        for name, param in inspect.signature(func).parameters.items():
            hint = _hint(param.annotation, func.__globals__)
            if hint is Request:
                self.args.append((name, "request"))
            elif isinstance(hint, type) and issubclass(hint, BaseModel):
                self.model = hint
                self.args.append((name, "model"))
            else:
                default = param.default
                kind = _kind(hint, default)
                self.params.append((name, kind, default.default if isinstance(default, Query) else default))
                self.args.append((name, "query"))

    def call(self, req: Request) -> Response:
        query = query_params(req, self.params)
        model = body_model(req, self.model) if self.model else None
        kwargs = {name: req if how == "request" else model if how == "model" else query[name] for name, how in self.args}
        result = self.func(**kwargs)
        return result if isinstance(result, Response) else JSONResponse(result)


_OPENAPI_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}


def _title(name: str) -> str:
    return name.replace("_", " ").title()


def _param_schema(name: str, kind: str, default: object) -> dict:
    if kind == "querylist":
        return {"type": "array", "items": {}, "default": list(default), "title": _title(name)}
    if kind == "bool|int":
        return {"anyOf": [{"type": "boolean"}, {"type": "integer"}], "default": default, "title": _title(name)}
    schema = {"type": _OPENAPI_TYPES.get(kind, "string"), "title": _title(name)}
    if default is not None:
        schema["default"] = default
    return schema


def _operation(route: Route) -> dict:
    params = [{"name": name, "in": "query", "required": False, "schema": _param_schema(name, kind, default)}
              for name, kind, default in route.params if kind != "body"]
    op: dict = {
        "summary": _title(route.name),
        "operationId": re.sub(r"\W", "_", f"{route.name}{route.path}") + "_" + route.method.lower(),
        "responses": {"200": {"description": "Successful Response", "content": {"application/json": {"schema": {}}}}},
    }
    if params:
        op["parameters"] = params
        op["responses"]["422"] = {
            "description": "Validation Error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
        }
    if route.model is not None:
        op["requestBody"] = {
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{route.model.__name__}"}}},
            "required": True,
        }
    return op


_VALIDATION_SCHEMAS = {
    "HTTPValidationError": {
        "properties": {"detail": {"items": {"$ref": "#/components/schemas/ValidationError"}, "type": "array", "title": "Detail"}},
        "type": "object", "title": "HTTPValidationError",
    },
    "ValidationError": {
        "properties": {
            "loc": {"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "type": "array", "title": "Location"},
            "msg": {"type": "string", "title": "Message"},
            "type": {"type": "string", "title": "Error Type"},
        },
        "type": "object", "required": ["loc", "msg", "type"], "title": "ValidationError",
    },
}


def openapi_doc(routes: list) -> dict:
    """Shape of FastAPI's generated /openapi.json (paths, operationIds, query parameters, schemas)."""
    paths: dict = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
    doc: dict = {"openapi": "3.1.0", "info": {"title": "FastAPI", "version": "0.1.0"}, "paths": paths}
    schemas: dict = {}
    for model in {r.model for r in routes if r.model is not None}:
        props = {}
        for name, kind, default in model.fields():
            entry = {"type": _OPENAPI_TYPES.get(kind, "array" if kind == "list" else "string"), "title": _title(name)}
            if default is not None:
                entry["default"] = default
            props[name] = entry
        schemas[model.__name__] = {"properties": props, "type": "object", "title": model.__name__}
    if any(r.params for r in routes):
        schemas.update(copy.deepcopy(_VALIDATION_SCHEMAS))
    if schemas:
        doc["components"] = {"schemas": schemas}
    return doc


_DOCS_HTML = """<!DOCTYPE html>
<html>
<head>
<link type="text/css" rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
<title>FastAPI - Swagger UI</title>
</head>
<body>
<div id="swagger-ui">
</div>
<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>
const ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'})
</script>
</body>
</html>
"""


class FastAPI:
    """Routes plus the FastAPI/Starlette behaviour around them (404, 405, 307, 422, docs)."""

    def __init__(self) -> None:
        self.routes: list = []

    def get(self, path: str):
        return self._decorator(path, "GET")

    def post(self, path: str):
        return self._decorator(path, "POST")

    def _decorator(self, path: str, method: str):
        def add(func):
            self.routes.append(Route(path, method, func))
            return func

        return add

    def dispatch(self, req: Request) -> Response:
        if req.path == "/openapi.json" and req.method in ("GET", "HEAD"):
            return JSONResponse(openapi_doc(self.routes))
        if req.path == "/docs" and req.method in ("GET", "HEAD"):
            return Response(_DOCS_HTML.encode("utf-8"), 200, "text/html; charset=utf-8")
        candidates = [r for r in self.routes if r.path == req.path]
        if not candidates:
            alt = req.path[:-1] if req.path.endswith("/") and req.path != "/" else req.path + "/"
            if any(r.path == alt for r in self.routes) or alt in ("/openapi.json", "/docs"):
                query = urlsplit(req.target).query
                return Response(b"", 307, None, {"location": alt + ("?" + query if query else "")})
            return JSONResponse({"detail": "Not Found"}, 404)
        route = next((r for r in candidates if r.method == req.method), None)
        if route is None:
            allow = ", ".join(sorted({r.method for r in candidates}))
            return Response(b'{"detail":"Method Not Allowed"}', 405, "application/json", {"allow": allow})
        try:
            return route.call(req)
        except ValidationFailed as exc:
            return JSONResponse({"detail": exc.errors}, 422)
