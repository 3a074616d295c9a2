/**
 * A cascade's progress as an Excel workbook (exceljs), for the office that reports upward:
 * the four official counts overall, by level and by province; one row per unit with its
 * stage, dates, official status and the escalation rung reached; one row per task part.
 * Headings in Vietnamese, dates as Excel dates (Asia/Ho_Chi_Minh wall time), filters on.
 */
import ExcelJS from 'exceljs';

export interface Counts {
  onTime: number;
  late: number;
  openWithinDeadline: number;
  overdue: number;
}

export interface UnitProgressRow {
  unitCode: string;
  unitName: string;
  level: string;
  parentUnitCode: string | null;
  stage: string;
  officialStatus: string | null;
  deliveredAt: Date;
  acknowledgedAt: Date | null;
  concretizedAt: Date | null;
  reportedAt: Date | null;
  completedAt: Date | null;
  nextDeadline: Date | null;
  overdue: boolean;
  escalationRung: number;
}

export interface TaskPartRow {
  taskRef: string;
  title: string | null;
  unitCode: string;
  role: string;
  deadline: Date;
  doneAt: Date | null;
  status: string;
}

export interface ProgressWorkbookInput {
  directive: { number: string; kind: string; title: string; issuerCode: string; issuedAt: Date };
  official: { overall: Counts; byLevel: Record<string, Counts>; byProvince: Record<string, Counts> };
  units: UnitProgressRow[];
  taskParts: TaskPartRow[];
  /** Province codes to names, for the counts by province. */
  names: Record<string, string>;
}

/** Sheet names, also what a reader looks them up by. */
export const SHEETS = { counts: 'Tổng hợp', units: 'Đơn vị', tasks: 'Nhiệm vụ' } as const;

export const STATUS_VI: Record<string, string> = {
  DONE_ON_TIME: 'Hoàn thành đúng hạn',
  DONE_LATE: 'Hoàn thành quá hạn',
  OPEN_WITHIN_DEADLINE: 'Đang thực hiện trong hạn',
  OVERDUE: 'Quá hạn chưa hoàn thành',
  CANCELLED: 'Đã hủy',
};

const VN_OFFSET_MS = 7 * 3600_000;
/**
 * Excel has no time zones: a cell shows the wall time it holds. The offices read Vietnam's,
 * so a moment is written as its Asia/Ho_Chi_Minh wall time (UTC+7, no daylight saving).
 */
export const vnWallTime = (d: Date | null): Date | null => (d ? new Date(d.getTime() + VN_OFFSET_MS) : null);

const DATE_FORMAT = 'dd/mm/yyyy hh:mm';

/** A sheet with a bold, frozen, filtered heading; a `date` column's moments are written as Vietnam's wall time. */
function table(ws: ExcelJS.Worksheet, columns: Array<{ header: string; key: string; width: number; date?: boolean }>, rows: Array<Record<string, unknown>>): void {
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.date ? { style: { numFmt: DATE_FORMAT } } : {}) }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const dates = columns.filter((c) => c.date).map((c) => c.key);
  for (const r of rows) ws.addRow({ ...r, ...Object.fromEntries(dates.map((k) => [k, vnWallTime(r[k] as Date | null)])) });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: columns.length } };
}

const countRow = (group: string, name: string, c: Counts) => ({ group, name, ...c, total: c.onTime + c.late + c.openWithinDeadline + c.overdue });

export async function progressWorkbook(input: ProgressWorkbookInput): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'directive-cascade';
  wb.title = `${input.directive.number} ${input.directive.title}`.slice(0, 250);

  table(
    wb.addWorksheet(SHEETS.counts),
    [
      { header: 'Nhóm', key: 'group', width: 12 },
      { header: 'Tên', key: 'name', width: 44 },
      { header: 'Hoàn thành đúng hạn', key: 'onTime', width: 20 },
      { header: 'Hoàn thành quá hạn', key: 'late', width: 20 },
      { header: 'Đang thực hiện trong hạn', key: 'openWithinDeadline', width: 24 },
      { header: 'Quá hạn chưa hoàn thành', key: 'overdue', width: 24 },
      { header: 'Tổng số', key: 'total', width: 10 },
    ],
    [
      countRow('Toàn bộ', `${input.directive.number}`, input.official.overall),
      ...Object.entries(input.official.byLevel).map(([level, c]) => countRow('Cấp', level, c)),
      ...Object.entries(input.official.byProvince).map(([code, c]) => countRow('Tỉnh', input.names[code] ?? code, c)),
    ],
  );

  table(
    wb.addWorksheet(SHEETS.units),
    [
      { header: 'Mã đơn vị', key: 'unitCode', width: 16 },
      { header: 'Tên đơn vị', key: 'unitName', width: 44 },
      { header: 'Cấp', key: 'level', width: 12 },
      { header: 'Đơn vị cấp trên', key: 'parentUnitCode', width: 16 },
      { header: 'Giai đoạn', key: 'stage', width: 16 },
      { header: 'Tình trạng', key: 'officialStatus', width: 26 },
      { header: 'Ngày nhận', key: 'deliveredAt', width: 18, date: true },
      { header: 'Ngày tiếp nhận', key: 'acknowledgedAt', width: 18, date: true },
      { header: 'Ngày cụ thể hóa', key: 'concretizedAt', width: 18, date: true },
      { header: 'Ngày báo cáo', key: 'reportedAt', width: 18, date: true },
      { header: 'Ngày hoàn thành', key: 'completedAt', width: 18, date: true },
      { header: 'Hạn tiếp theo', key: 'nextDeadline', width: 18, date: true },
      { header: 'Quá hạn', key: 'overdue', width: 10 },
      { header: 'Bậc nhắc nhở', key: 'escalationRung', width: 12 },
    ],
    input.units.map((u) => ({
      ...u,
      officialStatus: u.officialStatus ? (STATUS_VI[u.officialStatus] ?? u.officialStatus) : null,
      overdue: u.overdue ? 'Có' : 'Không',
    })),
  );

  table(
    wb.addWorksheet(SHEETS.tasks),
    [
      { header: 'Nhiệm vụ', key: 'taskRef', width: 12 },
      { header: 'Nội dung', key: 'title', width: 60 },
      { header: 'Đơn vị', key: 'unitCode', width: 16 },
      { header: 'Vai trò', key: 'role', width: 12 },
      { header: 'Thời hạn', key: 'deadline', width: 18, date: true },
      { header: 'Ngày hoàn thành', key: 'doneAt', width: 18, date: true },
      { header: 'Tình trạng', key: 'status', width: 26 },
    ],
    input.taskParts.map((p) => ({
      ...p,
      role: p.role === 'lead' ? 'Chủ trì' : 'Phối hợp',
      status: STATUS_VI[p.status] ?? p.status,
    })),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
