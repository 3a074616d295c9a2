/**
 * Text shown as Markdown by the Temporal UI (workflow summaries and details, activity and
 * timer summaries) made to read as the plain text it is. Titles and numbers come from the
 * units; rendered as written, `[Bấm vào đây](http://…)` or `![](http://…)` would put a live
 * link or a remote image in an operator's screen. Every ASCII punctuation character is
 * backslash-escaped (CommonMark lets any of them be, and shows it as itself), which also
 * breaks bare autolinks (`http\:\/\/`, `www\.`) and e-mail links; line breaks become spaces,
 * so that no heading, list or quote can start.
 */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;

export function plainMarkdown(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(PUNCTUATION, (c) => `\\${c}`);
}
