/**
 * Binds the read model's repositories (read-model/repositories.ts) to one Prisma client.
 * Called once per process, where the client is created: createApp for the API,
 * createCascadeWorker for the activities. Every function here is a thin delegation; the
 * queries and their transactions live in the modules beside it.
 */
import type { Db } from './db';
import { pingDb } from './db';
import * as assignments from './assignments';
import * as audit from './audit';
import * as calendarFeeds from './calendar-feeds';
import * as contacts from './contacts';
import { unitDeliveries } from './mail-deliveries';
import * as dashboard from './dashboard';
import { enqueueDigests } from './digest';
import * as directives from './directives';
import * as documentFiles from './document-files';
import * as incidents from './incidents';
import { createRootDirectiveExclusive } from './issuing';
import * as obligations from './obligations';
import * as people from './people';
import * as drafts from './drafts';
import { resolveRecipients, unitsOutside } from './recipients';
import type { Store } from './repositories';
import { computeRollup } from './rollup';
import { subtreeCodes, subtreeUnits } from './subtree';
import * as tokens from './tokens';
import * as transitions from './transitions';
import { levelsBelow } from './unit-depth';
import * as units from './units';

export type { Store } from './repositories';
export type { QuotaCounts } from './issuing';

export function createStore(db: Db): Store {
  return {
    files: {
      add: (f) => documentFiles.addDocumentFile(db, f),
      of: (directiveId) => documentFiles.documentFiles(db, directiveId),
      find: (directiveId, id) => documentFiles.documentFile(db, directiveId, id),
    },
    units: {
      pathOf: (code) => assignments.unitPath(db, code),
      get: (code) => units.getUnit(db, code),
      withPath: (code) => dashboard.unitWithPath(db, code),
      named: (codes) => dashboard.unitsByCode(db, codes),
      refs: (codes) => transitions.unitsByCode(db, codes),
      forDelivery: (code) => transitions.unitForDelivery(db, code),
      levelsBelow: (code) => levelsBelow(db, code),
      subtreeCodes: (rootPath) => subtreeCodes(db, rootPath),
      subtree: (rootPath) => subtreeUnits(db, rootPath),
      recipients: (unitCode, codes) => resolveRecipients(db, unitCode, codes),
      outside: (unitCode, codes) => unitsOutside(db, unitCode, codes),
      upsert: (list) => units.upsertUnits(db, list),
    },
    directives: {
      find: (id) => directives.findDirective(db, id),
      findRoot: (id) => directives.findRootDirective(db, id),
      byNumber: (issuerCode, number) => directives.findDirectiveByNumber(db, issuerCode, number),
      withTasks: (id) => directives.findDirectiveWithTasks(db, id),
      chain: (id) => directives.documentChain(db, id),
      list: (f) => directives.listDirectives(db, f),
      level: (rootId, parentId, visible) => dashboard.documentLevel(db, rootId, parentId, visible),
      levelRules: (rootId) => directives.levelRulesOfDirective(db, rootId),
      createRootExclusive: (d, check) => createRootDirectiveExclusive(db, d, check),
      amendActive: (id, changes, notify) => directives.amendActiveDirective(db, id, changes, notify),
      revokeActive: (id, notify, by) => directives.revokeActiveDirective(db, id, notify, by),
    },
    assignments: {
      find: (directiveId, unitCode) => assignments.findAssignment(db, directiveId, unitCode),
      exists: (directiveId, unitCode) => assignments.hasAssignment(db, directiveId, unitCode),
      progress: (directiveId, unitCodes) => assignments.progress(db, directiveId, unitCodes),
      list: (directiveId, f) => assignments.listAssignments(db, directiveId, f),
      history: (id) => assignments.assignmentHistory(db, id),
      viewOf: (row) => assignments.assignmentViewFromReadModel(db, row),
      extensionRequest: (id, requestId) => assignments.findExtensionRequest(db, id, requestId),
      acknowledgementOf: (id, version) => assignments.acknowledgementOf(db, id, version),
      reportsOf: (id) => assignments.reportsOf(db, id),
      escalations: (directiveId, f) => assignments.listEscalations(db, directiveId, f),
      inbox: (unitCode, page) => assignments.inbox(db, unitCode, page),
      rollup: (parentAssignmentId, cycle) => computeRollup(db, parentAssignmentId, cycle),
      map: (directiveId, parent, rootCode) => dashboard.cascadeMap(db, directiveId, parent, rootCode),
    },
    obligations: {
      officialCounts: (directiveId, unitCodes) => obligations.officialCounts(db, directiveId, unitCodes),
      of: (ownerIds) => obligations.obligationsOf(db, ownerIds),
      taskProgress: (directiveId, unitCodes) => obligations.taskProgress(db, directiveId, unitCodes),
      hasTaskPart: (directiveId, ownerId) => obligations.hasTaskPart(db, directiveId, ownerId),
    },
    transitions: {
      recordDelivery: (input, unit, plan) => transitions.recordDelivery(db, input, unit, plan),
      recordRedelivery: (input, plan) => incidents.recordRedelivery(db, input, plan),
      recordEvent: (input, plan) => transitions.recordEvent(db, input, plan),
      clearFailure: (assignmentId, seq) => incidents.clearFailure(db, assignmentId, seq),
      recordImplementingDocument: (doc) => transitions.recordImplementingDocument(db, doc),
      recordReport: (input, outcome) => transitions.recordReport(db, input, outcome),
      recordIncident: (input) => incidents.recordIncident(db, input),
      documentNumber: (id) => transitions.documentNumber(db, id),
      documentIdByNumber: (issuerCode, number) => transitions.documentIdByNumber(db, issuerCode, number),
    },
    tokens: {
      findLive: (tokenHash, now) => tokens.findLiveToken(db, tokenHash, now),
      create: (unitCode, tokenHash, opts) => tokens.createToken(db, unitCode, tokenHash, opts),
      list: (unitCode, page) => tokens.listTokens(db, unitCode, page),
      revoke: (id) => tokens.revokeToken(db, id),
      revokeUnit: (unitCode) => tokens.revokeUnitTokens(db, unitCode),
    },
    contacts: {
      create: (unitCode, c) => contacts.createContact(db, unitCode, c),
      list: (unitCode) => contacts.listContacts(db, unitCode),
      update: (unitCode, id, patch) => contacts.updateContact(db, unitCode, id, patch),
      delete: (unitCode, id) => contacts.deleteContact(db, unitCode, id),
      unreachable: (rootPath, page) => contacts.unreachableUnits(db, rootPath, page),
      deliveries: (unitCode, f) => unitDeliveries(db, unitCode, f),
    },
    calendarFeeds: {
      rotate: (unitCode, hash) => calendarFeeds.rotateFeedKey(db, unitCode, hash),
      revoke: (unitCode) => calendarFeeds.revokeFeedKeys(db, unitCode),
      isLive: (unitCode, hash) => calendarFeeds.isLiveFeedKey(db, unitCode, hash),
      openDeadlines: (unitCode) => calendarFeeds.openDeadlines(db, unitCode),
    },
    drafts: {
      create: (d) => drafts.createDraft(db, d),
      of: (directiveId, unitCode) => drafts.draftsOf(db, directiveId, unitCode),
      find: (id) => drafts.findDraft(db, id),
      markIssued: (id, issued, content) => drafts.markIssued(db, id, issued, content),
    },
    people: {
      create: (p) => people.createPerson(db, p),
      replace: (id, p) => people.replacePerson(db, id, p),
      find: (id) => people.findPerson(db, id),
      byEmail: (email) => people.personByEmail(db, email),
      ofUnit: (unitCode) => people.peopleOf(db, unitCode),
    },
    audit: {
      record: (event) => audit.recordAudit(db, event),
      list: (f) => audit.listAudit(db, f),
    },
    digests: {
      enqueue: (window) => enqueueDigests(db, window),
    },
    ping: () => pingDb(db),
  };
}
