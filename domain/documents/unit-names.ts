/**
 * Matches the names a document gives its recipients ("Sở TT&TT tỉnh Vĩnh Phúc", "UBND các
 * huyện, thành phố", "Liên minh HTX các tỉnh, thành phố") to units of the issuer's subtree.
 * Names are compared folded: abbreviations expanded, diacritics and case dropped, so that
 * "Hoà"/"Hòa", "UBND"/"Ủy ban nhân dân" and "TP."/"thành phố" meet.
 */
import type { UnitRef } from './types';

const ABBREVIATIONS: Array<[RegExp, string]> = [
  [/\bTT\s*&\s*TT\b|\bTTTT\b/gu, 'thông tin và truyền thông'],
  [/\bUBND\b/gu, 'ủy ban nhân dân'],
  [/\bHĐND\b/gu, 'hội đồng nhân dân'],
  [/\bUBMTTQ\b/gu, 'ủy ban mặt trận tổ quốc'],
  [/\bHTX\b/gu, 'hợp tác xã'],
  [/\bKT-XH\b/gu, 'kinh tế - xã hội'],
  [/\bTP\.\s*|\bTp\.\s*/gu, 'thành phố '],
  [/\bTX\.\s*/gu, 'thị xã '],
  [/\bTT\.\s*/gu, 'thị trấn '],
  [/\bGD\s*&\s*ĐT\b|\bGDĐT\b/gu, 'giáo dục và đào tạo'],
  [/\bLĐTB\s*&\s*XH\b|\bLĐTBXH\b/gu, 'lao động thương binh và xã hội'],
  [/\bKH\s*&\s*ĐT\b|\bKHĐT\b/gu, 'kế hoạch và đầu tư'],
  [/\bTN\s*&\s*MT\b|\bTNMT\b/gu, 'tài nguyên và môi trường'],
  [/\bNN\s*&\s*PTNT\b|\bNNPTNT\b/gu, 'nông nghiệp và phát triển nông thôn'],
];

