"""Files: media the bot sends (document, photo, sticker), getFile and the download endpoint.

Uploads and files users send are kept with their bytes, so the bot can download what a
user sent and a test can read what the bot sent (`SentRecord.data`).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import struct
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator.faults import FaultKind
from bot.sandbox.emulator.state import (
    MAX_CAPTION_LENGTH,
    MAX_DOWNLOAD_SIZE,
    MAX_UPLOAD_SIZE,
    FileRecord,
)
from bot.sandbox.emulator.wire import (
    NOT_FOUND,
    ApiError,
    HttpReply,
    JSONDict,
    UploadedFile,
    bad_request,
)

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import BotApiEmulator


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG/GIF/JPEG/WebP image, or None when it is not an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return (512, 512)
    if data.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                index += 1
                continue
            marker = data[index + 1]
            length = struct.unpack(">H", data[index + 2 : index + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return (width, height)
            index += 2 + length
        return (800, 600)
    return None


class FileMethods:
    """Mixin for BotApiEmulator: media uploads, getFile and the download endpoint."""

    def api_sendDocument(
        self: BotApiEmulator, params: JSONDict, files: Mapping[str, UploadedFile]
    ) -> JSONDict:
        return self._send_media("sendDocument", "document", params, files)

    def api_sendPhoto(
        self: BotApiEmulator, params: JSONDict, files: Mapping[str, UploadedFile]
    ) -> JSONDict:
        return self._send_media("sendPhoto", "photo", params, files)

    def api_sendSticker(
        self: BotApiEmulator, params: JSONDict, files: Mapping[str, UploadedFile]
    ) -> JSONDict:
        return self._send_media("sendSticker", "sticker", params, files)

    def api_getFile(self: BotApiEmulator, params: JSONDict, files: Any) -> JSONDict:
        record = self.files.get(str(params.get("file_id") or ""))
        if record is None:
            raise bad_request("invalid file_id")
        if record.size > MAX_DOWNLOAD_SIZE:
            raise bad_request("file is too big")
        return {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "file_size": record.size,
            "file_path": record.file_path,
        }

    def _send_media(
        self: BotApiEmulator,
        method: str,
        kind: str,
        params: JSONDict,
        files: Mapping[str, UploadedFile],
    ) -> JSONDict:
        state = self._writable_chat(params.get("chat_id"))
        raw_caption = params.get("caption")
        parsed = self._format(
            str(raw_caption or ""), params.get("parse_mode"), params.get("caption_entities")
        )
        if len(parsed.text) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        record = self._media_file(kind, params.get(kind), files)
        fields: JSONDict = {kind: self.media_object(kind, record)}
        if parsed.text and kind != "sticker":
            fields["caption"] = parsed.text
            if parsed.entities:
                fields["caption_entities"] = parsed.entities
        message = self._post_bot_message(state, params, fields)
        self._record(method, state, message, params, raw_caption, record)
        return message

    def _media_file(
        self: BotApiEmulator, kind: str, value: Any, files: Mapping[str, UploadedFile]
    ) -> FileRecord:
        """The file behind a media parameter: an upload, an attach://, a file_id or a URL."""
        upload = files.get(kind)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        if upload is not None:
            if len(upload.data) > MAX_UPLOAD_SIZE:
                raise ApiError(413, "Request Entity Too Large")
            if kind == "photo" and image_size(upload.data) is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            if not upload.data:
                raise bad_request("file must be non-empty")
            return self.store_file(kind, upload.data, upload.filename, upload.content_type)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        if isinstance(value, str) and re.match(r"https?://", value):
            name = value.rstrip("/").rsplit("/", 1)[-1] or "file"
            return self.store_file(kind, None, name, None, url=value)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def store_file(
        self: BotApiEmulator,
        kind: str,
        data: bytes | None,
        filename: str | None,
        mime_type: str | None,
        *,
        url: str | None = None,
    ) -> FileRecord:
        """Keep a file so getFile and the download endpoint can serve it."""
        number = next(self._file_counter)
        digest = hashlib.sha1(f"{kind}:{number}:{self.token}".encode()).hexdigest()
        prefix = {
            "document": "BQACAgIAAxkBAA",
            "photo": "AgACAgIAAxkBAA",
            "sticker": "CAACAgIAAxkBAA",
            "voice": "AwACAgIAAxkBAA",
        }
        file_id = prefix.get(kind, "BAACAgIAAxkBAA") + digest[:24]
        ext = ""
        if filename and "." in filename:
            ext = "." + filename.rsplit(".", 1)[1]
        elif kind == "photo":
            ext = ".jpg"
        folder = {
            "document": "documents",
            "photo": "photos",
            "sticker": "stickers",
            "voice": "voice",
        }.get(kind, kind)
        if kind == "voice" and not ext:
            ext = ".oga"
        record = FileRecord(
            file_id=file_id,
            file_unique_id="AgAD" + digest[24:36],
            file_path=f"{folder}/file_{number}{ext}",
            filename=filename,
            mime_type=mime_type,
            data=data,
            url=url,
        )
        self.files[file_id] = record
        return record

    def media_object(self: BotApiEmulator, kind: str, record: FileRecord) -> Any:
        """The Document / PhotoSize list / Sticker that a message carries."""
        base: JSONDict = {"file_id": record.file_id, "file_unique_id": record.file_unique_id}
        if record.data is not None:
            base["file_size"] = record.size
        if kind == "photo":
            width, height = image_size(record.data or b"") or (800, 600)
            small = {**base, "width": min(width, 90), "height": min(height, 90)}
            small["file_unique_id"] = record.file_unique_id + "s"
            return [small, {**base, "width": width, "height": height}]
        if kind == "sticker":
            return {
                **base,
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
                "emoji": "👍",
            }
        if kind == "voice":
            return {**base, "duration": 1, "mime_type": record.mime_type or "audio/ogg"}
        document = dict(base)
        if record.filename:
            document["file_name"] = record.filename
        if record.mime_type:
            document["mime_type"] = record.mime_type
        return document

    async def _handle_download(self: BotApiEmulator, token: str, file_path: str) -> HttpReply:
        error = self._token_error(token)
        if error is not None:
            return HttpReply.json(error.code, error.payload())
        fault = self.faults.take("file")
        if fault is not None and fault.kind != FaultKind.SLOW:
            return self._fault_reply(fault)
        if fault is not None:
            await asyncio.sleep(fault.delay or 0)
        with self._lock:
            # A download is the bot at work, like an API call: wait_idle must not see quiet here.
            self._last_activity = time.monotonic()
            record = next((f for f in self.files.values() if f.file_path == file_path), None)
        if record is None or record.data is None:
            return HttpReply.json(404, NOT_FOUND.payload())
        return HttpReply(200, record.data, record.mime_type or "application/octet-stream")
