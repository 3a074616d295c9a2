/** Names this run of the slow suite, so the report renders its results together. */
export default function globalSetup(): void {
  process.env.FAULT_RUN_ID ??= `run-${new Date().toISOString()}`;
}
