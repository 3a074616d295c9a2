/**
 * The e-mail of one notification to one contact: a subject naming the document and what is
 * due ("[Sắp đến hạn] 523/TTCS-TT — tiếp nhận trước 17:00 ngày 25/11/2026"), a plain-text and
 * an HTML body with a link to the assignment in the dashboard. Vietnamese first, English for
 * a contact who chose it; times in Vietnam's local time. Pure: everything looked up in the
 * read model (the directive, unit names) is passed in.
 */
import { obligationInWords, type MailLanguage } from './obligation-words';
import { vnDate, vnLocalParts } from './local-time';

export interface MailDirective {
  id: string;
  number: string;
  title: string;
}

export interface MailInput {
  kind: string;
  payload: Record<string, unknown>;
  language: MailLanguage;
  /** The directive the message is about (null for a digest, or when it is gone). */
  directive: MailDirective | null;
  /** Unit names by code, for the units the payload names. */
  unitNames: Readonly<Record<string, string>>;
  /** The contact's name, for the greeting. */
  recipientName: string;
  /** Where the dashboard is served, e.g. http://localhost:3000 (no trailing slash). */
  dashboardUrl: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** A digest's items as the lead engineer's digest workflow writes them. */
interface DigestItem {
  assignmentId?: string;
  unitCode: string;
  obligation: string;
  deadline: string;
  status: 'overdue' | 'due_today' | 'due_soon';
}
interface DigestGroup {
  directiveId: string;
  number: string;
  title: string;
  items: DigestItem[];
}

/** The parts of a message before they become text or HTML. */
interface Notice {
  tag: string;
  headline: string;
  paragraphs: string[];
  /** Lines under a heading each (a digest's directives). */
  sections: Array<{ heading: string; link: string; lines: string[] }>;
  link: { href: string; label: string } | null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

const T = {
  vi: {
    greeting: (name: string) => `Kính gửi ${name},`,
    open: 'Mở trong hệ thống theo dõi',
    footer: 'Thư tự động của hệ thống theo dõi văn bản chỉ đạo. Không trả lời thư này.',
    by: (t: { time: string; date: string }) => `trước ${t.time} ngày ${t.date}`,
    since: (t: { time: string; date: string }) => `hạn ${t.time} ngày ${t.date}`,
    document: (d: MailDirective) => `Văn bản ${d.number}: ${d.title}`,
    status: { overdue: 'quá hạn', due_today: 'đến hạn hôm nay', due_soon: 'sắp đến hạn' },
  },
  en: {
    greeting: (name: string) => `Dear ${name},`,
    open: 'Open in the directive tracker',
    footer: 'An automatic message of the directive tracker. Do not reply.',
    by: (t: { time: string; date: string }) => `by ${t.time} on ${t.date}`,
    since: (t: { time: string; date: string }) => `due ${t.time} on ${t.date}`,
    document: (d: MailDirective) => `Document ${d.number}: ${d.title}`,
    status: { overdue: 'overdue', due_today: 'due today', due_soon: 'due soon' },
  },
} as const;

function assignmentLink(input: MailInput, directiveId: string, unitCode: string): string {
  return `${input.dashboardUrl}/dashboard/#/d/${encodeURIComponent(directiveId)}/u/${encodeURIComponent(unitCode)}`;
}

function unitName(input: MailInput, code: string): string {
  return input.unitNames[code] ?? code;
}

/** The notice of a message about one obligation of one unit (reminders, escalations, extensions). */
function obligationNotice(input: MailInput): Notice {
  const { payload, language: lang, kind } = input;
  const t = T[lang];
  const vi = lang === 'vi';
  const number = input.directive?.number ?? str(payload.directiveId);
  const unitCode = str(payload.unitCode);
  const unit = unitName(input, unitCode);
  const what = obligationInWords(str(payload.obligation), lang);
  const deadline = str(payload.deadline || payload.currentDeadline);
  const due = deadline ? vnLocalParts(deadline) : null;
  const requested = payload.requestedDeadline ? vnLocalParts(str(payload.requestedDeadline)) : null;
  const [tag, headline, paragraph] = ((): [string, string, string] => {
    switch (kind) {
      case 'reminder_due':
        return vi
          ? ['Sắp đến hạn', `${number} — ${what} ${due ? t.by(due) : ''}`, `${unit} cần ${what} ${due ? t.by(due) : ''}.`]
          : ['Due soon', `${number} — ${what} ${due ? t.by(due) : ''}`, `${unit} is to ${what} ${due ? t.by(due) : ''}.`];
      case 'escalation_remind':
        return vi
          ? ['Quá hạn', `${number} — ${what}, ${due ? t.since(due) : ''}`, `${unit} chưa ${what}; ${due ? t.since(due) : ''} đã qua.`]
          : ['Overdue', `${number} — ${what}, ${due ? t.since(due) : ''}`, `${unit} has not yet done this: ${what}, ${due ? t.since(due) : ''}.`];
      case 'escalation_notify_parent':
        return vi
          ? ['Đơn vị cấp dưới quá hạn', `${number} — ${unit} chưa ${what}`, `${unit} chưa ${what}; ${due ? t.since(due) : ''} đã qua. Đề nghị đôn đốc.`]
          : ['Overdue below', `${number} — ${unit} has not done: ${what}`, `${unit} is late: ${what}, ${due ? t.since(due) : ''}. Please follow up.`];
      case 'escalation_escalate_to_issuer':
        return vi
          ? ['Báo cáo cơ quan ban hành', `${number} — ${unit} chưa ${what}`, `${unit} vẫn chưa ${what}; ${due ? t.since(due) : ''} đã qua.`]
          : ['Escalated to the issuer', `${number} — ${unit} has not done: ${what}`, `${unit} is still late: ${what}, ${due ? t.since(due) : ''}.`];
      case 'extension_requested':
        return vi
          ? ['Xin gia hạn', `${number} — ${unit} xin gia hạn ${what}`, `${unit} xin gia hạn ${what} đến ${requested ? `${requested.time} ngày ${requested.date}` : ''}. Lý do: ${str(payload.reason)}`]
          : ['Extension requested', `${number} — ${unit} asks to extend: ${what}`, `${unit} asks for ${requested ? `${requested.time} on ${requested.date}` : 'a later deadline'} to ${what}. Reason: ${str(payload.reason)}`];
      case 'extension_approved':
        return vi
          ? ['Đồng ý gia hạn', `${number} — ${what} ${requested ? t.by(requested) : ''}`, `Đề nghị gia hạn đã được chấp thuận: ${what} ${requested ? t.by(requested) : ''}.`]
          : ['Extension approved', `${number} — ${what} ${requested ? t.by(requested) : ''}`, `Your extension was approved: ${what} ${requested ? t.by(requested) : ''}.`];
      case 'extension_rejected':
        return vi
          ? ['Không đồng ý gia hạn', `${number} — ${what} ${due ? t.by(due) : ''}`, `Đề nghị gia hạn không được chấp thuận; hạn giữ nguyên: ${what} ${due ? t.by(due) : ''}.`]
          : ['Extension rejected', `${number} — ${what} ${due ? t.by(due) : ''}`, `Your extension was rejected; the deadline stands: ${what} ${due ? t.by(due) : ''}.`];
      case 'incident':
        return vi
          ? ['Sự cố', `${number} — ${unit}`, `Hệ thống không thể tiếp tục xử lý văn bản của ${unit}: ${str(payload.reason)}. Quản trị viên có thể thử lại.`]
          : ['Incident', `${number} — ${unit}`, `The engine could not carry on ${unit}'s assignment: ${str(payload.reason)}. An administrator can retry it.`];
      default:
        return [vi ? 'Thông báo' : 'Notice', `${number} — ${kind}`, `${unit}: ${kind}`];
    }
  })();
  const paragraphs = [paragraph.replace(/\s+([.;,])/g, '$1').trim()];
  if (input.directive) paragraphs.unshift(t.document(input.directive));
  if (payload.role && kind !== 'incident') paragraphs.push(vi ? `Vai trò: ${payload.role === 'lead' ? 'chủ trì' : 'phối hợp'}.` : `Role: ${str(payload.role)}.`);
  const directiveId = str(payload.directiveId) || input.directive?.id || '';
  return {
    tag,
    headline: headline.replace(/\s+$/, '').replace(/,\s*$/, ''),
    paragraphs,
    sections: [],
    link: directiveId && unitCode ? { href: assignmentLink(input, directiveId, unitCode), label: t.open } : null,
  };
}

function digestNotice(input: MailInput): Notice {
  const { payload, language: lang } = input;
  const t = T[lang];
  const vi = lang === 'vi';
  const groups = (Array.isArray(payload.groups) ? payload.groups : []) as DigestGroup[];
  const unit = unitName(input, str(payload.unitCode));
  const items = groups.flatMap((g) => g.items);
  const count = (s: DigestItem['status']) => items.filter((i) => i.status === s).length;
  const day = payload.date ? vnDate(str(payload.date)) : '';
  const counts = vi
    ? `${count('overdue')} quá hạn, ${count('due_today')} đến hạn hôm nay, ${count('due_soon')} sắp đến hạn`
    : `${count('overdue')} overdue, ${count('due_today')} due today, ${count('due_soon')} due soon`;
  return {
    tag: vi ? `Tổng hợp ngày ${day}` : `Digest ${day}`,
    headline: `${unit}: ${counts}`,
    paragraphs: [vi ? `Việc cần làm của ${unit}, theo văn bản:` : `What ${unit} owes, by document:`],
    sections: groups.map((g) => ({
      heading: `${g.number} — ${g.title}`,
      link: assignmentLink(input, g.directiveId, str(payload.unitCode)),
      lines: g.items.map((i) => {
        const due = vnLocalParts(i.deadline);
        const who = i.unitCode === payload.unitCode ? '' : `${unitName(input, i.unitCode)}: `;
        return `${who}${obligationInWords(i.obligation, lang)} — ${t.status[i.status]} (${t.since(due)})`;
      }),
    })),
    link: null,
  };
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function toText(n: Notice, input: MailInput): string {
  const t = T[input.language];
  const lines = [t.greeting(input.recipientName), '', ...n.paragraphs];
  for (const s of n.sections) lines.push('', s.heading, ...s.lines.map((l) => `  - ${l}`), `  ${s.link}`);
  if (n.link) lines.push('', `${n.link.label}: ${n.link.href}`);
  lines.push('', '--', t.footer);
  return `${lines.join('\n')}\n`;
}

function toHtml(n: Notice, input: MailInput, subject: string): string {
  const t = T[input.language];
  const p = (s: string) => `<p>${escapeHtml(s)}</p>`;
  const a = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
  const sections = n.sections.map(
    (s) =>
      `<h3>${a(s.link, s.heading)}</h3><ul>${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
  );
  return [
    `<!doctype html><html lang="${input.language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif">',
    p(t.greeting(input.recipientName)),
    ...n.paragraphs.map(p),
    ...sections,
    n.link ? `<p>${a(n.link.href, n.link.label)}</p>` : '',
    `<hr><p style="color:#666;font-size:small">${escapeHtml(t.footer)}</p>`,
    '</body></html>',
  ].join('\n');
}

/** The e-mail of one notification for one contact. */
export function renderMail(input: MailInput): RenderedMail {
  const notice = input.kind === 'digest' ? digestNotice(input) : obligationNotice(input);
  const subject = `[${notice.tag}] ${notice.headline}`;
  return { subject, text: toText(notice, input), html: toHtml(notice, input, subject) };
}