/** Lower case, no diacritics, abbreviations expanded, punctuation as spaces. */
export function fold(name: string): string {
  let s = name.normalize('NFC');
  for (const [re, full] of ABBREVIATIONS) s = s.replace(re, full);
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const words = (folded: string): string[] => folded.split(' ').filter(Boolean);

/** Whether `inner`'s words appear in `outer` in a row. */
const contains = (outer: string, inner: string): boolean => ` ${outer} `.includes(` ${inner} `);

/** Words shared over words in either (Jaccard), on folded names. */
function similarity(a: string, b: string): number {
  const wa = new Set(words(a));
  const wb = new Set(words(b));
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / (wa.size + wb.size - shared || 1);
}

/**
 * The level a plural phrase names: "các tỉnh, thành phố (trực thuộc Trung ương)" →
 * province, "các huyện, thị xã, thành phố" / "các quận, huyện" → district, "các xã,
 * phường, thị trấn" → commune. The first place word after "các" decides.
 */
const LEVEL_WORDS: Array<[RegExp, string]> = [
  [/^(?:tinh|thanh pho truc thuoc trung uong)\b/, 'province'],
  [/^(?:huyen|quan|thi xa|thanh pho thuoc tinh)\b/, 'district'],
  [/^(?:xa|phuong|thi tran|dac khu)\b/, 'commune'],
];

/** Levels of the administrative tree, as opposed to an office's own departments. */
const TERRITORIAL = new Set(['province', 'district', 'commune']);

const PLACE = '(?:tinh|huyen|quan|thi xa|xa|phuong|thi tran|dac khu|thanh pho)';
/** A phrase that ends in level words only: "<kind> (các) tỉnh, thành phố (trực thuộc Trung ương)". */
const GENERIC = new RegExp(`^(.*?)\\s*(?:cac\\s+)?(${PLACE}(?:\\s+${PLACE})*(?:\\s+truc thuoc trung uong)?)$`);

/** What a recipient phrase matched, and how sure the match is. */
export interface NameMatch {
  codes: string[];
  confidence: number;
  /** Why nothing (or not one thing) was matched, for the person reviewing. */
  problem?: string;
}

/** Units strictly below the issuer, with their folded names, built once per document. */
export class UnitIndex {
  private readonly below: Array<UnitRef & { folded: string }>;

  constructor(
    readonly issuer: UnitRef,
    units: UnitRef[],
  ) {
    this.below = units.filter((u) => u.code !== issuer.code).map((u) => ({ ...u, folded: fold(u.name) }));
  }

  /** Whether the name is the issuer's own ("Liên minh HTX Việt Nam" in its own plan). */
  isIssuer(phrase: string): boolean {
    const f = fold(phrase);
    const issuer = fold(this.issuer.name);
    return f === issuer || similarity(f, issuer) >= 0.8 || f.startsWith(issuer);
  }

  /** The units of a level below the issuer. */
  ofLevel(level: string): UnitRef[] {
    return this.below.filter((u) => u.level === level);
  }

  /** The issuer's direct children. */
  children(): UnitRef[] {
    return this.below.filter((u) => u.parentCode === this.issuer.code);
  }

  /**
   * Matches one phrase. A plural phrase ("<kind> các <level words>") names every unit of
   * that level below the issuer; "các đơn vị trực thuộc" its children; any other phrase
   * one unit, the most similar name when it is clearly the best.
   */
  match(phrase: string): NameMatch {
    const folded = fold(phrase.replace(/\(.*?\)/g, ' '));
    // "Liên minh HTX tỉnh, thành phố" (no proper name after the level words) is plural too.
    const generic = /\blien quan$|^cac so\b/.test(folded) ? null : GENERIC.exec(folded);
    if (generic) {
      const level = LEVEL_WORDS.find(([re]) => re.test(generic[2]!))?.[1];
      if (level) return this.matchLevel(level, generic[1]!.trim());
    }
    const plural = /(?:^|\s)cac\s+(.*)$/.exec(folded);
    if (plural) {
      const rest = plural[1]!;
      const attachedUnits =
        (/\btruc thuoc\b/.test(rest) && /\b(?:don vi|co quan|ban)\b/.test(rest)) || /^so(?: ban)?(?: nganh)?(?: lien quan)?$/.test(rest);
      if (attachedUnits && !LEVEL_WORDS.some(([re]) => re.test(rest))) {
        // "Các ban, đơn vị trực thuộc" are the issuer's own departments when it has some
        // beside the territorial units below it.
        const children = this.children();
        const attached = children.filter((u) => !TERRITORIAL.has(u.level));
        const codes = (attached.length ? attached : children).map((u) => u.code);
        return codes.length ? { codes, confidence: 0.8 } : { codes, confidence: 0, problem: 'the issuer has no units below it' };
      }
      const level = LEVEL_WORDS.find(([re]) => re.test(rest))?.[1];
      if (level) return this.matchLevel(level, folded.slice(0, plural.index).trim());
    }
    return this.matchOne(folded);
  }

  private matchLevel(level: string, kindWords: string): NameMatch {
    const units = this.ofLevel(level);
    if (units.length === 0) return { codes: [], confidence: 0, problem: `no unit of level ${level} below the issuer` };
    // "Sở TT&TT các tỉnh" names the Sở of each province: when some names start with the
    // kind words, those are meant; when none do, the level alone says who.
    const sameKind = kindWords ? this.below.filter((u) => u.level === level && u.folded.startsWith(kindWords)) : [];
    if (sameKind.length > 0) return { codes: sameKind.map((u) => u.code), confidence: 0.9 };
    return { codes: units.map((u) => u.code), confidence: kindWords ? 0.6 : 0.8 };
  }

  private matchOne(folded: string): NameMatch {
    if (!folded) return { codes: [], confidence: 0, problem: 'no name' };
    const exact = this.below.filter((u) => u.folded === folded);
    if (exact.length === 1) return { codes: [exact[0]!.code], confidence: 1 };
    const scored = this.below
      .map((u) => ({ u, score: contains(u.folded, folded) || contains(folded, u.folded) ? Math.max(0.85, similarity(folded, u.folded)) : similarity(folded, u.folded) }))
      .sort((a, b) => b.score - a.score);
    const [best, second] = scored;
    if (!best || best.score < 0.6) return { codes: [], confidence: 0, problem: 'no unit below the issuer has this name' };
    if (second && second.score >= best.score - 0.05) {
      return { codes: [], confidence: 0, problem: `ambiguous: ${best.u.name} or ${second.u.name}` };
    }
    return { codes: [best.u.code], confidence: Math.min(0.95, best.score) };
  }
}
