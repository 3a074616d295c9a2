/**
 * Obligation keys in words, for people: `ack@1` → "tiếp nhận", `report#2` → "báo cáo kỳ 2",
 * `task:t1:lead#1` → "chủ trì thực hiện nhiệm vụ". Vietnamese first, English for a contact
 * who asked for it. An unknown key is shown as it is rather than hidden.
 */
export type MailLanguage = 'vi' | 'en';

export function obligationInWords(key: string, lang: MailLanguage): string {
  const ack = /^ack@(\d+)$/.exec(key);
  if (ack) {
    if (Number(ack[1]) <= 1) return lang === 'vi' ? 'tiếp nhận' : 'acknowledge';
    return lang === 'vi' ? 'tiếp nhận văn bản sửa đổi' : 'acknowledge the amendment';
  }
  if (key === 'concretize') return lang === 'vi' ? 'ban hành văn bản triển khai' : 'issue the implementing document';
  const report = /^report#(\d+)$/.exec(key);
  if (report) return lang === 'vi' ? `báo cáo kỳ ${report[1]}` : `report for period ${report[1]}`;
  const task = /^task:[^:]*:(lead|coordinator)#(\d+)$/.exec(key);
  if (task) {
    const cycle = Number(task[2]) > 1 ? (lang === 'vi' ? ` kỳ ${task[2]}` : ` (period ${task[2]})`) : '';
    if (task[1] === 'lead') return (lang === 'vi' ? 'chủ trì thực hiện nhiệm vụ' : 'lead the task') + cycle;
    return (lang === 'vi' ? 'phối hợp thực hiện nhiệm vụ' : 'coordinate on the task') + cycle;
  }
  return key;
}
