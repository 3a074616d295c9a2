/** The e-mails people receive: subjects naming the document and what is due, in Vietnamese or English. */
import { renderMail, type MailInput } from '../../domain/notifications/templates';
import { obligationInWords } from '../../domain/notifications/obligation-words';

const base: Omit<MailInput, 'kind' | 'payload' | 'language'> = {
  directive: { id: 'd1', number: '523/TTCS-TT', title: 'Tuyên truyền Kết luận số 70-KL/TW' },
  unitNames: { 'STTTT-PT': 'Sở TT&TT Phú Thọ' },
  recipientName: 'Văn thư',
  dashboardUrl: 'https://theodoi.example.gov.vn',
};
const payload = { directiveId: 'd1', unitCode: 'STTTT-PT', obligation: 'ack@1', deadline: '2026-11-25T10:00:00.000Z', rung: 1 };
const subject = (kind: string, language: 'vi' | 'en', extra: Record<string, unknown> = {}) =>
  renderMail({ ...base, kind, language, payload: { ...payload, ...extra } }).subject;

describe('renderMail', () => {
  test.each([
    ['reminder_due', 'vi', {}, '[Sắp đến hạn] 523/TTCS-TT — tiếp nhận trước 17:00 ngày 25/11/2026'],
    ['reminder_due', 'en', {}, '[Due soon] 523/TTCS-TT — acknowledge by 17:00 on 25/11/2026'],
    ['escalation_remind', 'vi', { obligation: 'concretize' }, '[Quá hạn] 523/TTCS-TT — ban hành văn bản triển khai, hạn 17:00 ngày 25/11/2026'],
    ['escalation_remind', 'en', { obligation: 'report#2' }, '[Overdue] 523/TTCS-TT — report for period 2, due 17:00 on 25/11/2026'],
    ['escalation_notify_parent', 'vi', {}, '[Đơn vị cấp dưới quá hạn] 523/TTCS-TT — Sở TT&TT Phú Thọ chưa tiếp nhận'],
    ['escalation_escalate_to_issuer', 'en', {}, '[Escalated to the issuer] 523/TTCS-TT — Sở TT&TT Phú Thọ has not done: acknowledge'],
    ['extension_requested', 'vi', { requestedDeadline: '2026-11-27T10:00:00.000Z' }, '[Xin gia hạn] 523/TTCS-TT — Sở TT&TT Phú Thọ xin gia hạn tiếp nhận'],
    ['extension_approved', 'vi', { requestedDeadline: '2026-11-27T10:00:00.000Z' }, '[Đồng ý gia hạn] 523/TTCS-TT — tiếp nhận trước 17:00 ngày 27/11/2026'],
    ['extension_rejected', 'en', { deadline: undefined, currentDeadline: '2026-11-25T10:00:00.000Z' }, '[Extension rejected] 523/TTCS-TT — acknowledge by 17:00 on 25/11/2026'],
    ['incident', 'vi', { reason: 'boom' }, '[Sự cố] 523/TTCS-TT — Sở TT&TT Phú Thọ'],
  ] as const)('when %s is rendered in %s then the subject reads as expected', (kind, lang, extra, expected) => {
    expect(subject(kind, lang, extra)).toBe(expected);
  });

  test('when a message is rendered then both bodies link the assignment in the dashboard and the HTML escapes text', () => {
    const mail = renderMail({ ...base, kind: 'reminder_due', language: 'vi', payload, directive: { ...base.directive!, title: 'A <b>&</b> B' } });
    const link = 'https://theodoi.example.gov.vn/dashboard/#/d/d1/u/STTTT-PT';
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain('A &lt;b&gt;&amp;&lt;/b&gt; B');
    expect(mail.text).toContain('Kính gửi Văn thư,');
  });

  test('when a digest is rendered then it counts by status and groups items by directive', () => {
    const mail = renderMail({
      ...base,
      directive: null,
      kind: 'digest',
      language: 'vi',
      payload: {
        unitCode: 'STTTT-PT',
        date: '2026-11-25',
        groups: [
          {
            directiveId: 'd1',
            number: '523/TTCS-TT',
            title: 'Tuyên truyền',
            items: [
              { unitCode: 'STTTT-PT', obligation: 'ack@1', deadline: '2026-11-24T10:00:00.000Z', status: 'overdue' },
              { unitCode: 'STTTT-PT', obligation: 'report#1', deadline: '2026-11-25T10:00:00.000Z', status: 'due_today' },
            ],
          },
        ],
      },
    });
    expect(mail.subject).toBe('[Tổng hợp ngày 25/11/2026] Sở TT&TT Phú Thọ: 1 quá hạn, 1 đến hạn hôm nay, 0 sắp đến hạn');
    expect(mail.text).toContain('523/TTCS-TT — Tuyên truyền');
    expect(mail.text).toContain('báo cáo kỳ 1 — đến hạn hôm nay (hạn 17:00 ngày 25/11/2026)');
  });
});

describe('obligationInWords', () => {
  test.each([
    ['ack@1', 'tiếp nhận'],
    ['ack@2', 'tiếp nhận văn bản sửa đổi'],
    ['concretize', 'ban hành văn bản triển khai'],
    ['report#2', 'báo cáo kỳ 2'],
    ['task:t1:lead#1', 'chủ trì thực hiện nhiệm vụ'],
    ['task:t1:coordinator#3', 'phối hợp thực hiện nhiệm vụ kỳ 3'],
    ['something-new', 'something-new'],
  ])('when the key is %s then it reads "%s"', (key, words) => {
    expect(obligationInWords(key, 'vi')).toBe(words);
  });
});
