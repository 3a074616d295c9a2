/** GET /directives: the documents a caller may see, filtered and paginated (read model only). */
import type { Db } from '../../read-model/db';
import { listDirectives as listFromReadModel } from '../../read-model/directives';
import type { Principal } from '../auth';
import { directiveListScope } from '../permissions';
import type { DirectiveListQuery } from '../schemas';

export async function listDirectives(db: Db, p: Principal, q: DirectiveListQuery) {
  return listFromReadModel(db, {
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
