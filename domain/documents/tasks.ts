/**
 * Tasks from the numbered items of the body: "1.", "1.1.", "a)" (or, in a letter without
 * numbers, its "- " items), with their lead unit ("X chủ trì", "Giao X chủ trì", "Đầu
 * mối: X", or the unit a heading names for the items below it), coordinating units
 * ("phối hợp với Y, Z") and deadline ("Thời gian thực hiện: Quý I/2021", "trước ngày
 * 15/9/2021", "hằng năm").
 */
import { RELATIVE_DEADLINE, readDeadline } from './dates';
import type { LogicalLine } from './lines';
import type { Field, ParsedTask, Unresolved } from './types';
import type { UnitIndex } from './unit-names';

const ROMAN_HEADING = /^([IVX]+)\.\s+(.*)$/u;
const NUMBERED = /^(\d+(?:\.\d+)*)[.)]\s+(.*)$/u;
const LETTERED = /^([a-zđ])\)\s+(.*)$/u;
const TIME_LINE = /^(?:Thời gian(?: thực hiện| hoàn thành)?|Thời hạn(?: hoàn thành)?|Tiến độ)\s*:\s*(.+)$/iu;
const INLINE_DEADLINE = /(?:(?:hoàn thành|xong|báo cáo[^.;]*?)\s+)?(?:trước|chậm nhất(?: là)?|trong|đến(?: hết)?)\s+(?:ngày\s+\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|quý\s+[IV\d]+\/\d{4}|tháng\s+\d{1,2}\/\d{4}|năm\s+\d{4})/iu;
/** Sections whose items are tasks; "Mục đích, yêu cầu" is not one. */
const TASK_SECTION = /NHIỆM VỤ|NỘI DUNG|GIẢI PHÁP|CÔNG VIỆC|TỔ CHỨC THỰC HIỆN|TRIỂN KHAI/u;
const NOT_TASKS = /MỤC ĐÍCH|YÊU CẦU$|KẾT QUẢ|TÌNH HÌNH|ĐÁNH GIÁ/u;
/** Where coordinating units end: the verb of the task. */
const VERB =
  /\s(?:xây dựng|(?<!các)(?<!các\s)tổ chức|triển khai|thực hiện|hướng dẫn|rà soát|tuyên truyền|cụ thể hóa|cụ thể hoá|nghiên cứu|kiểm tra|đẩy mạnh|tham mưu|báo cáo|bố trí|chỉ đạo|phổ biến|quán triệt|theo dõi|đôn đốc|tập trung|ký kết|để|nhằm|trong|tại|về)(?=[\s,.;:]|$)/u;

interface Item {
  ref: string;
  depth: number;
  text: string;
  line: LogicalLine;
  /** Lines below the item that are not items themselves (details, "Thời gian: …"). */
  details: LogicalLine[];
  children: Item[];
}

interface Ctx {
  units: UnitIndex;
  unresolved: Unresolved[];
}

/** Which lines hold the tasks: the task sections when the body has Roman sections, else all of it. */
function taskLines(body: LogicalLine[]): LogicalLine[] {
  const headings = body.map((l, i) => ({ i, m: ROMAN_HEADING.exec(l.text) })).filter((h) => h.m && /\p{Lu}{3}/u.test(h.m[2]!));
  if (headings.length === 0) return body;
  const sections = headings.map((h, k) => ({ title: h.m![2]!, lines: body.slice(h.i + 1, headings[k + 1]?.i ?? body.length) }));
  const tasks = sections.filter((s) => TASK_SECTION.test(s.title) && !NOT_TASKS.test(s.title));
  // "Tổ chức thực hiện" assigns the same work again by unit: read it only when nothing else holds tasks.
  const main = tasks.filter((s) => !/TỔ CHỨC THỰC HIỆN/u.test(s.title));
  return (main.length ? main : tasks).flatMap((s) => s.lines);
}

