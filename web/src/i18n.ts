/**
 * Vietnamese first, English second. Every word the dashboard shows is here, keyed by an id;
 * `t(id, vars)` fills `{name}` placeholders. The choice is kept in localStorage.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'vi' | 'en';

const vi = {
  appTitle: 'Theo dõi văn bản chỉ đạo',
  signIn: 'Đăng nhập',
  signOut: 'Đăng xuất',
  tokenLabel: 'Mã truy cập (token) của đơn vị',
  tokenHelp: 'Quản trị viên cấp mã cho từng đơn vị. Mã chỉ được giữ trong phiên trình duyệt này.',
  admin: 'Quản trị viên',
  directives: 'Văn bản chỉ đạo',
  inbox: 'Việc cần xử lý',
  issuedByMe: 'Do đơn vị ban hành',
  reachedMe: 'Gửi đến đơn vị',
  all: 'Tất cả',
  search: 'Tìm theo số hiệu, trích yếu',
  openById: 'Mở văn bản theo mã',
  open: 'Mở',
  listUnavailable:
    'Máy chủ chưa có danh sách văn bản (GET /api/v1/directives). Mở một văn bản theo mã, hoặc xem “Việc cần xử lý”.',
  number: 'Số hiệu',
  title: 'Trích yếu',
  issuer: 'Cơ quan ban hành',
  issuedAt: 'Ngày ban hành',
  status: 'Trạng thái',
  none: 'Không có',
  loading: 'Đang tải…',
  more: 'Xem thêm',
  onTime: 'Đúng hạn',
  late: 'Trễ hạn',
  openOnTime: 'Đang làm, trong hạn',
  overdue: 'Quá hạn',
  failed: 'Sự cố',
  revoked: 'Đã thu hồi',
  total: 'Tổng',
  units: 'đơn vị',
  unitsCounted: 'Đếm theo đơn vị',
  obligationsCounted: 'Đếm theo nghĩa vụ',
  openEscalations: 'Cảnh báo đang mở',
  progressByLevel: 'Tiến độ theo cấp',
  level: 'Cấp',
  byStage: 'Theo bước',
  map: 'Bản đồ tiến độ',
  mapHelp: 'Mỗi ô là một đơn vị và cấp dưới của nó; màu theo tỉ lệ quá hạn. Bấm để xem cấp dưới.',
  overdueShare: 'tỉ lệ quá hạn',
  overdueList: 'Đơn vị quá hạn',
  since: 'Quá hạn từ',
  waitingFor: 'Đang chờ',
  rung: 'Bậc nhắc',
  escalations: 'Nhắc nhở và báo cáo cấp trên',
  openEsc: 'Đang mở',
  resolvedEsc: 'Đã giải quyết',
  firedAt: 'Lúc',
  target: 'Gửi đến',
  resolvedAt: 'Giải quyết lúc',
  documents: 'Chuỗi văn bản thực hiện',
  documentsHelp: 'Văn bản gốc và các văn bản cụ thể hóa của cấp dưới. Bấm ▸ để mở.',
  tasks: 'Nhiệm vụ',
  lead: 'Chủ trì',
  coordinating: 'Phối hợp',
  dueAt: 'Thời hạn',
  live: 'Tự cập nhật',
  paused: 'Tạm dừng',
  updatedAt: 'Cập nhật lúc {time}',
  temporal: 'Xem trong Temporal UI',
  unit: 'Đơn vị',
  stage: 'Bước',
  deadline: 'Hạn',
  timeline: 'Diễn biến',
  actions: 'Thao tác',
  acknowledge: 'Tiếp nhận',
  note: 'Ghi chú',
  concretize: 'Cụ thể hóa và chuyển tiếp',
  concretizeHelp: 'Ban hành văn bản thực hiện của đơn vị; văn bản được chuyển đến các đơn vị nhận.',
  docNumber: 'Số hiệu văn bản',
  docTitle: 'Trích yếu',
  docDate: 'Ngày ban hành',
  body: 'Nội dung',
  addTask: 'Thêm nhiệm vụ',
  removeTask: 'Bỏ',
  taskTitle: 'Tên nhiệm vụ',
  recipients: 'Nơi nhận',
  allChildren: 'Tất cả đơn vị trực thuộc',
  report: 'Báo cáo',
  cycle: 'Kỳ báo cáo',
  cycleAuto: 'kỳ tiếp theo',
  summary: 'Tóm tắt kết quả',
  completion: 'Mức độ hoàn thành (%)',
  askExtension: 'Xin gia hạn',
  requestedDeadline: 'Hạn đề nghị',
  reason: 'Lý do',
  decide: 'Cho ý kiến về đề nghị gia hạn',
  approve: 'Đồng ý',
  reject: 'Không đồng ý',
  send: 'Gửi',
  done: 'Đã ghi nhận.',
  reports: 'Báo cáo đã nộp',
  childrenRollup: 'Tổng hợp từ cấp dưới',
  children: 'Đơn vị cấp dưới',
  missing: 'Chưa nộp',
  avgCompletion: 'Hoàn thành bình quân',
  extensionRequests: 'Đề nghị gia hạn',
  obligations: 'Nghĩa vụ',
  viewMap: 'Xem cấp dưới trên bản đồ',
  noOverdue: 'Không có đơn vị quá hạn.',
  noEscalations: 'Chưa có.',
  inboxEmpty: 'Không có việc đang mở.',
  backToDirective: 'Về văn bản',
  notYourUnit:
    'Bạn đang xem với quyền của đơn vị khác; chỉ đơn vị {unit} (hoặc quản trị viên) thực hiện được.',
  incident: 'Sự cố: {reason}',
  ago: '{n} trước',
  inTime: 'còn {n}',
  version: 'Phiên bản',
} as const;

export type MessageId = keyof typeof vi;

const en: Record<MessageId, string> = {
  appTitle: 'Directive tracking',
  signIn: 'Sign in',
  signOut: 'Sign out',
  tokenLabel: "Your unit's access token",
  tokenHelp: 'The administrator issues a token per unit. It is kept only for this browser session.',
  admin: 'Administrator',
  directives: 'Directives',
  inbox: 'To do',
  issuedByMe: 'Issued by my unit',
  reachedMe: 'Received by my unit',
  all: 'All',
  search: 'Search number or title',
  openById: 'Open a directive by id',
  open: 'Open',
  listUnavailable:
    'This server has no directive list yet (GET /api/v1/directives). Open a directive by id, or see “To do”.',
  number: 'Number',
  title: 'Title',
  issuer: 'Issuer',
  issuedAt: 'Issued',
  status: 'Status',
  none: 'None',
  loading: 'Loading…',
  more: 'More',
  onTime: 'Done on time',
  late: 'Done late',
  openOnTime: 'Open, within deadline',
  overdue: 'Overdue',
  failed: 'Incidents',
  revoked: 'Revoked',
  total: 'Total',
  units: 'units',
  unitsCounted: 'Counted by unit',
  obligationsCounted: 'Counted by obligation',
  openEscalations: 'Open escalations',
  progressByLevel: 'Progress by level',
  level: 'Level',
  byStage: 'By stage',
  map: 'Progress map',
  mapHelp:
    'Each cell is a unit and the units below it, coloured by the share overdue. Click to go one level down.',
  overdueShare: 'overdue share',
  overdueList: 'Overdue units',
  since: 'Overdue since',
  waitingFor: 'Waiting for',
  rung: 'Rung',
  escalations: 'Reminders and escalations',
  openEsc: 'Open',
  resolvedEsc: 'Resolved',
  firedAt: 'At',
  target: 'To',
  resolvedAt: 'Resolved at',
  documents: 'Chain of implementing documents',
  documentsHelp:
    'The directive and the documents units below issued to implement it. Click ▸ to open.',
  tasks: 'Tasks',
  lead: 'Lead',
  coordinating: 'Coordinating',
  dueAt: 'Due',
  live: 'Live',
  paused: 'Paused',
  updatedAt: 'Updated {time}',
  temporal: 'Open in the Temporal UI',
  unit: 'Unit',
  stage: 'Stage',
  deadline: 'Deadline',
  timeline: 'Timeline',
  actions: 'Actions',
  acknowledge: 'Acknowledge',
  note: 'Note',
  concretize: 'Concretize and forward',
  concretizeHelp: "Issue the unit's implementing document; it is forwarded to its recipients.",
  docNumber: 'Document number',
  docTitle: 'Title',
  docDate: 'Issued on',
  body: 'Text',
  addTask: 'Add a task',
  removeTask: 'Remove',
  taskTitle: 'Task',
  recipients: 'Recipients',
  allChildren: 'Every unit directly below',
  report: 'Report',
  cycle: 'Reporting cycle',
  cycleAuto: 'next cycle',
  summary: 'Summary of results',
  completion: 'Completion (%)',
  askExtension: 'Ask for an extension',
  requestedDeadline: 'Requested deadline',
  reason: 'Reason',
  decide: 'Decide on the extension request',
  approve: 'Approve',
  reject: 'Reject',
  send: 'Send',
  done: 'Recorded.',
  reports: 'Reports submitted',
  childrenRollup: 'Rollup of the units below',
  children: 'Units below',
  missing: 'Missing',
  avgCompletion: 'Average completion',
  extensionRequests: 'Extension requests',
  obligations: 'Obligations',
  viewMap: 'See the units below on the map',
  noOverdue: 'No unit is overdue.',
  noEscalations: 'None yet.',
  inboxEmpty: 'Nothing open.',
  backToDirective: 'Back to the directive',
  notYourUnit: 'You are signed in as another unit; only {unit} (or the administrator) can do this.',
  incident: 'Incident: {reason}',
  ago: '{n} ago',
  inTime: '{n} left',
  version: 'Version',
};

const dictionaries: Record<Lang, Record<MessageId, string>> = { vi, en };

export type Translate = (id: MessageId, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const dict = dictionaries[lang];
  return (id, vars) => {
    const text = dict[id] ?? vi[id] ?? id;
    return vars ? text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`)) : text;
  };
}

const LANG_KEY = 'cascade.lang';
export const savedLang = (): Lang => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi');
export const saveLang = (lang: Lang): void => localStorage.setItem(LANG_KEY, lang);

export const LangContext = createContext<{ lang: Lang; t: Translate }>({
  lang: 'vi',
  t: translator('vi'),
});
export const useI18n = () => useContext(LangContext);

/** Words of the engine (stages, obligations, escalation actions, events) in the user's language. */
const words: Record<Lang, Record<string, string>> = {
  vi: {
    DELIVERED: 'Chờ tiếp nhận',
    ACKNOWLEDGED: 'Đã tiếp nhận',
    CONCRETIZED: 'Đã cụ thể hóa',
    FORWARDED: 'Đã chuyển tiếp',
    REPORTED: 'Đã báo cáo',
    COMPLETED: 'Hoàn thành',
    REVOKED: 'Đã thu hồi',
    FAILED: 'Sự cố',
    ACTIVE: 'Đang thực hiện',
    IMPLEMENTING: 'Văn bản thực hiện',
    remind: 'Nhắc nhở đơn vị',
    notify_parent: 'Báo cấp trên trực tiếp',
    escalate_to_issuer: 'Báo cơ quan ban hành',
    OVERDUE: 'Quá hạn',
    ESCALATED: 'Nhắc nhở / báo cấp trên',
    EXTENSION_REQUESTED: 'Xin gia hạn',
    EXTENSION_DECIDED: 'Quyết định gia hạn',
    DEADLINE_SET: 'Đặt thời hạn',
    AMENDED: 'Văn bản được sửa đổi',
    RETRIED: 'Chạy lại sau sự cố',
    DONE_ON_TIME: 'Xong đúng hạn',
    DONE_LATE: 'Xong trễ hạn',
    OPEN_WITHIN_DEADLINE: 'Đang làm, trong hạn',
    CANCELLED: 'Đã hủy',
    lead: 'Chủ trì',
    coordinator: 'Phối hợp',
    PENDING: 'Chờ quyết định',
    APPROVED: 'Đồng ý',
    REJECTED: 'Không đồng ý',
    central: 'Trung ương',
    province: 'Tỉnh',
    district: 'Huyện',
    commune: 'Xã',
  },
  en: {
    DELIVERED: 'Delivered',
    ACKNOWLEDGED: 'Acknowledged',
    CONCRETIZED: 'Concretized',
    FORWARDED: 'Forwarded',
    REPORTED: 'Reported',
    COMPLETED: 'Completed',
    REVOKED: 'Revoked',
    FAILED: 'Incident',
    ACTIVE: 'Active',
    IMPLEMENTING: 'Implementing document',
    remind: 'Reminder to the unit',
    notify_parent: 'Unit above notified',
    escalate_to_issuer: 'Escalated to the issuer',
    OVERDUE: 'Overdue',
    ESCALATED: 'Escalation',
    EXTENSION_REQUESTED: 'Extension requested',
    EXTENSION_DECIDED: 'Extension decided',
    DEADLINE_SET: 'Deadline set',
    AMENDED: 'Directive amended',
    RETRIED: 'Retried after an incident',
    DONE_ON_TIME: 'Done on time',
    DONE_LATE: 'Done late',
    OPEN_WITHIN_DEADLINE: 'Open, within deadline',
    CANCELLED: 'Cancelled',
    lead: 'Lead',
    coordinator: 'Coordinating',
    PENDING: 'Pending',
    APPROVED: 'Approved',
    REJECTED: 'Rejected',
    central: 'Central',
    province: 'Province',
    district: 'District',
    commune: 'Commune',
  },
};

