/**
 * edXML packages (QCVN 102:2016/BTTTT), the envelope documents travel in between agencies
 * over the national axis. The standard's XSD cannot be had here; the envelope follows what
 * public implementations build and read: a root `edXML` holding `edXML:edXMLEnvelope` with
 * `edXMLHeader/MessageHeader` (From, To, Code with CodeNumber = the number and
 * CodeNotation = the notation, PromulgationInfo with Place and a `YYYY/MM/DD`
 * PromulgationDate, DocumentType, Subject, SignerInfo, DueDate, ToPlaces, OtherInfo,
 * SteeringType), a TraceHeaderList, and `edXMLBody/edXMLManifest` references to
 * attachments carried base64 in `AttachmentEncoded` beside the envelope. Elements are
 * written with the `edXML:` prefix (some receivers refuse them without it) and read with
 * or without it.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { DocumentRejected } from './file-kind';

export const EDXML_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';

/** What a package says about its document. */
export interface EdxmlDocument {
  from: { organId: string; organName: string };
  to: Array<{ organId: string; organName: string }>;
  /** "145"; empty for a draft. */
  codeNumber: string;
  /** "KH-UBND". */
  codeNotation: string;
  place: string;
  /** YYYY-MM-DD. */
  promulgationDate?: string;
  /** "Kế hoạch", "Công văn". */
  documentType: string;
  subject: string;
  signer: { competence?: string; position?: string; fullName?: string };
  /** YYYY-MM-DD. */
  dueDate?: string;
  toPlaces: string[];
  /** 0: normal; 1: urgent … as public implementations use it. */
  steeringType: string;
  attachments: Array<{ name: string; contentType: string; data: Buffer }>;
}

const isoToEdxml = (d: string | undefined) => (d ? d.replace(/-/g, '/') : '');

/** "2024/02/05", "2024-02-05", "05/02/2024" → "2024-02-05". */
function edxmlDate(value: unknown): string | undefined {
  const s = String(value ?? '').trim();
  let m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})/.exec(s);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(s);
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : undefined;
}

/** Builds a package for a document. */
export function exportEdxml(doc: EdxmlDocument): string {
  const organ = (o: { organId: string; organName: string }) => ({
    'edXML:OrganId': o.organId,
    'edXML:OrganizationInCharge': o.organName,
    'edXML:OrganName': o.organName,
  });
  const refs = doc.attachments.map((a, i) => ({ ...a, id: `attachment-${i + 1}` }));
  const tree = {
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    edXML: {
      '@_xmlns': EDXML_NS,
      'edXML:edXMLEnvelope': {
        '@_xmlns:edXML': EDXML_NS,
        'edXML:edXMLHeader': {
          'edXML:MessageHeader': {
            'edXML:From': organ(doc.from),
            'edXML:To': doc.to.map(organ),
            'edXML:Code': { 'edXML:CodeNumber': doc.codeNumber, 'edXML:CodeNotation': doc.codeNotation },
            'edXML:PromulgationInfo': { 'edXML:Place': doc.place, 'edXML:PromulgationDate': isoToEdxml(doc.promulgationDate) },
            'edXML:DocumentType': { 'edXML:Type': '1', 'edXML:TypeName': doc.documentType },
            'edXML:Subject': doc.subject,
            'edXML:SignerInfo': {
              'edXML:Competence': doc.signer.competence ?? '',
              'edXML:Position': doc.signer.position ?? '',
              'edXML:FullName': doc.signer.fullName ?? '',
            },
            'edXML:DueDate': isoToEdxml(doc.dueDate),
            'edXML:ToPlaces': { 'edXML:Place': doc.toPlaces },
            'edXML:OtherInfo': { 'edXML:Priority': '0', 'edXML:PromulgationAmount': '1' },
            'edXML:SteeringType': doc.steeringType,
          },
          'edXML:TraceHeaderList': {
            'edXML:TraceHeader': { 'edXML:OrganId': doc.from.organId, 'edXML:Timestamp': isoToEdxml(doc.promulgationDate) },
          },
        },
        'edXML:edXMLBody': {
          'edXML:edXMLManifest': {
            '@_version': '1.0',
            'edXML:Reference': refs.map((r) => ({
              '@_xmlns:xlink': 'http://www.w3.org/1999/xlink',
              '@_xlink:href': `cid:${r.id}`,
              'edXML:AttachmentName': r.name,
              'edXML:ContentType': r.contentType,
              'edXML:ContentId': `cid:${r.id}`,
            })),
          },
        },
      },
      AttachmentEncoded: {
        Attachment: refs.map((r) => ({
          ContentType: r.contentType,
          ContentId: r.id,
          ContentTransferEncoded: r.data.toString('base64'),
          AttachmentName: r.name,
        })),
      },
    },
  };
  return new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: false }).build(tree) as string;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? '' : String(v).trim());

