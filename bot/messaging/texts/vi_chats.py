"""Tiếng Việt: gắn kết nhóm và người với đơn vị (mời, đăng ký, nhóm Văn phòng, /ganket) và gắn kết
trong đời thực (nhóm Văn phòng không gắn với đơn vị được, chuyển nhóm sang đơn vị khác cần Văn phòng
đồng ý, nhóm được nâng cấp thành siêu nhóm). Một phần của vi.py, tách riêng để mỗi tệp không quá 500 dòng."""

TEXTS: dict[str, str] = {
    "bind.usage_invite": (
        "Cách dùng: <code>/moi &lt;tên đơn vị&gt;</code>, ví dụ <code>/moi Sở Tài chính</code>; "
        "<code>/moi tatca</code> cấp mã cho mọi đơn vị chưa gắn nhóm, "
        "<code>/moi 22-TB/BCĐ</code> cho các đơn vị của một văn bản (kèm bộ tài liệu in)."
    ),
    "bind.agency_not_found": "Không tìm thấy đơn vị «{query}». Kiểm tra lại tên (đơn vị có sẵn sau khi nhập Thông báo).",
    "bind.agency_ambiguous": "«{query}» khớp nhiều đơn vị; chọn một đơn vị hoặc ghi rõ tên:\n{candidates}",
    "bind.invite_created": (
        "Mã mời cho <b>{agency}</b>: <code>{code}</code>\n"
        "Hiệu lực đến {expires}, dùng một lần.\n\n"
        "• Gắn nhóm của đơn vị: mở {group_link} rồi chọn nhóm\n"
        "• Chỉ đăng ký cán bộ đầu mối (tin nhắn riêng): {link}\n"
        "• Hoặc gửi trong nhóm của đơn vị: <code>/dangky {code}</code>"
    ),
    "bind.usage_register": "Cách dùng: <code>/dangky &lt;mã mời&gt;</code>, ví dụ <code>/dangky K7M2Q9XW3P</code> (mã do Văn phòng Điều phối cấp bằng /moi).",
    "bind.registered_person": "✅ Đã đăng ký bạn là cán bộ đầu mối của <b>{agency}</b>. Gõ /nhiemvu để xem nhiệm vụ.",
    "bind.registered_group": "✅ Nhóm này đã được gắn với <b>{agency}</b>. Nhắc việc của đơn vị sẽ gửi vào đây. Gõ /nhiemvu để xem nhiệm vụ.",
    "bind.code_not_found": "Mã mời không đúng. Vui lòng kiểm tra lại hoặc đề nghị Văn phòng Điều phối cấp mã mới.",
    "bind.code_used": "Mã mời này đã được sử dụng. Đề nghị Văn phòng Điều phối cấp mã mới.",
    "bind.code_expired": "Mã mời đã hết hạn. Đề nghị Văn phòng Điều phối cấp mã mới.",
    "bind.rate_limited": "Bạn đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau 15 phút.",
    "bind.office_group_only": "Lệnh /vanphong dùng trong nhóm của Văn phòng Điều phối, không dùng trong tin nhắn riêng.",
    "bind.office_bound": "✅ Nhóm này là nhóm Văn phòng Điều phối: báo cáo tổng hợp, đề nghị xác nhận và cảnh báo quá hạn sẽ gửi vào đây.",
    "bind.list_title": "<b>Các nhóm đã gắn</b>",
    "bind.list_empty": "Chưa có nhóm nào được gắn.",
    "bind.list_line": "{n}. {target} — {chat}",
    "bind.office_label": "Văn phòng Điều phối",
    "bind.remove_button": "🗑 Gỡ {n}",
    "bind.removed": "Đã gỡ nhóm {chat} khỏi {target}.",
    "bind.remove_gone": "Nhóm này đã được gỡ trước đó.",
    "bind.agency_number": "«{query}» là mã nhiệm vụ, không phải tên đơn vị. Ghi tên đơn vị, ví dụ «Sở Tài chính».",
    "bind.agency_more": "… và {n} đơn vị khác",
    "bind.agency_example": "Ví dụ: <code>{example}</code>",
    "bind.deactivated_notice": "⚠️ Không gửi được tin cho {agencies} (bot bị chặn hoặc bị xóa khỏi nhóm). Đã ngừng gửi vào nhóm đó; hãy cấp mã mời mới.",
    "bind.already_registered_group": "Nhóm này đã được gắn với <b>{agency}</b> bằng mã này lúc {time}; không cần đăng ký lại.",
    "bind.already_registered_person": "Bạn đã được đăng ký làm đầu mối của <b>{agency}</b> bằng mã này lúc {time}; không cần đăng ký lại.",
    "bind.office_chat_refused": (
        "⛔ Nhóm này là nhóm <b>Văn phòng Điều phối</b>, không gắn với đơn vị được; "
        "mã mời của <b>{agency}</b> chưa bị dùng. Hãy gửi <code>/dangky &lt;mã&gt;</code> "
        "trong nhóm của {agency}.\n"
        "Muốn chuyển nhóm Văn phòng sang nhóm khác: gửi /vanphong trong nhóm mới, rồi gỡ "
        "nhóm này ở /ganket."
    ),
    "bind.office_on_agency_group": (
        "⛔ Nhóm này đang gắn với <b>{agency}</b>, không đặt làm nhóm Văn phòng Điều phối "
        "được. Nếu đúng đây là nhóm Văn phòng: gỡ gắn kết ở /ganket trước, rồi gửi lại "
        "/vanphong."
    ),
    "bind.rebind_waiting": (
        "⏳ Nhóm này đang gắn với <b>{previous}</b>. Đã gửi đề nghị chuyển sang "
        "<b>{agency}</b> tới Văn phòng Điều phối; đến khi Văn phòng đồng ý, nhóm vẫn nhận "
        "nhắc việc của {previous}."
    ),
    "bind.rebind_request": (
        "🔁 <b>Đề nghị chuyển nhóm</b> «{chat}» từ <b>{previous}</b> sang <b>{agency}</b> "
        "({person} đã gửi mã mời của {agency} trong nhóm).\n"
        "Đồng ý thì nhắc việc của {previous} thôi gửi vào nhóm này."
    ),
    "bind.btn_rebind_ok": "✅ Đồng ý chuyển",
    "bind.btn_rebind_no": "❌ Giữ nguyên",
    "bind.rebind_approved": "✅ Đã chuyển nhóm «{chat}» sang <b>{agency}</b> (trước đây: {previous}).",
    "bind.rebind_refused": "Đã giữ nhóm «{chat}» với <b>{previous}</b>.",
    "bind.rebind_approved_group": (
        "✅ Văn phòng Điều phối đã đồng ý: nhóm này nay gắn với <b>{agency}</b>. "
        "Gõ /nhiemvu để xem nhiệm vụ."
    ),
    "bind.rebind_refused_group": (
        "Văn phòng Điều phối không đồng ý chuyển nhóm này sang <b>{agency}</b>; nhóm vẫn gắn "
        "với <b>{previous}</b>."
    ),
    "bind.rebind_decided": "Đề nghị chuyển nhóm này đã được xử lý trước đó.",
    "bind.migrated_notice": (
        "ℹ️ Nhóm «{chat}» ({agencies}) đã được Telegram nâng cấp thành siêu nhóm, mang mã "
        "nhóm mới. Gắn kết, nhắc việc và các câu hỏi đang chờ đã được chuyển sang nhóm mới; "
        "không cần đăng ký lại."
    ),
    "remind.now_day_off_ask": (
        "📅 Hôm nay ({today}) là ngày nghỉ. Gửi ngay nhắc việc của ngày làm việc tới, "
        "<b>{day}</b>? Sáng {day} bot sẽ không gửi lại những tin này."
    ),
    "remind.btn_send_now": "✅ Gửi ngay",
    "remind.btn_not_now": "❌ Thôi",
    "remind.now_not_sent": "Đã thôi: không gửi nhắc việc.",
    "remind.now_early": "Đã gửi trước giờ nhắc ({time}); đến giờ bot không gửi lại những tin này.",
    "common.weekdays": "Thứ Hai,Thứ Ba,Thứ Tư,Thứ Năm,Thứ Sáu,Thứ Bảy,Chủ nhật",
}