/** A stage, status, level, escalation action or event type in words; unknown ones as given. */
export const word = (lang: Lang, key: string): string => words[lang][key] ?? key;

/** What an assignment waits for ("ack@2", "concretize", "report#1") in words. */
export function obligationWords(lang: Lang, obligation: string | null): string {
  if (!obligation) return '—';
  const ack = /^ack@(\d+)$/.exec(obligation);
  if (ack)
    return lang === 'vi'
      ? `tiếp nhận${ack[1] !== '1' ? ` (phiên bản ${ack[1]})` : ''}`
      : `acknowledgement${ack[1] !== '1' ? ` (version ${ack[1]})` : ''}`;
  if (obligation === 'concretize') return lang === 'vi' ? 'cụ thể hóa' : 'concretization';
  const report = /^report#(\d+)$/.exec(obligation);
  if (report) return lang === 'vi' ? `báo cáo kỳ ${report[1]}` : `report, cycle ${report[1]}`;
  const task = /^task:([^:]+):(lead|coordinator)/.exec(obligation);
  if (task) {
    const role =
      task[2] === 'lead'
        ? lang === 'vi'
          ? 'chủ trì'
          : 'lead'
        : lang === 'vi'
          ? 'phối hợp'
          : 'coordinating';
    return lang === 'vi' ? `nhiệm vụ ${task[1]} (${role})` : `task ${task[1]} (${role})`;
  }
  return obligation;
}
