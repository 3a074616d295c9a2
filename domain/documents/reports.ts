/**
 * The reporting duty a document sets: "định kỳ 6 tháng, hằng năm có sơ kết, tổng kết",
 * "báo cáo kết quả … trước ngày 15/9/2021". Decree 09/2019's regimes are the engine's
 * presets; a single date is a report due date.
 */
import { readDeadline } from './dates';
import type { LogicalLine } from './lines';
import type { Field, ReportDuty } from './types';

const REPORTING = /báo cáo(?!\s+viên)|sơ kết|tổng kết/iu;
const SIX_MONTHLY = /(?:định kỳ|hằng|hàng)\s+(?:0?6)\s+tháng|6 tháng một lần|sơ kết\s+(?:0?6)\s+tháng/iu;
const ANNUAL = /(?:hằng|hàng|định kỳ)\s+năm|tổng kết\s+năm/iu;

/** The first line that sets a reporting regime or a report date. */
export function readReports(lines: LogicalLine[]): Field<ReportDuty> | undefined {
  for (const l of lines) {
    if (!REPORTING.test(l.text)) continue;
    const sentence = l.text.split(/(?<=[.;])\s+/u).find((s) => REPORTING.test(s)) ?? l.text;
    const at = (regime: ReportDuty['regime'], confidence: number): Field<ReportDuty> => ({
      value: { regime, text: sentence },
      line: l.line,
      endLine: l.endLine,
      confidence,
    });
    if (SIX_MONTHLY.test(sentence)) return at('decree-09-six-monthly', 0.85);
    if (ANNUAL.test(sentence) && /báo cáo|tổng kết/iu.test(sentence)) return at('decree-09-annual', 0.75);
    if (/báo cáo/iu.test(sentence)) {
      const d = readDeadline(sentence);
      if (d.dueAt && /trước|chậm nhất|hạn/iu.test(sentence)) {
        return { value: { dueAt: d.dueAt, text: sentence }, line: l.line, endLine: l.endLine, confidence: d.confidence };
      }
    }
  }
  return undefined;
}
