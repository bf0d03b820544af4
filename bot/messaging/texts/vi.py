"""Tiếng Việt: mọi câu chữ bot hiển thị. Dùng đúng thuật ngữ của cơ quan hành chính."""

from bot.messaging.texts.vi_chats import TEXTS as CHATS
from bot.messaging.texts.vi_import import TEXTS as IMPORT
from bot.messaging.texts.vi_onboard import TEXTS as ONBOARD
from bot.messaging.texts.vi_replies import TEXTS as REPLIES
from bot.messaging.texts.vi_summary import TEXTS as SUMMARY
from bot.messaging.texts.vi_web import TEXTS as WEB

TEXTS: dict[str, str] = {
    # --- common ---
    "start.office": (
        "Xin chào {name}! Tôi là <b>dondoc</b>, trợ lý của Văn phòng Điều phối theo dõi, "
        "đôn đốc thực hiện Thông báo kết luận của Ban Chỉ đạo.\n\n"
        "• Nhập văn bản: gửi tệp .docx, .pdf cho tôi, hoặc /nhapvanban\n"
        "• Theo dõi: <code>/nhiemvu quahan</code>, /tonghop\n"
        "• Mời đơn vị: <code>/moi Sở Tài chính</code>\n\n"
        "Gõ /trogiup để xem hướng dẫn."
    ),
    "start.agency": (
        "Xin chào {name}! Tôi là <b>dondoc</b>, trợ lý đôn đốc nhiệm vụ của <b>{agency}</b>.\n\n"
        "• Xem nhiệm vụ: /nhiemvu\n"
        "• Báo cáo: trả lời (reply) tin nhắc việc, ví dụ «đạt 70%», hoặc bấm nút trên thẻ "
        "nhiệm vụ\n\n"
        "Gõ /trogiup để xem hướng dẫn."
    ),
    "start.stranger": (
        "Xin chào {name}! Bạn chưa được gắn với đơn vị nào.\n"
        "Hãy đề nghị Văn phòng Điều phối gửi mã mời (lệnh /moi), rồi mở đường dẫn mời "
        "hoặc gửi <code>/dangky &lt;mã&gt;</code>."
    ),
    "help.title": "<b>Hướng dẫn sử dụng dondoc</b>",
    "help.title_office": "<b>Hướng dẫn — Văn phòng Điều phối</b>",
    "help.reply_hint": "↩️ Báo cáo nhanh nhất: trả lời (reply) tin nhắc việc bằng lời, ví dụ «2 đạt 70%», «1 đã hoàn thành», «vướng mắc …», «xin gia hạn đến 30/4»; hoặc gõ trong nhóm «#15 đã hoàn thành» (#15 là số in trên tin nhắn của đơn vị).",
    "help.btn_more": "Xem thêm ▶️",
    "help.cmd.nhiemvu": "📋 /nhiemvu — nhiệm vụ đang mở; <code>/nhiemvu quahan</code>, <code>/nhiemvu Sở Tài chính</code>, <code>/nhiemvu #15</code> (thẻ số #15 in trên tin nhắn)",
    "help.cmd.nhiemvu.agency": "📋 /nhiemvu — nhiệm vụ của đơn vị; <code>/nhiemvu #15</code> mở thẻ số #15 in trên tin nhắn",
    "help.cmd.capnhat": "✍️ <code>/capnhat #15 đạt 70%</code> — báo cáo tiến độ (<code>/capnhat #15 đã hoàn thành</code>)",
    "help.cmd.tonghop": "📊 /tonghop — tổng hợp; <code>/tonghop thang</code>, <code>/tonghop Sở Tài chính</code>",
    "help.cmd.tonghop.agency": "📊 /tonghop — tình hình thực hiện của đơn vị; <code>/tonghop thang</code>",
    "help.cmd.tamdung": "⏸ <code>/tamdung 7</code> — tạm dừng nhắc việc 7 ngày (<code>/tamdung 15/01/2020</code>)",
    "help.cmd.tieptuc": "▶️ /tieptuc — nhận nhắc việc trở lại",
    "help.cmd.nhapvanban": "📥 /nhapvanban — nhập Thông báo kết luận (hoặc gửi tệp .docx, .pdf)",
    "help.cmd.xuatbaocao": "📑 /xuatbaocao — phụ lục Excel và dự thảo báo cáo Word",
    "help.cmd.giaoviec": "➕ <code>/giaoviec Sở Tài chính | Báo cáo tình hình giải ngân | 15/01/2020</code>",
    "help.cmd.doihan": "📅 <code>/doihan #16 30/04/2020</code> — điều chỉnh thời hạn",
    "help.cmd.giaolai": "🔁 <code>/giaolai #16 Sở Kế hoạch và Đầu tư</code> — giao lại",
    "help.cmd.huynv": "🚫 <code>/huynv #16</code> — hủy nhiệm vụ (hỏi lại trước khi hủy)",
    "help.cmd.mat": "🔒 <code>/mat #16</code> — nhiệm vụ mật: trong nhóm chỉ hiện mã và thời hạn",
    "help.cmd.donvi": "🏢 <code>/donvi</code> — danh bạ đơn vị; <code>/donvi nhom</code> — nhóm",
    "help.cmd.moi": "✉️ <code>/moi Sở Tài chính</code> — mã mời cho cán bộ đầu mối; <code>/moi tatca</code> — mã và tài liệu in cho mọi đơn vị chưa gắn nhóm",
    "help.cmd.nhacngay": "🔔 /nhacngay — gửi nhắc việc hôm nay ngay",
    "help.cmd.chuatiepnhan": "👍 /chuatiepnhan — đơn vị chưa xác nhận tiếp nhận nhiệm vụ",
    "help.cmd.ganket": "🔗 /ganket — các nhóm đã gắn (gỡ nhóm)",
    "help.cmd.vanphong": "🏛 /vanphong — đặt nhóm này làm nhóm Văn phòng",
    "help.cmd.themadmin": "👤 <code>/themadmin 123456789</code> — thêm cán bộ Văn phòng (id Telegram)",
    "help.cmd.boadmin": "👤 <code>/boadmin 123456789</code> — bỏ quyền quản trị",
    "help.cmd.xoadaumoi": "🚪 <code>/xoadaumoi 123456789 Sở Tài chính</code> — bỏ cán bộ đầu mối",
    "help.cmd.dangky": "🔑 <code>/dangky K7M2Q9XW3P</code> — đăng ký bằng mã mời Văn phòng Điều phối cấp",
    "help.cmd.trogiup": "❔ /trogiup — hướng dẫn này",
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
    "common.voice_unsupported": "🎤 Bot chưa nghe được tin thoại, chưa ghi nhận gì. Vui lòng gõ nội dung, ví dụ «đạt 70%» hoặc «đã hoàn thành».",
    "common.cancelled": "Đã hủy.",
    # --- menu ---
    "menu.nhiemvu": "Nhiệm vụ của đơn vị",
    "menu.capnhat": "Báo cáo tiến độ, ví dụ /capnhat #15 đạt 70%",
    "menu.tamdung": "Tạm dừng nhắc việc",
    "menu.tieptuc": "Tiếp tục nhắc việc",
    "menu.dangky": "Gắn nhóm với đơn vị bằng mã mời",
    "menu.trogiup": "Hướng dẫn sử dụng",
    "menu.nhapvanban": "Nhập Thông báo kết luận",
    "menu.donvi": "Danh bạ đơn vị và nhóm",
    "menu.moi": "Tạo mã mời cho đơn vị",
    "menu.giaoviec": "Giao nhiệm vụ mới",
    "menu.tonghop": "Tổng hợp tình hình thực hiện",
    "menu.xuatbaocao": "Xuất Excel, Word",
    "menu.nhacngay": "Chạy nhắc việc ngay",
    "menu.vanphong": "Đặt nhóm này làm nhóm Văn phòng",
    "menu.ganket": "Danh sách nhóm đã gắn",
    "menu.doihan": "Điều chỉnh thời hạn, ví dụ /doihan #16 30/04/2020",
    "menu.giaolai": "Giao lại nhiệm vụ cho đơn vị khác",
    "menu.huynv": "Hủy nhiệm vụ",
    "menu.mat": "Đánh dấu nhiệm vụ mật",
    "menu.chuatiepnhan": "Đơn vị chưa tiếp nhận nhiệm vụ",
    "menu.themadmin": "Thêm cán bộ Văn phòng",
    "menu.boadmin": "Bỏ quyền quản trị",
    "menu.xoadaumoi": "Bỏ cán bộ đầu mối của đơn vị",
    # --- import ---
    # --- bindings ---
    # --- tasks ---
    "tasks.title_agency": "<b>Nhiệm vụ của {agency}</b>",
    "tasks.title_agency_overdue": "<b>Nhiệm vụ quá hạn của {agency}</b>",
    "tasks.title_all": "<b>Nhiệm vụ của các đơn vị</b>",
    "tasks.title_filtered": "<b>Nhiệm vụ — {filter}</b>",
    "tasks.title_overdue_filtered": "<b>Nhiệm vụ quá hạn — {filter}</b>",
    "tasks.title_overdue": "<b>Nhiệm vụ quá hạn</b>",
    "tasks.empty_overdue": "Không có nhiệm vụ nào quá hạn. 👍",
    "tasks.empty": "Không có nhiệm vụ nào đang mở. 👍",
    "tasks.unknown_filter": "Không tìm thấy đơn vị hoặc văn bản «{query}». Ví dụ: <code>/nhiemvu quahan</code>, <code>/nhiemvu Sở Tài chính</code>, <code>/nhiemvu 22-TB/BCĐ</code>, <code>/nhiemvu #15</code> (số #15 in trên tin nhắn).",
    "tasks.page": "Trang {page}/{pages} · {count} nhiệm vụ",
    "tasks.page_assignments": "Trang {page}/{pages} · {count} lượt giao",
    "tasks.line": "{icon} <b>{code}</b> {text}\n⏰ {deadline} · {status}",
    "tasks.line_agency": "{icon} <b>{code}</b> [{agency}] {text}\n⏰ {deadline} · {status}",
    "tasks.hint": "Bấm mã để mở thẻ nhiệm vụ và báo cáo.",
    "tasks.no_deadline": "không thời hạn",
    "tasks.days_overdue": "quá hạn {days} ngày",
    "tasks.days_left": "còn {days} ngày",
    "tasks.due_today": "hạn hôm nay",
    "tasks.restricted_text": "(nhiệm vụ mật — xem tại văn bản gốc)",
    "tasks.not_found": "Không tìm thấy nhiệm vụ {code}, hoặc nhiệm vụ không thuộc đơn vị của bạn.",
    "tasks.card": (
        "<b>Nhiệm vụ {code}</b> · {notice}\n"
        "{text}\n\n"
        "🏢 Chủ trì: {leads}\n"
        "{coordinating}"
        "⏰ Thời hạn: {deadline}{extension}\n"
        "📊 Tình trạng: {status}"
    ),
    "tasks.card_coordinating": "🤝 Phối hợp: {names}\n",
    "tasks.card_extension": " (gia hạn từ {original})",
    "tasks.card_proposed": " (đơn vị đề xuất, Văn phòng đồng ý)",
    "tasks.card_history": "\n\n<b>Lịch sử cập nhật</b>",
    "tasks.card_history_line": "• {at} {author}: {what}",
    "tasks.card_history_more": "… và {n} cập nhật trước đó",
    "tasks.card_no_history": "\n\nChưa có cập nhật nào.",
    "tasks.card_reply_hint": "\n\n↩️ Bấm nút, hoặc trả lời tin này: «đạt 70%», «vướng mắc …».",
    "tasks.btn_prev": "◀️ Trước",
    "tasks.btn_next": "Sau ▶️",
    "tasks.btn_more": "📄 Xem thêm",
    "tasks.full_title": "<b>Nhiệm vụ {code}</b> · {notice}",
    "tasks.full_caption": "Toàn văn và lịch sử cập nhật nhiệm vụ {code}",
    "tasks.page_only": "Trang {page}/{pages} · {count} nhóm",
    "status.not_started": "Chưa thực hiện",
    "status.in_progress": "Đang thực hiện {percent}%",
    "status.blocked": "Vướng mắc ({percent}%)",
    "status.returned": "Thực hiện lại (Văn phòng trả lại)",
    "status.awaiting_confirmation": "Chờ xác nhận",
    "status.done": "Đã hoàn thành",
    "status.cancelled": "Đã hủy",
    "history.done": "báo hoàn thành",
    "history.in_progress": "tiến độ {percent}%",
    "history.blocked": "vướng mắc: {text}",
    "history.note": "ghi chú: {text}",
    "history.undo": "hoàn tác cập nhật trước",
    "history.confirmed": "Văn phòng xác nhận hoàn thành",
    "history.returned": "Văn phòng trả lại: {text}",
    "history.extension_request": "xin gia hạn đến {text}",
    "history.extension_approved": "Văn phòng đồng ý gia hạn đến {text}",
    "history.extension_refused": "Văn phòng không đồng ý gia hạn đến {text}",
    "history.import_cancelled": "Văn phòng nhập lại thông báo {text}: không còn giao",
    "history.import_restored": "Văn phòng nhập lại thông báo {text}: giao lại",
    "history.undone_mark": " <i>(đã hoàn tác)</i>",
    "history.evidence": " 📎",
    # --- progress ---
    "progress.btn_done": "✅ Hoàn thành",
    "progress.btn_in_progress": "🔄 Đang thực hiện",
    "progress.btn_blocked": "⚠️ Vướng mắc",
    "progress.btn_extension": "📅 Xin gia hạn",
    "progress.btn_undo": "↩️ Hoàn tác",
    "progress.btn_percent": "{percent}%",
    "progress.btn_confirm": "✅ Xác nhận",
    "progress.btn_return": "↩️ Trả lại",
    "progress.btn_approve": "✅ Đồng ý gia hạn",
    "progress.btn_approve_proposal": "✅ Đồng ý thời hạn đề xuất",
    "progress.btn_refuse": "❌ Không đồng ý",
    "progress.btn_cancel": "Hủy",
    "progress.choose_percent": "Nhiệm vụ {code}: chọn mức tiến độ đã đạt.",
    "progress.ask_blocker": "Nhiệm vụ {code}: nhập một dòng nêu vướng mắc, khó khăn (hoặc gửi «hủy»).",
    "progress.ask_extension": "Nhiệm vụ {code}: nhập ngày đề nghị gia hạn và lý do, ví dụ: <code>31/03/2020 chờ ý kiến của Bộ</code> (hoặc gửi «hủy»).",
    "progress.ask_return_reason": "Nhiệm vụ {code}: nhập lý do từ chối xác nhận (hoặc gửi «hủy»).",
    "progress.saved_done_awaiting": "✅ Đã ghi nhận {code} hoàn thành — chờ Văn phòng Điều phối xác nhận.",
    "progress.saved_done": "✅ Đã ghi nhận {code} hoàn thành.",
    "progress.saved_percent": "🔄 Đã ghi nhận {code}: đạt {percent}%.",
    "progress.saved_blocked": "⚠️ Đã ghi nhận vướng mắc của {code}; Văn phòng Điều phối sẽ tổng hợp.",
    "progress.extension_hint": "📅 Muốn xin gia hạn: mở thẻ nhiệm vụ (/nhiemvu) và bấm 📅 Xin gia hạn để Văn phòng Điều phối xem xét.",
    "progress.saved_note": "📝 Đã ghi nhận nội dung báo cáo cho {code}.",
    "progress.saved_evidence": " Kèm {n} tệp minh chứng.",
    "progress.undone": "↩️ Đã hoàn tác cập nhật của {code}. Tình trạng: {status}.",
    "progress.undo_too_late": "Đã quá thời gian hoàn tác. Vui lòng gửi cập nhật mới.",
    "progress.undo_already": "Cập nhật này đã được hoàn tác.",
    "progress.undo_decided": (
        "Văn phòng Điều phối đã quyết định sau cập nhật này (xác nhận, trả lại hoặc gia hạn)"
        " nên không thể hoàn tác. Cần điều chỉnh: gửi cập nhật mới hoặc đề nghị Văn phòng sửa."
    ),
    "progress.closed": "Nhiệm vụ {code} đã hoàn thành hoặc đã hủy; không cần báo cáo thêm.",
    "progress.not_allowed": "Bạn không phụ trách nhiệm vụ này nên không thể cập nhật.",
    "progress.task_not_found": "Không tìm thấy nhiệm vụ này (có thể đã bị hủy).",
    "progress.percent_out_of_range": "Tỷ lệ phần trăm phải từ 0 đến 100. Không có gì thay đổi.",
    "progress.invalid_percent": "Tỷ lệ phần trăm không hợp lệ. Không có gì thay đổi.",
    "progress.empty": "Nội dung báo cáo trống. Không có gì thay đổi.",
    "progress.too_long": "Nội dung quá dài (tối đa 4000 ký tự). Không có gì thay đổi.",
    "progress.invalid_date": "Ngày không hợp lệ ({detail}). Nhập theo dạng dd/mm/yyyy, ví dụ 31/03/2020.",
    "progress.date_in_past": "Ngày gia hạn phải sau hôm nay. Nhập lại ngày theo dạng dd/mm/yyyy.",
    "progress.extension_not_later": "Ngày xin gia hạn nhiệm vụ {code} phải sau thời hạn hiện tại.",
    "progress.not_after_deadline": (
        "Thời hạn hiện tại của {code} là {date}: ngày xin gia hạn phải sau ngày đó. "
        "Nhập lại ngày theo dạng dd/mm/yyyy."
    ),
    "progress.usage_update": "Cách dùng: <code>/capnhat &lt;mã&gt; &lt;nội dung&gt;</code>, ví dụ <code>/capnhat #15 đạt 70%</code> hoặc <code>/capnhat #15 đã hoàn thành</code>.",
    "progress.no_such_line": "Tin này có {n} nhiệm vụ, đánh số từ 1 đến {n}; số {line} không ứng với nhiệm vụ nào. Bạn báo cáo cho nhiệm vụ nào?",
    "progress.which_task": "Tin này có nhiều nhiệm vụ. Bạn báo cáo cho nhiệm vụ nào?",
    "progress.reply_number_hint": "Tin có nhiều nhiệm vụ: bắt đầu câu trả lời bằng số thứ tự, ví dụ «2 đạt 70%».",
    "progress.not_a_task_message": "Tin bạn trả lời không phải tin nhắc việc hay thẻ nhiệm vụ nên chưa ghi nhận gì. Trả lời tin nhắc việc hoặc thẻ nhiệm vụ (gõ /nhiemvu để mở), hoặc gõ <code>/capnhat &lt;mã&gt; &lt;nội dung&gt;</code>.",
    "progress.office_awaiting_no_text": "🔔 <b>{agency}</b> báo hoàn thành nhiệm vụ {code}.\n\nĐề nghị Văn phòng xác nhận.",
    "progress.office_awaiting": "🔔 <b>{agency}</b> báo hoàn thành nhiệm vụ {code}:\n{text}\n\nĐề nghị Văn phòng xác nhận.",
    "progress.office_proposal": "📅 <b>{agency}</b> đề xuất thời hạn cho nhiệm vụ {code} (hiện không thời hạn): đến <b>{date}</b>.\nĐồng ý thì nhiệm vụ có thời hạn này.",
    "progress.office_extension": "📅 <b>{agency}</b> xin gia hạn nhiệm vụ {code} đến <b>{date}</b> (thời hạn hiện tại: {current}).\nLý do: {reason}",
    "progress.office_blocked": "⚠️ <b>{agency}</b> báo vướng mắc ở nhiệm vụ {code}: {text}",
    "progress.extension_sent": "📅 Đã gửi đề nghị gia hạn {code} đến {date} tới Văn phòng Điều phối.",
    "progress.confirmed": "✅ Đã xác nhận hoàn thành {code} ({agency}).",
    "progress.returned": "↩️ Đã trả lại {code} cho {agency}.",
    "progress.agency_confirmed": "✅ Văn phòng Điều phối đã xác nhận hoàn thành nhiệm vụ {code}.",
    "progress.agency_returned": "↩️ Văn phòng Điều phối chưa xác nhận nhiệm vụ {code}, đề nghị thực hiện lại. Lý do: {reason}",
    "progress.not_awaiting": "Nhiệm vụ này không ở trạng thái chờ xác nhận.",
    "progress.extension_approved": "✅ Đã đồng ý gia hạn {code} đến {date}.",
    "progress.deadline_shared": "📅 Thời hạn là của nhiệm vụ nên cũng đổi cho {n} đơn vị cùng thực hiện, mỗi đơn vị được báo: {agencies}.",
    "progress.agency_deadline_shared": "📅 Thời hạn nhiệm vụ {code} được điều chỉnh thành {date}: Văn phòng Điều phối đồng ý đề nghị của {agency}, thời hạn chung cho các đơn vị cùng thực hiện.",
    "progress.extension_refused": "❌ Đã không đồng ý gia hạn {code}.",
    "progress.proposal_approved": "✅ Đã đồng ý thời hạn {code} do đơn vị đề xuất: {date}.",
    "progress.proposal_refused": "❌ Đã không đồng ý thời hạn đơn vị đề xuất cho {code}; nhiệm vụ vẫn không thời hạn.",
    "progress.agency_proposal_approved": "✅ Văn phòng Điều phối đồng ý thời hạn đơn vị đề xuất cho nhiệm vụ {code}: {date}.",
    "progress.agency_proposal_refused": "❌ Văn phòng Điều phối không đồng ý thời hạn đơn vị đề xuất cho nhiệm vụ {code}; nhiệm vụ vẫn không thời hạn.",
    "progress.agency_extension_approved": "✅ Văn phòng Điều phối đồng ý gia hạn nhiệm vụ {code} đến {date}.",
    "progress.agency_extension_refused": "❌ Văn phòng Điều phối không đồng ý gia hạn nhiệm vụ {code}; thời hạn giữ nguyên.",
    "progress.no_pending_extension": "Đề nghị gia hạn này đã được xử lý.",
    "progress.extension_waiting": "⏳ Đơn vị đã xin gia hạn nhiệm vụ {code} đến {date} (gửi ngày {sent}), đang chờ Văn phòng Điều phối quyết định; chưa gửi đề nghị mới.",
    "progress.proposal_waiting": "⏳ Đơn vị đã đề xuất thời hạn cho nhiệm vụ {code} đến {date} (gửi ngày {sent}), đang chờ Văn phòng Điều phối quyết định; chưa gửi đề xuất mới.",
    # --- admin ---
    "admin.usage_newtask": (
        "Cách dùng: <code>/giaoviec &lt;đơn vị&gt; | &lt;nội dung&gt; | &lt;thời hạn&gt;</code>\n"
        "Ví dụ: <code>/giaoviec Sở Tài chính | Báo cáo tình hình giải ngân | 15/01/2020</code>\n"
        "Thời hạn có thể là: 15/01/2020, tháng 3/2020, quý I/2020, thường xuyên."
    ),
    "admin.usage_deadline": "Cách dùng: <code>/doihan &lt;mã&gt; &lt;thời hạn mới&gt;</code>, ví dụ <code>/doihan #16 30/04/2020</code>. Thời hạn là của nhiệm vụ: đổi cho mọi đơn vị cùng thực hiện.",
    "admin.usage_reassign": "Cách dùng: <code>/giaolai &lt;mã&gt; &lt;đơn vị&gt;</code>, ví dụ <code>/giaolai #16 Sở Kế hoạch và Đầu tư</code>.",
    "admin.usage_code": "Cách dùng: <code>{command} &lt;số #&gt;</code>, ví dụ <code>{command} #16</code> (số in trên tin nhắn).",
    "admin.usage_admin": "Cách dùng: <code>{command} &lt;id Telegram&gt;</code>, ví dụ <code>{command} 123456789</code> (số, xem bằng @userinfobot).",
    "admin.created": "✅ Đã giao nhiệm vụ {code} ({task}) cho <b>{agency}</b>, {deadline}.",
    "admin.created_due": "thời hạn {date}",
    "admin.deadline_in_past": "⚠️ Thời hạn này đã qua: nhiệm vụ được tính là quá hạn nếu chưa hoàn thành.",
    "admin.deadline_changed": "📅 Đã điều chỉnh thời hạn {code} ({agency}) thành {deadline}; thời hạn gốc vẫn được lưu.",
    "admin.deadline_changed_all": "📅 Đã điều chỉnh thời hạn nhiệm vụ {task} thành {deadline}; thời hạn gốc vẫn được lưu. Thời hạn là của nhiệm vụ nên áp dụng cho cả {n} đơn vị cùng thực hiện, mỗi đơn vị được báo:\n{agencies}",
    "admin.holder_line": "• {agency} ({role}, {code})",
    "admin.holders_more": "… và {n} đơn vị khác",
    "admin.role_lead": "chủ trì",
    "admin.role_coordinating": "phối hợp",
    "admin.deadline_unchanged": "Thời hạn nhiệm vụ {code} đã là {deadline}; không có gì thay đổi.",
    "admin.deadline_per_agency": "Thời hạn là của nhiệm vụ, chung cho mọi đơn vị cùng thực hiện; không đổi riêng cho một đơn vị được. Để đổi cho tất cả: <code>/doihan {code} {date}</code> (xem các đơn vị bằng <code>/nhiemvu {code}</code>).",
    "admin.reassigned": "🔁 Đã giao lại {task} từ {old_agency} cho <b>{agency}</b> (mã mới {code}).",
    "admin.already_reassigned": "Nhiệm vụ {task} đã được giao cho <b>{agency}</b> (mã {code}); không có gì thay đổi.",
    "admin.moved": "Mã {code} không còn dùng được: nhiệm vụ đã được giao lại cho đơn vị khác. Dùng mã của đơn vị đang thực hiện (xem <code>/nhiemvu</code>).",
    "admin.agency_reassigned_in": "📌 Văn phòng Điều phối giao nhiệm vụ {code} ({notice}) cho đơn vị, thay {old_agency}:\n{text}\n⏰ Thời hạn: {deadline}",
    "admin.agency_reassigned_out": "🔁 Văn phòng Điều phối đã chuyển nhiệm vụ {code} ({notice}) cho {agency}:\n{text}\nĐơn vị không cần báo cáo nhiệm vụ này nữa và sẽ không được nhắc về nhiệm vụ này.",
    "admin.cancel_confirm": (
        "Hủy nhiệm vụ {task} của Thông báo {notice}?\n«{text}»\n\n"
        "Nhiệm vụ sẽ bị hủy với mọi đơn vị được giao: không còn được nhắc, không tính vào "
        "thống kê. Lịch sử cập nhật vẫn được lưu."
    ),
    "admin.btn_cancel_task": "🚫 Hủy nhiệm vụ",
    "admin.btn_keep_task": "Giữ nguyên",
    "admin.kept": "Đã giữ nguyên nhiệm vụ {task}.",
    "admin.cancelled": "🚫 Đã hủy nhiệm vụ {task}; nhiệm vụ không còn được nhắc và không tính vào thống kê.",
    "admin.restricted_on": "🔒 Nhiệm vụ {task} được đánh dấu mật: trong nhóm chỉ hiện mã và thời hạn.",
    "admin.restricted_off": "🔓 Nhiệm vụ {task} không còn là nhiệm vụ mật.",
    "admin.admin_added": "✅ Đã thêm {user} vào Văn phòng Điều phối (quản trị).",
    "admin.admin_removed": "Đã bỏ quyền quản trị của {user}.",
    "admin.task_not_found": "Không tìm thấy nhiệm vụ {code}.",
    "admin.bad_deadline": "Thời hạn «{text}» không hợp lệ. Ví dụ: 15/01/2020, tháng 3/2020, quý I/2020, thường xuyên.",
    "admin.empty_text": "Nội dung nhiệm vụ trống.",
    "admin.same_agency": "Nhiệm vụ đã thuộc đơn vị này.",
    "admin.agency_new_task": "📌 Văn phòng Điều phối giao nhiệm vụ mới {code}:\n{text}\n⏰ Thời hạn: {deadline}",
    "admin.agency_deadline_changed": "📅 Thời hạn nhiệm vụ {code} được điều chỉnh thành {deadline}.",
    # --- reminders ---
    "remind.digest_title": "🔔 <b>Nhắc việc ngày {date}</b> — {agency}",
    "remind.part": " (phần {part}/{parts})",
    "remind.line": "{n}. <b>{code}</b> {text}\n⏰ {deadline} · <b>{what}</b>",
    "remind.line_restricted": "{n}. <b>{code}</b> (nhiệm vụ mật)\n⏰ {deadline} · <b>{what}</b>",
    "remind.digest_hint_one": "↩️ Trả lời tin này để báo cáo, ví dụ «đạt 70%», «đã hoàn thành»; hoặc bấm nhiệm vụ.",
    "remind.digest_hint": "↩️ Trả lời tin này, bắt đầu bằng số thứ tự: «2 đạt 70%», «1 đã hoàn thành»; hoặc bấm nhiệm vụ.",
    "remind.kind.before": "còn {days} ngày làm việc",
    "remind.kind.due_today": "hạn hôm nay",
    "remind.kind.due_on_day_off": "hạn rơi vào ngày nghỉ — hôm nay là ngày làm việc cuối cùng",
    "remind.kind.overdue": "quá hạn {days} ngày làm việc",
    "remind.kind.window_start": "bắt đầu thực hiện từ {date}",
    "remind.kind.no_deadline": "nhiệm vụ thường xuyên — đề nghị báo cáo tiến độ",
    "remind.kind.ack_nudge": "chưa tiếp nhận",
    "remind.btn_ack": "👍 Đã tiếp nhận",
    "remind.btn_ack_notice": "👍 Đã tiếp nhận TB {notice}",
    "remind.office_title": "📣 <b>Đôn đốc nhiệm vụ quá hạn — ngày {date}</b>",
    "remind.office_leaders": "⛔ <b>Quá hạn từ {days} ngày làm việc — đề nghị Lãnh đạo Văn phòng nhắc nhở:</b>",
    "remind.office_overdue": "🔴 <b>Quá hạn, đề nghị Văn phòng đôn đốc:</b>",
    "remind.now_sent": "🔔 Đang gửi {messages} tin nhắc việc, đôn đốc ({reminders} lượt nhắc).",
    "remind.now_nothing": "Không có nhắc việc mới cần gửi: nhắc việc hôm nay đã được gửi hoặc không có nhiệm vụ đến kỳ nhắc.",
    "remind.now_before_time": "Chưa đến giờ nhắc việc: nhắc việc hôm nay sẽ gửi từ {time}.",
    "remind.now_day_off": "Hôm nay là ngày nghỉ: không gửi nhắc việc.",
    "remind.now_unreachable": "ℹ️ Chưa có nhóm hoặc cán bộ đầu mối nhận tin: {names}.",
    "remind.now_unack": "👍 Chưa xác nhận tiếp nhận nhiệm vụ: {names}. Xem /chuatiepnhan.",
    "remind.office_label": "Văn phòng Điều phối",
    "dates.no_month": "Không có ngày {date}: một năm chỉ có 12 tháng, không có tháng {month}.",
    "dates.day_zero": "Không có ngày {date}: ngày trong tháng bắt đầu từ 01.",
    "dates.no_day": "Không có ngày {date}: tháng {month} chỉ có {days} ngày.",
    "dates.retry": "Chưa có gì thay đổi. Nhập ngày có thật, ví dụ <code>{example}</code>.",
    "remind.pause_usage": "Cách dùng: <code>/tamdung 5</code> (tạm dừng 5 ngày, tính cả hôm nay) hoặc <code>/tamdung 31/01/2020</code> (đến hết ngày đó). Gõ /tieptuc để nhận lại nhắc việc.",
    "remind.pause_invalid_date": "Ngày tạm dừng phải từ hôm nay đến tối đa {max_days} ngày tới. Nhập lại, ví dụ <code>/tamdung 7</code>.",
    "remind.pause_where": "Dùng lệnh này trong nhóm của đơn vị (hoặc tin nhắn riêng nếu bạn là đầu mối của một đơn vị).",
    "remind.paused": "⏸ Đã tạm dừng nhắc việc của <b>{agency}</b> đến hết ngày {date}. Cảnh báo quá hạn vẫn gửi Văn phòng Điều phối. Gõ /tieptuc để nhận lại nhắc việc sớm hơn.",
    "remind.resumed": "▶️ Đã tiếp tục nhắc việc cho <b>{agency}</b>.",
    "remind.not_paused": "Nhắc việc của <b>{agency}</b> đang hoạt động, không cần tiếp tục.",
    "remind.office_paused": "⏸ <b>{agency}</b> tạm dừng nhận nhắc việc đến hết ngày {date} (do {who} đề nghị).",
    "remind.office_resumed": "▶️ <b>{agency}</b> nhận nhắc việc trở lại (do {who} đề nghị).",
    "remind.announce_title": "📋 <b>Thông báo số {number}</b> giao cho <b>{agency}</b> {count} nhiệm vụ:",
    "remind.announce_line": "{n}. <b>{code}</b> {text}\n⏰ Thời hạn: {deadline}",
    "remind.announce_line_restricted": "{n}. <b>{code}</b> (nhiệm vụ mật — xem tại văn bản gốc)\n⏰ Thời hạn: {deadline}",
    "remind.announce_footer_one": "Đề nghị đơn vị bấm «👍 Đã tiếp nhận». Báo cáo tiến độ: trả lời tin này.",
    "remind.announce_footer": "Đề nghị đơn vị bấm «👍 Đã tiếp nhận». Báo cáo tiến độ: trả lời tin này, bắt đầu bằng số thứ tự.",
    "remind.acked": "👍 {name} đã xác nhận tiếp nhận {count} nhiệm vụ.",
    "remind.ack_already": "Đơn vị đã xác nhận tiếp nhận các nhiệm vụ này trước đó.",
    "remind.unack_title": "<b>Đơn vị chưa xác nhận tiếp nhận nhiệm vụ</b>",
    "remind.unack_line": "• {agency}: {count} nhiệm vụ (giao từ {since})",
    "remind.unack_none": "Tất cả đơn vị đã xác nhận tiếp nhận nhiệm vụ. 👍",
    "remind.unack_page": "Trang {page}/{pages} · {n} đơn vị",
    "remind.office_line": "{n}. <b>{code}</b> ({task}) {agency} — {what}",
    "remind.office_more": "… và {n} nhiệm vụ quá hạn khác: bấm «Xem thêm».",
    "remind.btn_more": "📋 Xem thêm: {n} nhiệm vụ quá hạn",
    # --- summary ---
    # --- hiccups (issue 22: a lost answer, a repeat, an effect that failed) ---
    "error.not_recorded_report": (
        "⚠️ Xin lỗi, bot gặp lỗi nên báo cáo của bạn <b>CHƯA được ghi nhận</b>; chưa có gì "
        "thay đổi. Văn phòng Điều phối đã được báo lỗi. Vui lòng gửi lại sau ít phút."
    ),
    "error.not_done_button": (
        "⚠️ Xin lỗi, bot gặp lỗi nên thao tác vừa bấm <b>CHƯA được thực hiện</b>; chưa có gì "
        "thay đổi. Văn phòng Điều phối đã được báo lỗi. Vui lòng bấm lại sau ít phút."
    ),
    "error.not_done_command": (
        "⚠️ Xin lỗi, bot gặp lỗi nên lệnh {command} <b>CHƯA được thực hiện</b>; chưa có gì "
        "thay đổi. Văn phòng Điều phối đã được báo lỗi. Vui lòng thử lại sau ít phút."
    ),
    "error.not_done_message": (
        "⚠️ Xin lỗi, bot gặp lỗi nên tin nhắn của bạn <b>CHƯA được xử lý</b>; chưa có gì "
        "thay đổi. Văn phòng Điều phối đã được báo lỗi. Vui lòng gửi lại sau ít phút."
    ),
    "answer.file_not_sent": (
        "📎 Telegram gián đoạn nên bot chưa gửi được tệp <b>{file}</b>{caption}. "
        "Vui lòng yêu cầu lại để nhận tệp."
    ),
    "progress.repeat": (
        "ℹ️ Báo cáo này đã được ghi nhận lúc {time}; không ghi thêm lần nữa.\n"
        "Tình trạng {code}: {status}."
    ),
    "progress.repeat_extension": (
        "📅 Đề nghị gia hạn {code} đến {date} đã được gửi Văn phòng Điều phối lúc {time}; "
        "không gửi thêm lần nữa."
    ),
    "progress.decided_confirmed": "✅ {code} đã được xác nhận hoàn thành lúc {time} ({who}); không cần bấm lại.",
    "progress.decided_returned": "↩️ {code} đã được trả lại lúc {time} ({who}); không cần bấm lại.",
    "progress.decided_extension_approved": "✅ Đề nghị gia hạn {code} đã được đồng ý lúc {time} ({who}); không cần bấm lại.",
    "progress.decided_extension_refused": "❌ Đề nghị gia hạn {code} đã được trả lời không đồng ý lúc {time} ({who}); không cần bấm lại.",
    "progress.decided_by_office": "Văn phòng Điều phối",
    "tasks.list_reply_hint": (
        "Tin bạn trả lời là danh sách nhiệm vụ nên chưa ghi nhận gì. Bấm mã nhiệm vụ dưới "
        "danh sách để mở thẻ, rồi trả lời (reply) thẻ đó; hoặc gõ "
        "<code>/capnhat &lt;mã&gt; &lt;nội dung&gt;</code>."
    ),
    "admin.already_cancelled": "Nhiệm vụ {task} đã được hủy trước đó; không có gì thay đổi.",
    # --- web ---
    # The web app's pages and form, /web and the 📱 button: vi_web.py (a module of
    # its own, so that this one stays under 500 lines).
    **WEB,
    # --- chats in real life: bindings, migrations (vi_chats.py / en_chats.py) ---
    **CHATS,
    # --- the roll-up (issue 16): vi_summary.py ---
    **SUMMARY,
    # --- replies in words (issue 14): vi_replies.py ---
    **REPLIES,
    # --- onboarding (issue 21): vi_onboard.py ---
    **ONBOARD,
    # --- importing a notice (the preview is the plan) and the agency directory: vi_import.py ---
    **IMPORT,
    # --- members ---
    "members.usage": "Cách dùng: <code>/xoadaumoi &lt;id Telegram&gt; &lt;đơn vị&gt;</code>, ví dụ <code>/xoadaumoi 123456789 Sở Tài chính</code>.",
    "members.removed": "Đã xoá {user} khỏi danh sách cán bộ đầu mối của <b>{agency}</b>: từ nay người này không thao tác được với nhiệm vụ của đơn vị.",
    "members.not_member": "{user} không phải cán bộ đầu mối của <b>{agency}</b> (hoặc đã được xoá).",
    # --- the outbox (bot/messaging/outbox.py) ---
    "help.cmd.hopthu": "📤 /hopthu — tin đang chờ gửi và tin không gửi được",
    "menu.hopthu": "Tin chờ gửi, không gửi được",
    "outbox.batch_reports": "📥 <b>{n} báo cáo mới</b> từ {sources}:",
    "outbox.batch_notices": "📥 <b>{n} thông báo mới</b>:",
    "outbox.item_done": "✅ <b>{agency}</b> báo hoàn thành {code} «{text}»",
    "outbox.item_blocked": "⚠️ <b>{agency}</b> báo vướng mắc ở {code}: {text}",
    "outbox.item_extension": "📅 <b>{agency}</b> xin gia hạn {code} đến <b>{date}</b> (hiện tại: {current}). Lý do: {reason}",
    "outbox.failed": "❗ Không gửi được tin đến <b>{where}</b>: «{said}» ({error}). Xem /hopthu.",
    "outbox.status": "📤 <b>Hộp thư đi</b>\nĐang chờ gửi: <b>{waiting}</b> tin.\nKhông gửi được trong 7 ngày qua: <b>{failed}</b> tin.",
    "outbox.waiting_head": "\n⏳ <b>Đang chờ</b> (cũ nhất trước):",
    "outbox.waiting_line": "• {at} → {where}: «{said}»{retry}",
    "outbox.retrying": " — thử lại lần {attempts} lúc {due}",
    "outbox.failed_head": "\n❗ <b>Không gửi được</b> (mới nhất trước):",
    "outbox.failed_line": "• {at} → {where}: «{said}» — {error}",
    "outbox.chart": "📊 Biểu đồ tổng hợp tuần (vẽ khi gửi)",
    "outbox.all_clear": "\n✅ Mọi tin đã được gửi.",
    "outbox.more": "… và <b>{n}</b> tin nữa (đã tính trong số ở trên)",
    "outbox.page": "Trang {page}/{pages}",
}
