/**
 * Hash routes, so the API serves one page and a link can be bookmarked or shared:
 *   #/                      directives
 *   #/d/<id>                one directive (map at the issuer)
 *   #/d/<id>/map/<code>     one directive, map below <code>
 *   #/d/<id>/u/<code>       one assignment
 *   #/inbox/<code>          one unit's open assignments
 *   #/people/<code>         who a unit's notifications reach, and the units nobody is told about
 *   #/people                (the admin) the units nobody is told about
 *   #/read                  read a document into a draft, review it, issue it
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'directives' }
  | { name: 'directive'; id: string; mapParent?: string }
  | { name: 'assignment'; id: string; unit: string }
  | { name: 'inbox'; unit: string }
  | { name: 'people'; unit?: string }
  | { name: 'read' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'd' && parts[1]) {
    if (parts[2] === 'u' && parts[3]) return { name: 'assignment', id: parts[1], unit: parts[3] };
    if (parts[2] === 'map' && parts[3])
      return { name: 'directive', id: parts[1], mapParent: parts[3] };
    return { name: 'directive', id: parts[1] };
  }
  if (parts[0] === 'inbox' && parts[1]) return { name: 'inbox', unit: parts[1] };
  if (parts[0] === 'people')
    return parts[1] ? { name: 'people', unit: parts[1] } : { name: 'people' };
  if (parts[0] === 'read') return { name: 'read' };
  return { name: 'directives' };
}

const enc = encodeURIComponent;
export const href = {
  directives: () => '#/',
  directive: (id: string, mapParent?: string) =>
    mapParent ? `#/d/${enc(id)}/map/${enc(mapParent)}` : `#/d/${enc(id)}`,
  assignment: (id: string, unit: string) => `#/d/${enc(id)}/u/${enc(unit)}`,
  inbox: (unit: string) => `#/inbox/${enc(unit)}`,
  people: (unit?: string) => (unit ? `#/people/${enc(unit)}` : '#/people'),
  read: () => '#/read',
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
