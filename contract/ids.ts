/**
 * Every id and key format of the cascade, spelled once. Workflow ids are readable and
 * deterministic, so a double delivery to a unit is a no-op; read-model keys derive from
 * the assignment id and the workflow's own event sequence, so a retried write is a no-op.
 */

/**
 * What the API accepts as a unit code in a path, a query or a body: every code it creates
 * through PUT /units matches, so every code it returns can be sent back.
 */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9._-]+$/;

/**
 * What the API accepts as a directive id: a cascade's id (a UUID when issued through the
 * API) or an implementing document's, `keys.implementingDirective` (`<cascade id>~<unit code>`).
 */
export const DIRECTIVE_ID_PATTERN = /^[A-Za-z0-9._-]+(?:~[A-Za-z0-9._-]+)?$/;

/** Whether a directive id names an implementing document (`<cascade id>~<unit code>`). */
export const isImplementingId = (id: string): boolean => id.includes('~');

/** Temporal workflow ids. */
export const workflowIds = {
  directive: (directiveId: string) => `cascade/${directiveId}`,
  assignment: (directiveId: string, unitCode: string) => `cascade/${directiveId}/${unitCode}`,
  relay: (directiveId: string, unitCode: string, batch: string) => `cascade/${directiveId}/${unitCode}/relay-${batch}`,
  /** One unit's part (lead or coordinator) in one task of the cascade. */
  taskPart: (directiveId: string, taskRef: string, unitCode: string) => `cascade/${directiveId}/task/${taskRef}/${unitCode}`,
};

/** Read-model keys. */
export const keys = {
  assignment: (directiveId: string, unitCode: string) => `${directiveId}/${unitCode}`,
  /** One timeline event per workflow event sequence; seq 0 is the delivery. */
  event: (assignmentId: string, seq: number) => `${assignmentId}#${seq}`,
  /** The n-th notification queued by one event. */
  outboxMessage: (eventId: string, index: number) => `${eventId}/${index}`,
  /**
   * One rung of one overdue episode: a ladder restarted for the same obligation (an approved
   * extension moves its deadline) is a new episode, so the deadline (ISO string, as planned)
   * is part of the id and a second episode's rungs never collide with the first's.
   */
  escalation: (assignmentId: string, obligation: string, deadline: string, rung: number) =>
    `${assignmentId}/${obligation}/${deadline}/${rung}`,
  extensionRequest: (assignmentId: string, requestId: string) => `${assignmentId}/${requestId}`,
  report: (assignmentId: string, cycle: number) => `${assignmentId}#c${cycle}`,
  /** The one incident of an attempt (its timeline event; its notification adds `/0`). */
  incident: (assignmentId: string, attempt: number) => `${assignmentId}!incident@${attempt}`,
  /** A unit's part in a task: owns its obligations, timeline and escalations. */
  taskPart: (directiveId: string, taskRef: string, unitCode: string) => `${directiveId}/task/${taskRef}/${unitCode}`,
  /** The n-th task (1-based) of a document. */
  task: (documentId: string, n: number) => `${documentId}/task-${n}`,
  /** A unit's implementing document within one cascade. */
  implementingDirective: (rootDirectiveId: string, unitCode: string) => `${rootDirectiveId}~${unitCode}`,
};

/** What a unit owes, as shown in `waitingFor` and used to key ladders and escalations. */
export const obligationKeys = {
  ack: (directiveVersion: number) => `ack@${directiveVersion}`,
  concretize: 'concretize',
  report: (cycle: number) => `report#${cycle}`,
};

/** The unit of an assignment workflow id, or null for another kind (directive, relay). */
export function unitOfAssignmentWorkflow(directiveId: string, workflowId: string): string | null {
  const prefix = workflowIds.assignment(directiveId, '');
  if (!workflowId.startsWith(prefix)) return null;
  const rest = workflowId.slice(prefix.length);
  return rest.includes('/') ? null : rest;
}
