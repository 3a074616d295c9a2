/**
 * `npm run bench:parse`: reads every document of the corpus (tests/fixtures/documents)
 * and prints, per field, precision and recall against the expected fields, then the
 * parse time per document (median of 50 runs after 5 warm-up runs, on this machine).
 */
import { performance } from 'node:perf_hooks';
import { addScores, loadCorpus, parseCorpusDocument, precision, recall, scoreDocument, type Score } from './parse/corpus';

const RUNS = 50;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);

function main(): void {
  const corpus = loadCorpus();
  const totals: Record<string, Score> = {};
  const times: Array<{ file: string; ms: number; lines: number }> = [];
  for (const doc of corpus) {
    const { parsed, text } = parseCorpusDocument(doc);
    addScores(totals, scoreDocument(doc, parsed));
    for (let i = 0; i < 5; i++) parseCorpusDocument(doc);
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      parseCorpusDocument(doc);
      samples.push(performance.now() - t0);
    }
    times.push({ file: doc.file, ms: median(samples), lines: text.split('\n').length });
  }
  console.log(`Corpus: ${corpus.length} documents (tests/fixtures/documents)\n`);
  console.log(`${'field'.padEnd(20)} precision  recall   (correct / found / expected)`);
  for (const [field, s] of Object.entries(totals)) {
    console.log(`${field.padEnd(20)} ${pct(precision(s))}  ${pct(recall(s))}   (${s.tp} / ${s.predicted} / ${s.expected})`);
  }
  console.log(`\n${'document'.padEnd(36)} lines  parse ms (median of ${RUNS})`);
  for (const t of times) console.log(`${t.file.padEnd(36)} ${String(t.lines).padStart(5)}  ${t.ms.toFixed(2).padStart(8)}`);
}

main();
