/**
 * "Kính gửi:" and "Nơi nhận:": who receives the directive, who the issuer reports to
 * ("(để b/c)"), the archive ("Lưu: VT, …"), and copies to people or bodies outside the
 * issuer's subtree. "Như trên" repeats those named under "Kính gửi".
 */
import type { LogicalLine } from './lines';
import type { Field, RecipientEntry, Unresolved } from './types';
import type { UnitIndex } from './unit-names';

const REPORT_TO = /\(\s*(?:để\s+)?b\s*\/\s*c\s*\)|(?:^|\s)để\s+b\s*\/\s*c(?![\p{L}])/iu;
const FOR_INFORMATION = /\(\s*(?:để\s+biết|đ\s*\/\s*b)\s*\)/iu;
/** People and leadership: copies by nature, not units to match. */
const PERSON = /^(?:Bộ trưởng|Thứ trưởng|Phó TTCP|Thủ tướng|Phó Thủ tướng|Lãnh đạo|Ban Giám đốc|Đ\/c|Đồng chí|Các đ\/c|Các đồng chí|Chủ tịch|Phó Chủ tịch|PCT|CT|Giám đốc|Phó Giám đốc|Cục trưởng|Thường trực|TT\s)/iu;

const LIST_ITEM = /^[-+]\s*(.+?)[;,.]?$/u;

interface Ctx {
  units: UnitIndex;
  unresolved: Unresolved[];
}

const entryField = (entry: RecipientEntry, l: LogicalLine, confidence: number): Field<RecipientEntry> => ({
  value: entry,
  line: l.line,
  endLine: l.endLine,
  confidence,
});

/** Matches one named recipient; what names no unit below the issuer is listed for a person when `mustMatch`. */
function recipient(text: string, l: LogicalLine, ctx: Ctx, mustMatch: boolean): Field<RecipientEntry> {
  if (ctx.units.isIssuer(text)) return entryField({ text, units: [], role: 'copy' }, l, 0.8);
  const m = ctx.units.match(text);
  if (m.codes.length > 0) return entryField({ text, units: m.codes, role: 'recipient' }, l, m.confidence);
  if (mustMatch || !PERSON.test(text)) {
    ctx.unresolved.push({
      field: 'recipients',
      line: l.line,
      text,
      message: `${m.problem ?? 'not matched'}: choose the unit, or leave it as a copy outside the cascade`,
    });
  }
  return entryField({ text, units: [], role: 'copy' }, l, mustMatch ? 0.3 : 0.6);
}

/** The entries of a "Kính gửi" block: after the colon, or the list below it. */
function addressees(lines: LogicalLine[], at: number): Array<{ text: string; l: LogicalLine }> {
  const first = lines[at]!;
  const inline = first.text.replace(/^Kính gửi\s*:?\s*/u, '').trim();
  const out: Array<{ text: string; l: LogicalLine }> = [];
  if (inline) inline.split(/;\s*/u).forEach((t) => out.push({ text: t.replace(/^[-+]\s*/u, '').replace(/[.;,]$/u, ''), l: first }));
  for (let i = at + 1; i < lines.length; i++) {
    const item = LIST_ITEM.exec(lines[i]!.text);
    if (!item || /^[-+]\s*(?:Căn cứ|Thực hiện)/u.test(lines[i]!.text)) break;
    out.push({ text: item[1]!, l: lines[i]! });
  }
  return out.filter((a) => a.text);
}

export interface RecipientsRead {
  entries: Array<Field<RecipientEntry>>;
  /** Indexes of lines consumed (Kính gửi and Nơi nhận blocks), which are not body text. */
  consumed: Set<number>;
  /** Index of the "Nơi nhận" line, or -1. */
  copyListAt: number;
}

export function readRecipients(lines: LogicalLine[], ctx: Ctx): RecipientsRead {
  const entries: Array<Field<RecipientEntry>> = [];
  const consumed = new Set<number>();
  const named: Array<Field<RecipientEntry>> = [];
  const kg = lines.findIndex((l) => /^Kính gửi/u.test(l.text));
  if (kg >= 0) {
    const list = addressees(lines, kg);
    for (let i = kg; i <= kg + list.filter((a) => a.l !== lines[kg]).length; i++) consumed.add(i);
    for (const a of list) named.push(recipient(a.text, a.l, ctx, true));
    entries.push(...named);
  }
  const copyListAt = lines.findIndex((l, i) => i > kg && /^Nơi nhận\s*:?/u.test(l.text));
  if (copyListAt >= 0) {
    consumed.add(copyListAt);
    const inline = lines[copyListAt]!.text.replace(/^Nơi nhận\s*:?\s*/u, '');
    const items: Array<{ text: string; l: LogicalLine }> = inline ? [{ text: inline.replace(/^[-+]\s*/u, ''), l: lines[copyListAt]! }] : [];
    for (let i = copyListAt + 1; i < lines.length; i++) {
      const item = LIST_ITEM.exec(lines[i]!.text);
      if (!item) continue;
      consumed.add(i);
      items.push({ text: item[1]!, l: lines[i]! });
    }
    for (const { text, l } of items) {
      const clean = text.replace(/[;,.]+$/u, '').trim();
      if (/^Như trên/iu.test(clean)) continue;
      if (/^Lưu\s*:/iu.test(clean)) {
        entries.push(entryField({ text: clean, units: [], role: 'archive' }, l, 0.95));
        continue;
      }
      if (REPORT_TO.test(clean)) {
        const name = clean.replace(REPORT_TO, '').replace(/[\s;,.-]+$/u, '').trim();
        entries.push(entryField({ text: name, units: [], role: 'report-to' }, l, 0.95));
        continue;
      }
      if (FOR_INFORMATION.test(clean)) {
        entries.push(entryField({ text: clean.replace(FOR_INFORMATION, '').trim(), units: [], role: 'copy' }, l, 0.9));
        continue;
      }
      const r = recipient(clean, l, ctx, false);
      // A unit already named under Kính gửi keeps that entry.
      if (r.value.units.length && named.some((n) => n.value.units.join() === r.value.units.join())) continue;
      entries.push(r);
    }
  }
  return { entries, consumed, copyListAt };
}