type Node = Record<string, unknown>;

/** Reads a package; throws DocumentRejected when it is not an edXML envelope. */
export function readEdxml(xml: string): EdxmlDocument {
  let root: Node;
  try {
    root = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, processEntities: true }).parse(xml) as Node;
  } catch (err) {
    throw new DocumentRejected(422, 'UNREADABLE_FILE', `the edXML package is not well-formed XML: ${(err as Error).message}`);
  }
  const top = (root.edXML ?? root) as Node;
  const envelope = top.edXMLEnvelope as Node | undefined;
  const header = (envelope?.edXMLHeader as Node | undefined)?.MessageHeader as Node | undefined;
  if (!header) throw new DocumentRejected(422, 'UNREADABLE_FILE', 'no edXMLEnvelope/edXMLHeader/MessageHeader in the package');
  const organ = (o: Node) => ({ organId: text(o.OrganId), organName: text(o.OrganName ?? o.OrganizationInCharge) });
  const code = (header.Code ?? {}) as Node;
  const prom = (header.PromulgationInfo ?? {}) as Node;
  const type = (header.DocumentType ?? {}) as Node;
  const signer = (header.SignerInfo ?? {}) as Node;
  const attachments = list((top.AttachmentEncoded as Node | undefined)?.Attachment as Node | Node[] | undefined).map((a) => ({
    name: text(a.AttachmentName) || text(a.ContentId),
    contentType: text(a.ContentType) || 'application/octet-stream',
    data: Buffer.from(text(a.ContentTransferEncoded), 'base64'),
  }));
  const promulgationDate = edxmlDate(prom.PromulgationDate ?? prom.Date);
  const dueDate = edxmlDate(header.DueDate);
  return {
    from: organ((header.From ?? {}) as Node),
    to: list(header.To as Node | Node[] | undefined).map(organ),
    codeNumber: text(code.CodeNumber),
    codeNotation: text(code.CodeNotation),
    place: text(prom.Place),
    ...(promulgationDate ? { promulgationDate } : {}),
    documentType: text(type.TypeName),
    subject: text(header.Subject),
    signer: { competence: text(signer.Competence), position: text(signer.Position), fullName: text(signer.FullName) },
    ...(dueDate ? { dueDate } : {}),
    toPlaces: list((header.ToPlaces as Node | undefined)?.Place as unknown).map(text).filter(Boolean),
    steeringType: text(header.SteeringType) || '0',
    attachments,
  };
}

/**
 * The package as a document in the Decree 30/2020 layout, so that the same parser reads it
 * (and a person reviews it) as any other: the envelope's fields first, then the text of
 * its plain-text attachments.
 */
export function edxmlAsText(doc: EdxmlDocument): string {
  const [y, m, d] = (doc.promulgationDate ?? '').split('-');
  const kind = doc.documentType || 'Công văn';
  const letter = /^công văn$/iu.test(kind);
  const body = doc.attachments
    .filter((a) => /^text\/plain/i.test(a.contentType) || /\.txt$/i.test(a.name))
    .map((a) => a.data.toString('utf8'))
    .join('\n\n');
  const lines = [
    doc.from.organName.toLocaleUpperCase('vi'),
    `Số: ${doc.codeNumber}${doc.codeNotation ? `/${doc.codeNotation}` : ''}`,
    `${doc.place ? `${doc.place}, ` : ''}ngày ${d ? Number(d) : ''} tháng ${m ? Number(m) : ''} năm ${y ?? ''}`,
    ...(letter ? [`V/v ${doc.subject}`] : [kind.toLocaleUpperCase('vi'), doc.subject]),
    ...(doc.toPlaces.length ? ['Kính gửi:', ...doc.toPlaces.map((p) => `- ${p};`)] : []),
    '',
    body,
    '',
    'Nơi nhận:',
    '- Như trên;',
    '- Lưu: VT.',
    ...(doc.signer.competence ? [doc.signer.competence] : []),
    ...(doc.signer.position ? [doc.signer.position.toLocaleUpperCase('vi')] : []),
    ...(doc.signer.fullName ? [doc.signer.fullName] : []),
  ];
  return lines.join('\n');
}

/** Reads a package into the text the parser takes, with the package itself. */
export function importEdxml(xml: string): { text: string; document: EdxmlDocument } {
  const document = readEdxml(xml);
  return { text: edxmlAsText(document), document };
}
