/** The workflow bundle's entry point: every workflow type the worker runs. */
export { assignmentWorkflow } from './assignment-workflow';
export { directiveWorkflow } from './directive-workflow';
export { relayWorkflow } from './relay-workflow';
export { taskPartWorkflow } from './task-part-workflow';
export { digestWorkflow } from './digest-workflow';
