import { ApplicationFailure } from '@temporalio/activity';

/** A business rejection: not retried, and its message reaches the caller as the reason. */
export function businessRejection(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'BusinessRejection');
}
