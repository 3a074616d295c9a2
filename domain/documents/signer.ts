/**
 * The signature block: competence ("KT. GIÁM ĐỐC" signs for the director, "TM. ỦY BAN NHÂN
 * DÂN" on behalf of a collective, "TL.", "TUQ.", "Q."), the title in capitals, the name.
 */
import { isCapitals, type LogicalLine } from './lines';
import type { Field, Signer } from './types';

const COMPETENCE = /^(?:KT|TM|TL|TUQ|Q)\.\s*\S/u;
const TITLE = /(?:TRƯỞNG|GIÁM ĐỐC|CHỦ TỊCH|BÍ THƯ|CHÁNH|THỦ TRƯỞNG|TỔNG|VIỆN TRƯỞNG|PHÓ)/u;
/** Two to five capitalised words: a Vietnamese full name. */
const NAME = /^\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){1,4}$/u;

/** Reads the block from the last lines of the document (it may come before or after "Nơi nhận"). */
export function readSigner(lines: LogicalLine[], from: number): Field<Signer> | undefined {
  const tail = lines.slice(from);
  const at = tail.findIndex((l) => COMPETENCE.test(l.text));
  const titleAt = at >= 0 ? at + 1 : tail.findIndex((l) => isCapitals(l.text) && TITLE.test(l.text) && l.text.length < 60);
  if (titleAt < 0 && at < 0) return undefined;
  const signer: Signer = {};
  if (at >= 0) signer.competence = tail[at]!.text;
  const title = tail[titleAt];
  if (title && isCapitals(title.text)) signer.title = title.text;
  const name = tail.slice(Math.max(titleAt, at) + 1).find((l) => NAME.test(l.text) && !/^(?:Nơi nhận|Như trên)/u.test(l.text));
  if (name) signer.name = name.text;
  const first = tail[at >= 0 ? at : titleAt]!;
  const last = name ?? title ?? first;
  const found = Number(!!signer.competence) + Number(!!signer.title) + Number(!!signer.name);
  return { value: signer, line: first.line, endLine: last.endLine, confidence: found === 3 ? 0.95 : 0.7 };
}
