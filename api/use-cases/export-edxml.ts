/**
 * An issued directive or implementing document as an edXML package (documents/edxml.ts):
 * readable by whoever may read its cascade. The envelope carries what the read model
 * keeps (number, kind, title, date, issuer, recipients); the text travels as a plain-text
 * attachment. The place and signer are not kept with a directive, so they are left empty.
 */
import { exportEdxml } from '../../documents/edxml';
import type { Principal } from '../auth';
import { ApiError } from '../errors';
import { readScope } from '../permissions';
import { rootDirective, type ReadStore } from './read-directive';

/** "145/KH-UBND" → ["145", "KH-UBND"]; "70-KL/TW" (the Party's style) → ["70", "KL/TW"]. */
export function splitNumber(number: string): [string, string] {
  const m = /^(\d+[a-z]?)[/-](.+)$/u.exec(number);
  return m ? [m[1]!, m[2]!] : ['', number];
}

/** YYYY-MM-DD of a moment in Vietnam (UTC+7). */
const vnDay = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

export async function exportDirectiveEdxml(store: ReadStore, p: Principal, id: string): Promise<{ data: Buffer; filename: string }> {
  const doc = await store.directives.find(id);
  if (!doc) throw new ApiError(404, 'NOT_FOUND', `no directive ${id}`);
  await readScope(store, p, await rootDirective(store, doc.rootId));
  const named = await store.units.named([doc.issuerCode, ...doc.recipients]);
  const name = (code: string) => named.find((u) => u.code === code)?.name ?? code;
  const [codeNumber, codeNotation] = splitNumber(doc.number);
  const xml = exportEdxml({
    from: { organId: doc.issuerCode, organName: name(doc.issuerCode) },
    to: doc.recipients.map((code) => ({ organId: code, organName: name(code) })),
    codeNumber,
    codeNotation,
    place: '',
    promulgationDate: vnDay(doc.issuedAt),
    documentType: doc.kind,
    subject: doc.title,
    signer: {},
    toPlaces: doc.recipients.map(name),
    steeringType: '0',
    attachments: doc.body ? [{ name: 'van-ban.txt', contentType: 'text/plain; charset=utf-8', data: Buffer.from(doc.body, 'utf8') }] : [],
  });
  return { data: Buffer.from(xml, 'utf8'), filename: `${doc.number.replace(/[^\p{L}\p{N}._-]+/gu, '-')}.edxml` };
}
