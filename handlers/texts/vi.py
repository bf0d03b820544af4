"""Tiếng Việt: mọi câu chữ bot hiển thị. Dùng đúng thuật ngữ của cơ quan hành chính."""

TEXTS: dict[str, str] = {
    # --- common ---
    "start.welcome": (
        "Xin chào {name}! Tôi là <b>dondoc</b>, trợ lý theo dõi, đôn đốc thực hiện "
        "Thông báo kết luận của Ban Chỉ đạo.\n\n"
        "• Đơn vị: xem nhiệm vụ bằng /nhiemvu, báo cáo tiến độ bằng cách trả lời tin nhắc việc.\n"
        "• Văn phòng Điều phối: nhập văn bản bằng /nhapvanban, tổng hợp bằng /tonghop.\n\n"
        "Gõ /trogiup để xem hướng dẫn."
    ),
    "start.stranger": (
        "Xin chào {name}! Bạn chưa được gắn với đơn vị nào.\n"
        "Hãy đề nghị Văn phòng Điều phối gửi mã mời (lệnh /moi), rồi mở đường dẫn mời "
        "hoặc gửi <code>/dangky &lt;mã&gt;</code>."
    ),
    "help.body": (
        "<b>Hướng dẫn sử dụng dondoc</b>\n\n"
        "<b>Đơn vị (cán bộ đầu mối)</b>\n"
        "/nhiemvu — danh sách nhiệm vụ của đơn vị\n"
        "/capnhat &lt;mã&gt; &lt;nội dung&gt; — báo cáo tiến độ\n"
        "/dangky &lt;mã mời&gt; — gắn nhóm với đơn vị\n"
        "/tamdung, /tieptuc — tạm dừng/tiếp tục nhắc việc\n"
        "Trả lời (reply) tin nhắc việc: «đã hoàn thành», «70%», «vướng mắc ...»\n\n"
        "<b>Văn phòng Điều phối</b>\n"
        "/nhapvanban — nhập Thông báo kết luận\n"
        "/moi &lt;đơn vị&gt; — tạo mã mời cho đơn vị\n"
        "/vanphong — đặt nhóm này làm nhóm Văn phòng\n"
        "/giaoviec — giao nhiệm vụ mới\n"
        "/tonghop — báo cáo tổng hợp; /xuatbaocao — xuất Excel, Word\n"
        "/nhacngay — chạy nhắc việc ngay"
    ),
    "error.apology": "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Văn phòng Điều phối đã được ghi nhận lỗi; vui lòng thử lại sau.",
    "error.admin_notice": "⚠️ Lỗi khi xử lý một cập nhật: <code>{error}</code>",
    "common.unknown_command": "Không có lệnh {command}. Gõ /trogiup để xem các lệnh.",
    "common.too_long": "Tin nhắn quá dài (tối đa 4096 ký tự). Vui lòng rút gọn.",
    "common.edited_ignored": "Bot không xử lý tin nhắn đã sửa. Vui lòng gửi lại nội dung mới.",
    "common.not_understood": "Tôi chưa hiểu tin nhắn này. Hãy trả lời (reply) tin nhắc việc hoặc gõ /trogiup.",
    "common.unsupported_message": "Bot chỉ nhận tin nhắn chữ, ảnh hoặc tệp văn bản.",
    "common.not_allowed": "Bạn không có quyền thực hiện thao tác này.",
    "common.admin_only": "Chỉ Văn phòng Điều phối được thực hiện thao tác này.",
    "common.stranger": "Bạn chưa được gắn với đơn vị nào. Đề nghị Văn phòng Điều phối gửi mã mời (/moi) để đăng ký.",
    "common.unknown_group": (
        "Xin chào! Nhóm này chưa được gắn với đơn vị nào.\n"
        "Cán bộ đầu mối gửi <code>/dangky &lt;mã mời&gt;</code> trong nhóm để nhận nhắc việc; "
        "Văn phòng Điều phối gửi /vanphong để đặt làm nhóm Văn phòng."
    ),
    "common.stale_button": "Nút này đã hết hiệu lực. Vui lòng mở lại danh sách nhiệm vụ.",
    "common.cancelled": "Đã hủy.",
    # --- import ---
    # --- bindings ---
    # --- tasks ---
    # --- progress ---
    # --- reminders ---
    # --- summary ---
}
