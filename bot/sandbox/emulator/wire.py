"""The wire format: Bot API error answers, request bodies as PTB sends them, HTTP replies.

What both adapters (transport.py in process, http_server.py on loopback) hand over and get
back: `parse_body` reads JSON, urlencoded and multipart bodies byte-exact; an `HttpReply`
tells the adapter to answer, drop the connection or let the client time out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote

JSONDict = dict[str, Any]


class ApiError(Exception):
    """A Bot API error answer: becomes `{"ok": false, "error_code": ..., ...}` on the wire."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(message: str) -> ApiError:
    return ApiError(400, f"Bad Request: {message}")


def forbidden(message: str) -> ApiError:
    return ApiError(403, f"Forbidden: {message}")


def too_many_requests(retry_after: float) -> ApiError:
    """429. Telegram's retry_after is whole seconds; tests may arm a fraction (faults.flood)
    so that a client really waits for it without slowing the suite."""
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after:g}", {"retry_after": retry_after}
    )


NOT_FOUND = ApiError(404, "Not Found")
UNAUTHORIZED = ApiError(401, "Unauthorized")


@dataclass
class UploadedFile:
    """One file part of a multipart/form-data request."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class HttpReply:
    """What an adapter must do: answer, drop the connection, or let the client time out."""

    status: int
    body: bytes
    content_type: str = "application/json"
    action: Literal["respond", "drop", "timeout"] = "respond"
    delay: float | None = None

    @classmethod
    def json(cls, status: int, payload: Any) -> HttpReply:
        return cls(status, json.dumps(payload, ensure_ascii=False).encode())


# Values PTB sends verbatim (not JSON-encoded); everything else is JSON-decoded when possible.
_STRING_FIELDS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "file_id", "language_code",
        "action", "url", "secret_token", "title", "description", "short_description", "name",
        "emoji", "question", "query", "inline_message_id", "business_connection_id",
        "message_effect_id", "ip_address", "custom_title", "document", "photo", "sticker",
        "audio", "video", "voice", "animation", "video_note", "thumbnail", "certificate",
        "start_parameter", "invite_link", "callback_data",
    }
)  # fmt: skip


def coerce_params(raw: Mapping[str, Any]) -> JSONDict:
    """Turn form fields (JSON-encoded strings, as PTB sends them) into Python values."""
    params: JSONDict = {}
    for key, value in raw.items():
        if isinstance(value, str) and key not in _STRING_FIELDS:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        elif key in _STRING_FIELDS and value is not None and not isinstance(value, str):
            params[key] = value if isinstance(value, dict | list) else str(value)
        else:
            params[key] = value
    return params


def _header_params(header: str) -> dict[str, str]:
    """Parse `form-data; name="x"; filename="y"` as httpx writes it (HTML5 escaping)."""
    found: dict[str, str] = {}
    for match in re.finditer(r';\s*([\w*-]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))', header):
        value = match.group(2) if match.group(2) is not None else match.group(3).strip()
        value = value.replace("\\\\", "\\").replace('\\"', '"').replace("%22", '"')
        found[match.group(1).lower()] = re.sub(
            r"%([01][0-9A-F])", lambda m: chr(int(m.group(1), 16)), value
        )
    if "filename*" in found and found["filename*"].lower().startswith("utf-8''"):
        found["filename"] = unquote(found["filename*"][7:])
    return found


def parse_multipart(body: bytes, boundary: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Split a multipart/form-data body into text fields and file parts, byte-exact."""
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    delimiter = b"--" + boundary.encode()
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, sep, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            raise bad_request("can't parse multipart body")
        content = content.removesuffix(b"\r\n")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = _header_params(headers.get("content-disposition", ""))
        name = disposition.get("name", "")
        if "filename" in disposition:
            content_type = headers.get("content-type", "application/octet-stream")
            files[name] = UploadedFile(name, disposition["filename"], content_type, content)
        else:
            fields[name] = content.decode("utf-8", "replace")
    return fields, files


def parse_body(
    content_type: str, body: bytes, query: str = ""
) -> tuple[JSONDict, dict[str, UploadedFile]]:
    """Read parameters from the query string plus a JSON, urlencoded or multipart body."""
    raw: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    files: dict[str, UploadedFile] = {}
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime == "application/json" and body.strip():
        try:
            decoded = json.loads(body)
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(decoded, dict):
            raise bad_request("can't parse JSON object")
        raw.update(decoded)
    elif mime == "application/x-www-form-urlencoded":
        raw.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    elif mime == "multipart/form-data":
        boundary = _header_params(content_type).get("boundary")
        if not boundary:
            raise bad_request("can't parse multipart body")
        fields, files = parse_multipart(body, boundary)
        raw.update(fields)
    return coerce_params(raw), files