/** The items of the lines as a tree by their numbering ("1" > "1.1" > "a"). */
function itemTree(lines: LogicalLine[], dashes: boolean): Item[] {
  const roots: Item[] = [];
  const stack: Item[] = [];
  for (const l of lines) {
    const n = NUMBERED.exec(l.text);
    const a = n ? null : LETTERED.exec(l.text);
    const d = n || a || !dashes ? null : /^-\s+(.*)$/u.exec(l.text);
    const item: Item | null = n
      ? { ref: n[1]!, depth: n[1]!.split('.').length, text: n[2]!, line: l, details: [], children: [] }
      : a
        ? { ref: stack.length ? `${stack.filter((i) => i.depth < 10).at(-1)?.ref ?? ''}.${a[1]!}`.replace(/^\./, '') : a[1]!, depth: 10, text: a[2]!, line: l, details: [], children: [] }
        : d
          ? { ref: String(roots.length + 1), depth: 1, text: d[1]!, line: l, details: [], children: [] }
          : null;
    if (!item) {
      stack.at(-1)?.details.push(l);
      continue;
    }
    while (stack.length && stack.at(-1)!.depth >= item.depth) stack.pop();
    (stack.at(-1)?.children ?? roots).push(item);
    stack.push(item);
  }
  return roots;
}

/** A heading naming who does the items below it: "1. Liên minh HTX Việt Nam.", "2. UBND các huyện, thành phố:". */
function performerOf(item: Item, ctx: Ctx): { text: string; code?: string } | undefined {
  const name = item.text.replace(/[.:]+$/u, '').replace(/^(?:Đối với|Giao)\s+/iu, '').split(':')[0]!.trim();
  if (name.length > 120) return undefined;
  if (ctx.units.isIssuer(name)) return { text: name, code: ctx.units.issuer.code };
  const m = ctx.units.match(name);
  if (m.codes.length === 1 && m.confidence >= 0.7) return { text: name, code: m.codes[0]! };
  if (m.codes.length > 1) return { text: name };
  return undefined;
}

/** Splits "Văn phòng Quốc hội, Văn phòng Chính phủ và Sở Tài chính" into names. */
const splitNames = (text: string): string[] =>
  text
    // "Bộ Thông tin và Truyền thông", "tỉnh ủy, thành ủy" stay whole: a name starts in capitals or with a kind word.
    .split(/\s*[,;]\s*(?=\p{Lu}|các\s)|\s+và\s+(?=(?:các\s+)?(?:Bộ|Sở|Ban|Văn phòng|UBND|Ủy ban|Uỷ ban|Đài|Báo|Trung tâm|Hội|Liên minh|Cục|Vụ|Tổng|Mặt trận|Đoàn|Phòng|Trường|Viện|Thông tấn|Công an|Bộ Chỉ huy|Kho bạc|Chi cục)(?=\s))/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 2);

function matchUnit(text: string, ctx: Ctx): { text: string; code?: string } {
  if (ctx.units.isIssuer(text)) return { text, code: ctx.units.issuer.code };
  const m = ctx.units.match(text);
  return m.codes.length === 1 ? { text, code: m.codes[0]! } : { text };
}

/** Lead and coordinating units as the item's words give them. */
function readRoles(text: string, ctx: Ctx): Pick<ParsedTask, 'lead' | 'coordinating'> {
  const out: Pick<ParsedTask, 'lead' | 'coordinating'> = { coordinating: [] };
  const lead =
    /(?:Giao|giao)\s+(.+?)\s+(?:chủ trì|làm đầu mối|là cơ quan chủ trì)/u.exec(text) ??
    /(?:Cơ quan|Đơn vị)\s+chủ trì\s*:\s*([^;.]+)/iu.exec(text) ??
    /Đầu mối\s*:\s*([^;.]+)/iu.exec(text) ??
    /^([^,:;]{3,100}?)(?:\s*:\s*|\s+)(?:chủ trì|làm đầu mối|đầu mối)/u.exec(text);
  if (lead) out.lead = matchUnit(lead[1]!.trim(), ctx);
  else {
    // "Sở Tài chính bố trí kinh phí …": the unit the sentence opens with does the task.
    const subject = ` ${text}`.split(VERB)[0]!.trim();
    const m = subject.length > 3 && subject.length < 120 ? ctx.units.match(subject) : undefined;
    if (m && m.codes.length === 1 && m.confidence >= 0.8) out.lead = { text: subject, code: m.codes[0]! };
  }
  const coordinating =
    /(?:Cơ quan|Đơn vị)\s+phối hợp\s*:\s*([^.]+)/iu.exec(text) ?? /phối hợp(?:\s+với)?\s+(.+)$/iu.exec(text);
  if (coordinating) {
    const after = ` ${coordinating[1]!}`;
    const upTo = after.search(VERB);
    const names = after.slice(0, upTo >= 0 ? upTo : 200).replace(/\(.*?\)/gu, '');
    out.coordinating = splitNames(names).map((n) => matchUnit(n, ctx));
  }
  return out;
}

