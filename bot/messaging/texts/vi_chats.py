"""Tiếng Việt: gắn kết nhóm trong đời thực (nhóm Văn phòng không gắn với đơn vị, chuyển nhóm
sang đơn vị khác cần Văn phòng đồng ý, nhóm được nâng cấp thành siêu nhóm), nhắc việc ngay và
giới hạn dữ liệu nhập. Một phần của vi.py, tách riêng để mỗi tệp không quá 500 dòng."""

TEXTS: dict[str, str] = {
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
}
