/**
 * The parser over the document corpus: every field at least as good as measured when the
 * corpus was written (`npm run bench:parse` prints the figures), and no field guessed
 * where the document leaves it blank.
 */
import { addScores, loadCorpus, parseCorpusDocument, precision, recall, scoreDocument, type Score } from '../bench/parse/corpus';

const corpus = loadCorpus();
const totals: Record<string, Score> = {};
for (const doc of corpus) addScores(totals, scoreDocument(doc, parseCorpusDocument(doc).parsed));

describe('when the corpus is read', () => {
  it('then it holds at least 12 documents of the four kinds', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(12);
    expect(new Set(corpus.map((d) => d.kind))).toEqual(new Set(['Công văn', 'Kế hoạch', 'Chỉ thị', 'Quyết định']));
  });
  it.each(Object.keys(totals))('then %s keeps precision 1.0 where it must and recall of at least 0.85', (field) => {
    const s = totals[field]!;
    // Header and recipient fields are never guessed: a wrong value is worse than none.
    if (field !== 'unresolved' && field !== 'title') expect(precision(s)).toBe(1);
    expect(recall(s)).toBeGreaterThanOrEqual(0.85);
  });
  it('then a document with a blank number and day answers neither, and lists both', () => {
    const doc = corpus.find((d) => d.file === 'cong-van-draft-so-trong.txt')!;
    const { parsed } = parseCorpusDocument(doc);
    expect(parsed.draft.number).toBeUndefined();
    expect(parsed.draft.issuedAt).toBeUndefined();
    expect(parsed.fields.notation?.value).toBe('STTTT-TTBCXB');
    expect(parsed.unresolved.map((u) => u.field)).toEqual(expect.arrayContaining(['number', 'issuedAt']));
  });
});
