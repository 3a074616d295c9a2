/** What the document parser answers: fields with their source, a draft, what a person must settle. */

/** A value read from the document, where it was read and how sure the parser is (0–1). */
export interface Field<T> {
  value: T;
  /** First source line (1-based) the value came from. */
  line: number;
  /** Last source line, when the value spans several. */
  endLine: number;
  confidence: number;
}

/** A unit of the issuer's subtree, as the parser matches names against it. */
export interface UnitRef {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

/** Another document the text cites: "Hướng dẫn số 164-HD/BTGTW ngày 08/12/2020". */
export interface Reference {
  kind: string;
  number: string;
  /** YYYY-MM-DD, when the text dates it. */
  date?: string;
  /** `basis`: named in the "Căn cứ" / "Thực hiện" preamble or the subject; `cited`: elsewhere. */
  role: 'basis' | 'cited';
}

/** One "Kính gửi" or "Nơi nhận" entry and the units it names. */
export interface RecipientEntry {
  text: string;
  /** Matched units' codes (several for "các huyện, thành phố"). */
  units: string[];
  /** `recipient`: receives the cascade; `report-to`: "(B/c)", those the issuer reports to; `archive`: "Lưu"; `copy`: someone outside the issuer's subtree. */
  role: 'recipient' | 'report-to' | 'archive' | 'copy';
}

/** A task read from a numbered item. */
export interface ParsedTask {
  /** The item's number in the document ("1.1", "2", "a"). */
  ref: string;
  title: string;
  /** The lead unit (chủ trì, đầu mối) as written, and its code when it is the issuer or below it. */
  lead?: { text: string; code?: string };
  coordinating: Array<{ text: string; code?: string }>;
  /** YYYY-MM-DD. */
  dueAt?: string;
  /** ISO-8601 duration ("P1Y" for "hằng năm"). */
  recurrence?: string;
  /** The deadline as written ("Quý I/2021 xây dựng kế hoạch; triển khai hằng năm"). */
  timeText?: string;
}

/** The reporting duty the document sets. */
export interface ReportDuty {
  regime?: 'decree-09-six-monthly' | 'decree-09-annual';
  /** YYYY-MM-DD, for a single report date ("báo cáo ... trước ngày 15/9/2021"). */
  dueAt?: string;
  text: string;
}

export interface Signer {
  /** "KT. CỤC TRƯỞNG", "TM. ỦY BAN NHÂN DÂN"; absent when the head signs in their own name. */
  competence?: string;
  title?: string;
  name?: string;
}

/** Something a person must settle before issuing: never filled by a guess. */
export interface Unresolved {
  /** The draft field it concerns ("number", "issuedAt", "recipients", "tasks.2.leadUnitCode", "policy.until"). */
  field: string;
  message: string;
  /** Where in the text, when the problem is on a line. */
  line?: number;
  /** The words that could not be read or matched. */
  text?: string;
}

/** The body of `POST /api/v1/directives`, as far as the document tells it. */
export interface DirectiveDraft {
  number?: string;
  kind?: string;
  title?: string;
  issuerCode: string;
  issuedAt?: string;
  basedOn: string[];
  body: string;
  recipients?: string[];
  tasks: Array<{ title: string; leadUnitCode?: string; coordinatingUnits?: string[]; dueAt?: string; recurrence?: string }>;
  policy: {
    ackWithin: string;
    reportRegime?: ReportDuty['regime'];
    reportDueAt?: string;
    until?: string;
    calendar?: 'vn-working-days';
  };
}

/** What a document's header gives: who, which number, where, when, what kind, about what. */
export interface HeaderFields {
  issuerName?: Field<string>;
  number?: Field<string>;
  /** The notation alone ("KH-UBND"), also when the number is still blank. */
  notation?: Field<string>;
  place?: Field<string>;
  issuedAt?: Field<string>;
  kind?: Field<string>;
  title?: Field<string>;
}

export interface ParsedFields extends HeaderFields {
  references: Array<Field<Reference>>;
  recipients: Array<Field<RecipientEntry>>;
  tasks: Array<Field<ParsedTask>>;
  reports?: Field<ReportDuty>;
  signer?: Field<Signer>;
}

export interface ParsedDocument {
  fields: ParsedFields;
  draft: DirectiveDraft;
  unresolved: Unresolved[];
}
