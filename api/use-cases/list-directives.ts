/** GET /directives: the documents a caller may see, filtered and paginated (read model only). */
import type { Store } from '../../read-model/repositories';
import type { Principal } from '../auth';
import { directiveListScope } from '../permissions';
import type { DirectiveListQuery } from '../schemas';

export async function listDirectives(store: Pick<Store, 'directives'>, p: Principal, q: DirectiveListQuery) {
  return store.directives.list({
    issuerCode: q.issuer,
    status: q.status,
    text: q.q,
    basedOn: q.basedOn,
    issuedFrom: q.from === undefined ? undefined : new Date(q.from),
    issuedTo: q.to === undefined ? undefined : new Date(q.to),
    ...directiveListScope(p),
    limit: q.limit,
    offset: q.offset,
  });
}
