/**
 * What the routes hand to their use-cases besides the registry's own dependencies (the
 * database client for the middleware, the Temporal client, the configuration): the read
 * model's repositories and the issuer's limits, built once by createApp. Declared as an
 * extension of RouteDeps so that every handler receives them typed.
 */
import type { FileStore } from '../../documents/file-store';
import type { Store } from '../../read-model/repositories';
import type { IssueLimits } from '../use-cases/issue-directive';

declare module '../route-registry' {
  interface RouteDeps {
    /** The read model's repositories (read-model/store.ts). */
    store: Store;
    /** The issuer's limits, bound to the configuration. */
    issueLimits: IssueLimits;
    /** Where kept document files' bytes live. */
    files: FileStore;
  }
}
