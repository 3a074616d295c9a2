/**
 * Custom search attributes upserted at every transition, so an operator can filter
 * `DirectiveNumber = "…" AND Overdue = true` in the Temporal UI. The dev server (SQLite)
 * allows 10 Keyword, 3 Bool, 3 Datetime, 3 Int: we use 5, 1, 1, 1.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const DirectiveId = defineSearchAttributeKey('DirectiveId', SearchAttributeType.KEYWORD);
export const DirectiveNumber = defineSearchAttributeKey('DirectiveNumber', SearchAttributeType.KEYWORD);
export const UnitCode = defineSearchAttributeKey('UnitCode', SearchAttributeType.KEYWORD);
export const UnitLevel = defineSearchAttributeKey('UnitLevel', SearchAttributeType.KEYWORD);
export const Stage = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD);
export const Overdue = defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL);
export const NextDeadline = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
export const EscalationRung = defineSearchAttributeKey('EscalationRung', SearchAttributeType.INT);

/** Name → type, for registration (dev server flags and the operator API). */
export const searchAttributeTypes = {
  DirectiveId: 'Keyword',
  DirectiveNumber: 'Keyword',
  UnitCode: 'Keyword',
  UnitLevel: 'Keyword',
  Stage: 'Keyword',
  Overdue: 'Bool',
  NextDeadline: 'Datetime',
  EscalationRung: 'Int',
} as const;
