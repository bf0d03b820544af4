"""What the sandbox itself says: its commands (/help) and its first screen."""

HELP = """Lệnh của sandbox / sandbox commands:
  /as <đơn vị>          nói với tư cách cán bộ đầu mối của đơn vị, trong nhóm của đơn vị
  /as office            nói trong nhóm Văn phòng Điều phối (quản trị)
  /as admin             về tin nhắn riêng của quản trị (mặc định)
  /press <n> | <n>      bấm nút thứ n của tin gần nhất có nút (hoặc /press <tin>.<n>,
                        hoặc /press <chữ đầu của nút>, ví dụ /press Lưu)
  /reply <tin> <nội dung>  trả lời (reply) tin số <tin>; /reply last ... = tin gần nhất;
                        nội dung có thể là /photo, /file, /voice, /sticker hoặc <<<
  /photo [chú thích]    gửi một ảnh (minh chứng), như chụp bằng điện thoại
  /file <tệp> [chú thích]  gửi tệp (.docx, .pdf, .txt, ảnh…) cho bot (/send: như /file)
  /voice                gửi một tin thoại
  /sticker [emoji]      gửi một nhãn dán (sticker)
  <<<                   bắt đầu một tin nhiều dòng (dán văn bản, trả lời nhiều nhiệm vụ);
  >>>                   kết thúc và gửi cả khối thành một tin
  /bind <đơn vị>        cấp mã mời và gắn nhóm mô phỏng cho đơn vị (qua /moi và /dangky)
  /time +3d | +2h | 2020-01-14 08:00   dời đồng hồ; các việc định kỳ chạy như thật
  /agencies             danh sách đơn vị và nhóm mô phỏng
  /menu                 menu lệnh (nút /) mà người đang nói thấy trong nhóm này
  /verbose [off]        hiện đầy đủ tin gửi tới mọi nhóm (mặc định: một dòng cho nhóm khác)
  /faults 500 4         Telegram chập chờn: cứ 4 lệnh gửi có 1 lỗi 500 (cũng: 502, 429,
                        timeout, drop); /faults off tắt; /faults xem đã có bao nhiêu lỗi
  /quit                 thoát
Mọi dòng khác gửi cho bot như tin nhắn (ví dụ /nhiemvu, /tonghop, /trogiup)."""

WELCOME = """Gõ như trên điện thoại; vài lệnh của sandbox:
  /as Sở Tài chính      thành cán bộ đầu mối Sở Tài chính (/as office: nhóm Văn phòng)
  /time +1d             dời đồng hồ: nhắc việc, tổng hợp tuần chạy như thật
  /press 1              bấm nút (hoặc /press Lưu)
  /reply last đạt 70%   trả lời tin gần nhất (/reply 5 /photo: gửi ảnh trả lời tin 5)
  /help                 mọi lệnh của sandbox và hướng dẫn của bot
Xem cả vòng việc trong một phút: dondoc sandbox --script examples/tour.txt"""