/** The deadline of an item: its "Thời gian thực hiện" line, else its own words. */
function readTime(item: Item): Pick<ParsedTask, 'dueAt' | 'recurrence' | 'timeText'> & { confidence: number; relative?: string } {
  const timeLine = item.details.map((l) => TIME_LINE.exec(l.text)).find(Boolean);
  const text = timeLine?.[1] ?? INLINE_DEADLINE.exec(item.text)?.[0] ?? (/(?:hằng|hàng)\s+(?:năm|tháng|quý|tuần)|định kỳ\s+\d+\s+tháng/iu.exec(item.text)?.[0] ?? '');
  if (!text) return { confidence: 0 };
  const d = readDeadline(text);
  const relative = RELATIVE_DEADLINE.exec(text)?.[0];
  return {
    timeText: text,
    confidence: d.confidence,
    ...(d.dueAt ? { dueAt: d.dueAt } : {}),
    ...(d.recurrence ? { recurrence: d.recurrence } : {}),
    ...(relative ? { relative } : {}),
  };
}

/**
 * The tasks of the body. Leaves of the item tree are tasks; an item with items below it
 * is a heading whose performer leads them unless they name their own lead.
 */
export function readTasks(body: LogicalLine[], ctx: Ctx): Array<Field<ParsedTask>> {
  const lines = taskLines(body);
  const numbered = lines.some((l) => NUMBERED.test(l.text) || LETTERED.test(l.text));
  const out: Array<Field<ParsedTask>> = [];
  const visit = (item: Item, performer: { text: string; code?: string } | undefined) => {
    if (item.children.length) {
      const own = performerOf(item, ctx);
      item.children.forEach((c) => visit(c, own ?? performer));
      return;
    }
    const roles = readRoles(item.text, ctx);
    const time = readTime(item);
    const lead = roles.lead ?? performer;
    const text = item.text.replace(/\s*\.\/\.$/u, '.');
    const title = text.length > 500 ? `${text.slice(0, 497)}…` : text;
    const task: ParsedTask = {
      ref: item.ref,
      title,
      ...(lead ? { lead } : {}),
      coordinating: roles.coordinating,
      ...(time.dueAt ? { dueAt: time.dueAt } : {}),
      ...(time.recurrence ? { recurrence: time.recurrence } : {}),
      ...(time.timeText ? { timeText: time.timeText } : {}),
    };
    const index = out.length;
    if (time.relative && !time.dueAt) {
      ctx.unresolved.push({ field: `tasks.${index}.dueAt`, line: item.line.line, text: time.relative, message: 'a deadline relative to a day the document does not give: write the date' });
    } else if (time.timeText && !time.dueAt && !time.recurrence) {
      ctx.unresolved.push({ field: `tasks.${index}.dueAt`, line: item.line.line, text: time.timeText, message: 'a deadline that is not a date: write the date, or leave the task without one' });
    }
    const outside = roles.coordinating.filter((c) => !c.code).map((c) => c.text);
    if (outside.length) {
      ctx.unresolved.push({ field: `tasks.${index}.coordinatingUnits`, line: item.line.line, text: outside.join('; '), message: 'not units below the issuer: choose units, or leave them out (they will not be tracked)' });
    }
    if (lead && !lead.code && roles.lead) {
      ctx.unresolved.push({ field: `tasks.${index}.leadUnitCode`, line: item.line.line, text: lead.text, message: 'the lead unit is not a unit below the issuer: choose it' });
    }
    const last = item.details.at(-1) ?? item.line;
    out.push({ value: task, line: item.line.line, endLine: last.endLine, confidence: Math.min(0.9, 0.6 + (lead?.code ? 0.15 : 0) + (time.confidence > 0 ? 0.15 : 0)) });
  };
  itemTree(lines, !numbered).forEach((i) => visit(i, undefined));
  return out;
}
