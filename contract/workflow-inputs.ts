import type { AssignmentState } from '../workflows/assignment-state';
import type { CascadePolicy, ReportCycle } from './definitions';

/** Input of one unit's assignment workflow. */
export interface AssignmentWorkflowInput {
  /** The root directive: the cascade's id. */
  directiveId: string;
  /** The root directive's number, for search attributes. */
  directiveNumber: string;
  /** The document this unit receives (root or its forwarder's implementing document). */
  receivedDirectiveId: string;
  documentNumber: string;
  issuerCode: string;
  unitCode: string;
  parentAssignmentId: string | null;
  /** The unit that forwarded it: decides its extensions, is notified of its lateness. */
  parentUnitCode: string;
  /** The workflow to tell when this one closes (the forwarder or a relay). */
  temporalParentId: string;
  relDepth: number;
  policy: CascadePolicy;
  baseCycles: ReportCycle[];
  directiveVersion: number;
  maxFanout: number;
  /** State carried across continue-as-new. */
  carried?: { state: AssignmentState; unitName: string; level: string };
}
