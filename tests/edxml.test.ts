/**
 * edXML packages: what is written is read back (with or without the `edXML:` prefix), and
 * a package's document reads into the same draft as the text it carries.
 */
import { EDXML_NS, exportEdxml, importEdxml, readEdxml, type EdxmlDocument } from '../documents/edxml';
import { parseDocument } from '../domain/documents/parse-document';
import { demoTree } from '../domain/units/demo-tree';

const plan: EdxmlDocument = {
  from: { organId: 'STTTT-VP', organName: 'Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc' },
  to: [
    { organId: 'VP-LT', organName: 'Đài Truyền thanh - Truyền hình huyện Lập Thạch' },
    { organId: 'VP-TD', organName: 'Đài Truyền thanh - Truyền hình huyện Tam Dương' },
  ],
  codeNumber: '212',
  codeNotation: 'KH-STTTT',
  place: 'Vĩnh Phúc',
  promulgationDate: '2021-08-10',
  documentType: 'Kế hoạch',
  subject: 'Tuyên truyền Kết luận số 70-KL/TW trên hệ thống thông tin cơ sở',
  signer: { competence: 'KT. GIÁM ĐỐC', position: 'Phó Giám đốc', fullName: 'Nguyễn Văn Hùng' },
  dueDate: '2021-10-15',
  toPlaces: ['Đài Truyền thanh - Truyền hình huyện Lập Thạch', 'Đài Truyền thanh - Truyền hình huyện Tam Dương'],
  steeringType: '1',
  attachments: [
    {
      name: 'ke-hoach.txt',
      contentType: 'text/plain',
      data: Buffer.from('Thực hiện Văn bản số 523/TTCS-TT ngày 29/7/2021 của Cục Thông tin cơ sở.\n1. Đài Truyền thanh - Truyền hình huyện Lập Thạch chủ trì xây dựng chuyên mục, hoàn thành trước ngày 15/10/2021.', 'utf8'),
    },
  ],
};

describe('when a package is exported and read back', () => {
  it('then every envelope field and attachment is the same', () => {
    const xml = exportEdxml(plan);
    expect(xml).toContain(`xmlns:edXML="${EDXML_NS}"`);
    expect(xml).toContain('<edXML:CodeNotation>KH-STTTT</edXML:CodeNotation>');
    expect(xml).toContain('<edXML:PromulgationDate>2021/08/10</edXML:PromulgationDate>');
    expect(readEdxml(xml)).toEqual(plan);
  });
  it('then a package written without the edXML: prefix reads the same', () => {
    const bare = exportEdxml(plan).replace(/edXML:(?!edXMLEnvelope\b)/g, '').replace(/<(\/?)edXMLEnvelope/g, '<$1edXMLEnvelope');
    expect(bare).not.toContain('<edXML:Code>');
    expect(readEdxml(bare).codeNotation).toBe('KH-STTTT');
  });
  it('then its draft carries the number, date, kind, recipients, basis, tasks and signer', () => {
    const units = demoTree();
    const { text } = importEdxml(exportEdxml(plan));
    const { draft, fields } = parseDocument({ text, issuer: units.find((u) => u.code === 'STTTT-VP')!, units: units.filter((u) => u.code.startsWith('VP-') || u.code === 'STTTT-VP') });
    expect(draft).toMatchObject({ number: '212/KH-STTTT', kind: 'Kế hoạch', issuedAt: '2021-08-10' });
    // The subject cites Kết luận 70 and the attached text Văn bản 523: both are its basis.
    expect(draft.basedOn.sort()).toEqual(['523/TTCS-TT', '70-KL/TW']);
    expect(draft.title).toBe(plan.subject);
    expect(draft.recipients!.sort()).toEqual(['VP-LT', 'VP-TD']);
    expect(draft.tasks[0]).toMatchObject({ leadUnitCode: 'VP-LT', dueAt: '2021-10-15' });
    expect(fields.place?.value).toBe('Vĩnh Phúc');
    expect(fields.signer?.value).toEqual({ competence: 'KT. GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC', name: 'Nguyễn Văn Hùng' });
  });
  it('then a file that is not an envelope is refused as unreadable', () => {
    expect(() => readEdxml('<edXML><nothing/></edXML>')).toThrow(/MessageHeader/);
  });
});
