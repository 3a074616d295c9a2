/**
 * API errors in plain words. The API's own message says what went wrong (often a rule of
 * the workflow, in English); this puts it in a sentence a clerk can act on, in the user's
 * language, and translates the engine's common refusals.
 */
import { ApiFailure, type FieldIssue } from './api/client';
import type { Lang } from './i18n';
import { recoveringText } from './recovering';

/** Known refusals of the engine (409s and 403s), in Vietnamese. */
const refusalsVi: Array<[RegExp, string]> = [
  [/acknowledge the directive before concretizing/i, 'Cần tiếp nhận văn bản trước khi cụ thể hóa.'],
  [/acknowledge the directive before reporting/i, 'Cần tiếp nhận văn bản trước khi báo cáo.'],
  [
    /concretize .*before reporting|before reporting.*concretiz/i,
    'Cần cụ thể hóa văn bản trước khi báo cáo.',
  ],
  [/already acknowledged/i, 'Văn bản này đã được tiếp nhận.'],
  [/still being delivered/i, 'Văn bản đang được chuyển đến đơn vị; vui lòng thử lại sau vài giây.'],
  [
    /does not concretize|need not concretize|no implementing document/i,
    'Đơn vị này không phải cụ thể hóa văn bản.',
  ],
  [/revoked/i, 'Văn bản đã bị thu hồi.'],
  [/completed|is closed|closed/i, 'Việc này đã kết thúc.'],
  [/cannot act for/i, 'Mã truy cập của bạn không được thao tác thay đơn vị khác.'],
  [/outside the caller's subtree/i, 'Đơn vị này nằm ngoài phạm vi quản lý của bạn.'],
  [
    /only .* the unit above, decides/i,
    'Chỉ đơn vị cấp trên trực tiếp mới quyết định việc gia hạn.',
  ],
  [/only .*the issuer/i, 'Chỉ cơ quan ban hành mới làm được việc này.'],
  [/only the admin/i, 'Chỉ quản trị viên mới làm được việc này.'],
  [/has no assignment/i, 'Đơn vị này không nhận văn bản này.'],
];

function fieldList(details: unknown): string {
  if (!Array.isArray(details)) return '';
  return (details as FieldIssue[])
    .slice(0, 6)
    .map((d) => `${(d.path ?? []).join('.') || '—'}: ${d.message ?? ''}`)
    .join('; ');
}

export function plainError(err: unknown, lang: Lang): string {
  const vi = lang === 'vi';
  if (!(err instanceof ApiFailure))
    return vi ? `Lỗi không mong muốn: ${String(err)}` : `Unexpected error: ${String(err)}`;
  const m = err.message;
  const known = vi ? refusalsVi.find(([re]) => re.test(m))?.[1] : undefined;
  switch (true) {
    case err.status === 0:
      return vi
        ? 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.'
        : 'The server cannot be reached. Check the network and try again.';
    case err.status === 400: {
      const fields = fieldList(err.details);
      if (vi)
        return `Thông tin chưa hợp lệ${fields ? `: ${fields}` : `: ${m}`}. Sửa lại rồi gửi lại.`;
      return `Some information is not valid${fields ? `: ${fields}` : `: ${m}`}. Correct it and send again.`;
    }
    case err.status === 401:
      return vi
        ? 'Mã truy cập không hợp lệ hoặc đã bị thu hồi. Vui lòng đăng nhập lại.'
        : 'The access token is not valid or was revoked. Please sign in again.';
    case err.status === 403:
      return vi ? `Không có quyền: ${known ?? m}` : `Not allowed: ${m}`;
    case err.status === 404:
      return vi ? `Không tìm thấy: ${known ?? m}` : `Not found: ${m}`;
    case err.status === 409:
      return vi
        ? `Chưa thực hiện được ở bước này: ${known ?? m}`
        : `Not possible at this stage: ${m}`;
    case err.status === 413:
      return vi ? 'Nội dung gửi quá dài.' : 'What you sent is too long.';
    case err.status === 422:
      return vi
        ? 'Yêu cầu này trùng mã với một yêu cầu khác; tải lại trang rồi thử lại.'
        : 'This request reused the key of another one; reload and try again.';
    case err.status === 429:
      return vi
        ? `Quá nhiều yêu cầu; thử lại sau ${err.retryAfter ?? 'ít'} giây.`
        : `Too many requests; try again in ${err.retryAfter ?? 'a few'} seconds.`;
    case err.status === 503 && err.retryAfter !== undefined:
      // A part is away for a moment: the page retries by itself (recovering.ts).
      return recoveringText(err.retryAfter, lang);
    case err.status === 503:
      return vi
        ? 'Hệ thống chưa trả lời kịp; thao tác có thể vẫn được ghi nhận. Chờ ít giây rồi tải lại.'
        : 'The engine did not answer in time; the action may still go through. Wait a moment and reload.';
    default:
      return vi
        ? `Máy chủ gặp lỗi (${err.status}). Thử lại sau.`
        : `The server failed (${err.status}). Try again later.`;
  }
}
